// The last phase: the journal becomes a validated record file, given its position in the environment's
// chain by the ledger (anchor-record.ts), written atomically under a fresh name, and committed when asked.

import { basename, join } from 'node:path';
import { recordFiles } from '../adapters/fs/list-records.ts';
import { readRecord, slugify } from '../adapters/fs/record-store.ts';
import { snapshotPathsOf } from '../adapters/fs/snapshot-store.ts';
import { toolVersion } from '../adapters/fs/tool-version.ts';
import { commitRecord } from '../adapters/git/commit-record.ts';
import { pushRecords } from '../adapters/git/publish-records.ts';
import { LogbookError } from '../core/errors.ts';
import { formatProblem, problemsFromZod } from '../core/problems.ts';
import { buildRecordFacts } from '../core/record/build-record.ts';
import { computeIntegrity, filingOrder } from '../core/record/digest.ts';
import { SNAPSHOTS_FOLDER } from '../core/record/record-layout.ts';
import { redactDeep } from '../core/redact.ts';
import { type ChecklistExport, mergeChecklist, toolChecklist } from '../core/run/checklist.ts';
import type { RunJournal } from '../core/run/journal.ts';
import { decideStatus } from '../core/run/outcome.ts';
import { type MigrationRecord, migrationRecordSchema } from '../schemas/record.ts';
import { fileChainedRecord } from './anchor-record.ts';
import { saveJournal } from './journal-store.ts';
import type { RunContext } from './run-context.ts';

/**
 * Digest of the last record filed for this environment: the new record's `previous`. Record names start
 * with their filing date and the lister sorts by id, whichever folder holds them, so only the newest day
 * that has one of this environment's records is read — filing stays fast with thousands of records. An
 * unreadable record is skipped with a warning rather than blocking a deploy; `verify` will then report the chain.
 */
export async function chainHead(recordsDir: string, environment: string, warn: (line: string) => void = () => {}): Promise<string | null> {
  const newestFirst = recordFiles(recordsDir).reverse();
  const candidates: MigrationRecord[] = [];
  let day: string | null = null;
  for (const file of newestFirst) {
    const date = basename(file).slice(0, 10);
    if (day && date !== day) break;
    const stored = await readRecord(file, { checkBody: false }).catch((error: Error) => {
      warn(`${error.message.split('\n')[0]} — left out of the chain`);
      return null;
    });
    // An unanchored record has no position yet (sync will give it one): nothing can follow it.
    if (stored?.record.environment !== environment || stored.record.integrity.unanchored) continue;
    day ??= date;
    candidates.push(stored.record);
  }
  return filingOrder(candidates).at(-1)?.integrity.digest ?? null;
}

export async function fileRecord(
  ctx: RunContext,
  journal: RunJournal,
  personChecklist: ChecklistExport | null,
): Promise<{ record: MigrationRecord; file: string }> {
  const steps = ctx.runbook?.steps ?? [];
  const merged = mergeChecklist(toolChecklist(steps, journal.timeline), personChecklist, steps);
  if (merged.unknownSteps.length) ctx.out.warn(`checklist names steps the runbook does not have: ${merged.unknownSteps.join(', ')}`);
  journal.checklist = merged.entries;
  const status = decideStatus(journal);
  const finishedAt = new Date().toISOString();
  const date = journal.createdAt.slice(0, 10);
  const base = `${date}-${slugify(journal.migrations[0] ?? 'no-pending-migrations')}-${slugify(journal.environment, 30)}`;
  const localHead = () => chainHead(ctx.recordsDir, journal.environment, (line) => ctx.out.warn(line));
  const filing = { url: ctx.db.url, recordsDir: ctx.recordsDir, stateDir: ctx.stateDir, loaded: ctx.loaded, out: ctx.out, localHead };
  const {
    record: filed,
    file,
    anchored,
  } = await fileChainedRecord(filing, journal, base, (id, previous, position) => {
    const facts = redactDeep(buildRecordFacts(journal, { id, status, toolVersion: toolVersion(), finishedAt }));
    const candidate = { ...facts, integrity: computeIntegrity(facts, previous, position) };
    const parsed = migrationRecordSchema.safeParse(candidate);
    if (!parsed.success) {
      // Nothing is written; the data stays in the journal for `resume` once fixed.
      throw new LogbookError(`the record failed validation:\n  ${problemsFromZod(parsed.error, `${id}.mdx`).map(formatProblem).join('\n  ')}`, {
        code: 'E_RECORD_INVALID',
        outcome: 'attention',
        hint: `everything captured is kept in the journal of run ${journal.runId}; report this as a bug`,
      });
    }
    return parsed.data;
  });
  journal.recordPath = file;
  journal.state = 'filed';
  journal.status = status;
  await saveJournal(ctx.stateDir, journal);
  ctx.out.info(`✓ record filed: ${file} (${status})${anchored ? ` — #${filed.integrity.seq} in the ${journal.environment} ledger` : ' — UNANCHORED'}`);

  return { record: filed, file };
}

/**
 * Commit a filed record when asked. The record is already safe on disk and the run is closed, so a
 * failing commit is a warning with the commands to run by hand, never a reason to redo the run.
 */
export async function commitFiledRecord(ctx: RunContext, journal: RunJournal, record: MigrationRecord, file: string): Promise<boolean> {
  if (!ctx.commit) return true;
  try {
    const commit = await commitRecord(
      file,
      `logbook: ${journal.environment} ${record.title} — ${record.status}\n\nRecord ${record.id}, run ${journal.runId}.`,
      await snapshotPathsOf(ctx.recordsDir, record),
    );
    ctx.out.info(`✓ committed ${commit}`);
  } catch (error) {
    ctx.out.warn(
      `the record was filed but not committed: ${(error as Error).message}\n  next: git add ${file} ${join(ctx.recordsDir, SNAPSHOTS_FOLDER)} && git commit`,
    );
    return false;
  }
  if (!ctx.push) return true;
  try {
    const pushed = await pushRecords(ctx.recordsDir, { remote: ctx.loaded.config.git.remote });
    ctx.out.info(`✓ pushed to ${pushed.remote}/${pushed.branch}${pushed.attempts > 1 ? ` (after ${pushed.attempts} tries)` : ''}`);
    return true;
  } catch (error) {
    const hint = error instanceof LogbookError && error.hint ? `\n  next: ${error.hint}` : '';
    ctx.out.warn(`${(error as Error).message}${hint}`);
    return false;
  }
}
