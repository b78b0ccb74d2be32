// Reports a run-like command for unattended use: `--json` prints one object on stdout (and nothing else does),
// and with GITHUB_STEP_SUMMARY set the job summary gets the Markdown of the outcome. Whatever happens, the
// command's exit code is unchanged: errors are reported, then passed on to the CLI's error handling.
import { appendFileSync } from 'node:fs';
import { relative } from 'node:path';
import { readRecord } from '../adapters/fs/record-store.ts';
import { exitCodeFor, exitCodeOfError, LogbookError, outcomeFor, type ExitCode, type Outcome } from './errors.ts';
import type { Output } from './output.ts';
import { redactDeep } from '../core/redact.ts';
import { buildRunReport, renderStepSummary } from '../core/run/run-report.ts';
import type { RunJournal } from '../core/run/journal.ts';
import type { MigrationRecord } from '../schemas/record.ts';

/** Filled in by the command as it learns them, so a failure still reports the run it belonged to. */
export interface RunSubject {
  journal?: RunJournal | undefined;
  environment?: string | undefined;
  /** A record the command produced without a journal (rollback). */
  recordPath?: string | undefined;
}

/** A link to the record on GitHub when the job runs there and the record is inside the checkout. */
function recordUrl(path: string): string | null {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_SHA: sha, GITHUB_WORKSPACE: workspace } = process.env;
  if (!server || !repo || !sha || !workspace) return null;
  const inRepo = relative(workspace, path);
  if (inRepo.startsWith('..')) return null;
  return `${server}/${repo}/blob/${sha}/${inRepo.split('\\').join('/')}`;
}

export async function reportRun(
  command: string,
  options: { json?: boolean | undefined; out: Output },
  subject: RunSubject,
  work: () => Promise<Outcome>,
): Promise<ExitCode> {
  const summaryFile = process.env.GITHUB_STEP_SUMMARY;
  if (!options.json && !summaryFile) return exitCodeFor(await work());
  let outcome: Outcome;
  let exitCode: ExitCode;
  let failure: unknown = null;
  try {
    outcome = await work();
    exitCode = exitCodeFor(outcome);
  } catch (error) {
    failure = error;
    exitCode = exitCodeOfError(error);
    outcome = outcomeFor(exitCode);
  }
  const path = subject.journal?.recordPath ?? subject.recordPath ?? null;
  const record: MigrationRecord | null = path
    ? await readRecord(path, { checkBody: false }).then(
        (s) => s.record,
        () => null,
      )
    : null;
  const report = buildRunReport({
    command,
    outcome,
    exitCode,
    runId: subject.journal?.runId,
    environment: subject.journal?.environment ?? subject.environment,
    migrations: subject.journal?.migrations,
    record,
    recordPath: path,
    error: failure
      ? {
          code: failure instanceof LogbookError ? failure.code : 'E_INTERNAL',
          message: (failure as Error).message ?? String(failure),
          hint: failure instanceof LogbookError ? failure.hint : undefined,
        }
      : null,
  });
  if (options.json) options.out.json(report);
  if (summaryFile) {
    try {
      appendFileSync(summaryFile, renderStepSummary(redactDeep(report), record, { recordUrl: path ? recordUrl(path) : null }));
    } catch (error) {
      options.out.warn(`could not write the job summary to ${summaryFile}: ${(error as Error).message}`);
    }
  }
  if (failure) throw failure;
  return exitCode;
}
