// Filing a gap the audit found: a record, after the fact, of migrations that reached the database without the
// logbook. It is an ordinary record (chained, anchored in the ledger, signed), whose timeline says it was
// filed by the audit and why; it captures the state now (before and after are the same snapshot) and no
// execution, because nobody observed one.
import { randomBytes } from 'node:crypto';
import { readProvenance, resolvePerformer } from '../adapters/git/provenance.ts';
import { takeSnapshot } from '../adapters/pg/snapshot.ts';
import { redactText } from '../core/redact.ts';
import type { RunJournal } from '../core/run/journal.ts';
import type { MigrationRecord } from '../schemas/record.ts';
import { commitFiledRecord, fileRecord } from './file-record.ts';
import type { RunContext } from './run-context.ts';

export async function fileGapRecord(
  ctx: RunContext,
  migrations: string[],
  options: { reason: string; by?: string | undefined },
): Promise<{ record: MigrationRecord; file: string }> {
  const startedAt = new Date().toISOString();
  const snapshot = await takeSnapshot(ctx.db.target, {
    mode: 'estimate',
    capture: ctx.loaded.config.capture,
    migrationsDir: ctx.migrationsDir,
    signal: ctx.signal,
  });
  const journal: RunJournal = {
    version: 1,
    runId: `${ctx.environment}-audit-${startedAt.replace(/[-:T]/g, '').slice(0, 14)}-${randomBytes(2).toString('hex')}`,
    environment: ctx.environment,
    mode: 'run',
    state: 'in-progress',
    pid: process.pid,
    createdAt: startedAt,
    updatedAt: startedAt,
    database: { redacted: ctx.db.redacted, name: snapshot.database, source: ctx.db.source },
    migrations,
    command: [],
    commandHadSecrets: false,
    performedBy: await resolvePerformer(options.by, ctx.appRepo),
    code: ctx.appRepo ? await readProvenance(ctx.appRepo) : null,
    migrationsDir: ctx.migrationsDir,
    runbook: null,
    pre: snapshot,
    post: snapshot,
    timeline: [
      {
        phase: 'audit',
        startedAt,
        finishedAt: new Date().toISOString(),
        status: 'ok',
        detail: redactText(`applied outside the logbook; filed after the fact by \`logbook audit\`: ${options.reason}`),
      },
    ],
    // The migrations are in the database (the audit read them there), but nobody observed them run or checked
    // the result: the record says so rather than claiming a verified success.
    migrationOutcomes: migrations.map((name) => ({ name, outcome: 'applied' as const })),
    status: 'unverified',
  };
  const filed = await fileRecord(ctx, journal, null);
  await commitFiledRecord(ctx, journal, filed.record, filed.file);
  return filed;
}
