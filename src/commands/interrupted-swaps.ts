// `resume` and `abort` of a rollback or restore that was interrupted: found before any ordinary run is looked for.

import type { Output } from '../cli/output.ts';
import type { RunSubject } from '../cli/report-run.ts';
import type { Outcome } from '../core/errors.ts';
import type { SwapTarget } from '../workflow/interrupted-swap.ts';
import { type AnySwapJournal, runIdOf } from '../workflow/rollback-journal.ts';

interface SwapFlags {
  env?: string | undefined;
  db?: string | undefined;
  'db-env'?: string | undefined;
  config?: string | undefined;
  run?: string | undefined;
}

/** The database of an interrupted swap: --db / --db-env when given, else what the journal names (a restore's env var, or its environment). */
async function targetOf(flags: SwapFlags, journal: AnySwapJournal | null): Promise<SwapTarget> {
  const { loadConfig } = await import('../adapters/fs/config-file.ts');
  const { resolveDatabaseUrl } = await import('../workflow/database-url.ts');
  const loaded = loadConfig(flags.config);
  const env = flags.env ?? (journal?.environment || undefined);
  const dbEnv = flags['db-env'] ?? (journal?.kind === 'restore' ? journal.dbEnv : undefined);
  const { url } = resolveDatabaseUrl({ db: flags.db, dbEnv, env: flags.db || dbEnv ? undefined : env, loaded });
  const envConfig = env && Object.hasOwn(loaded.config.environments, env) ? loaded.config.environments[env] : undefined;
  // The URL may come from a default (DATABASE_URL): it must name the database the journal is about.
  const named = decodeURIComponent(new URL(url).pathname.slice(1));
  if (journal && named !== journal.live) {
    const { usageError } = await import('../cli/errors.ts');
    throw usageError(
      `the interrupted ${journal.kind === 'restore' ? 'restore' : 'rollback'} ${runIdOf(journal)} is about the database ${JSON.stringify(journal.live)}, but the URL names ${JSON.stringify(named)}; nothing was changed`,
      `name its database: --db URL, --db-env NAME or --env NAME`,
    );
  }
  return { url, envConfig };
}

/** The interrupted rollback or restore these flags mean, or null (then they mean an ordinary run). */
export async function findSwapRun(flags: SwapFlags, out: Output): Promise<AnySwapJournal | null> {
  const { loadConfig } = await import('../adapters/fs/config-file.ts');
  const { findInterruptedSwap } = await import('../workflow/interrupted-swap.ts');
  const stateDir = loadConfig(flags.config).path('state');
  let target: SwapTarget | null = null;
  try {
    target = await targetOf(flags, null);
  } catch {
    target = null;
  }
  return findInterruptedSwap({ stateDir, runId: flags.run, environment: flags.env, target: () => target, out });
}

export async function resumeSwapRun(
  journal: AnySwapJournal,
  flags: SwapFlags & {
    by?: string | undefined;
    commit?: boolean | undefined;
    push?: boolean | undefined;
    json?: boolean | undefined;
    wait?: string | undefined;
  },
  context: { out: Output; signal: AbortSignal; subject: RunSubject },
): Promise<Outcome> {
  const { outcomeFor } = await import('../cli/errors.ts');
  context.subject.environment = journal.environment || undefined;
  if (journal.kind !== 'restore') {
    const { rollBackRecord } = await import('./rollback.ts');
    context.out.info(`resuming the interrupted rollback of ${journal.recordId} (started ${journal.startedAt}, stopped while ${journal.phase})`);
    // Confirmed when it started; rows written since are discarded only if they are the ones accepted then.
    const code = await rollBackRecord(
      {
        record: journal.recordId,
        db: flags.db,
        'db-env': flags['db-env'],
        config: flags.config,
        by: flags.by,
        yes: true,
        commit: flags.commit,
        push: flags.push,
        json: flags.json,
        wait: flags.wait,
        'target-moved': journal.targetMoved,
        'space-checked': true,
      },
      { ...context, acceptedBefore: journal.dataLossAccepted ?? [] },
    );
    return outcomeFor(code);
  }
  const { loadConfig } = await import('../adapters/fs/config-file.ts');
  const { resumeInterruptedRestore } = await import('../workflow/interrupted-swap.ts');
  const { critical } = await import('../cli/critical-section.ts');
  const loaded = loadConfig(flags.config);
  const done = await resumeInterruptedRestore(journal, await targetOf(flags, journal), {
    config: loaded.config,
    baseDir: loaded.baseDir,
    stateDir: loaded.path('state'),
    spaceChecked: true,
    onProgress: (line, update) => (update?.transient ? undefined : context.out.info(`  ${line}`)),
    critical,
    out: context.out,
    signal: context.signal,
  });
  if ('restored' in done)
    context.out.line(
      `restored ${journal.archivePath} into ${journal.live}; all ${done.restored.restored.counts.length} table counts match the backup; the replaced database is kept as ${done.restored.plan.retained}`,
    );
  else context.out.line(`restore ${journal.runId} finished: ${done.finished}`);
  return 'success';
}

export async function abortSwapRun(journal: AnySwapJournal, flags: SwapFlags, context: { out: Output; subject: RunSubject }): Promise<Outcome> {
  const { loadConfig } = await import('../adapters/fs/config-file.ts');
  const { abortInterruptedSwap } = await import('../workflow/interrupted-swap.ts');
  const loaded = loadConfig(flags.config);
  context.subject.environment = journal.environment || undefined;
  return abortInterruptedSwap(journal, await targetOf(flags, journal), {
    config: loaded.config,
    baseDir: loaded.baseDir,
    stateDir: loaded.path('state'),
    out: context.out,
  });
}
