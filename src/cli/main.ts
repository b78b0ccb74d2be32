// The CLI's one entry: find the command, parse its flags, run it, turn errors into messages and exit codes.
import type { CommandDef } from './command.ts';
import { inCriticalSection } from './critical-section.ts';
import { EXIT, LogbookError } from './errors.ts';
import { createOutput, type Output } from './output.ts';
import { parseInvocation, renderCommandHelp } from './parse-args.ts';
import { redactText, registerSecretsFromEnvironment } from '../core/redact.ts';

type Loader = () => Promise<{ default: CommandDef<any> }>;

/** Lazy, so starting the CLI loads only the command that runs. */
export const commands: Record<string, { summary: string; load: Loader }> = {
  validate: { summary: 'Check every runbook, record and the config against the schemas', load: () => import('../commands/validate.ts') },
  status: { summary: 'Show applied, pending, failed and edited migrations; exit 1 if any need attention', load: () => import('../commands/status.ts') },
  lint: { summary: "Lint the pending (or all) migrations' SQL with squawk", load: () => import('../commands/lint.ts') },
  snapshot: { summary: 'Capture row counts, sizes, indexes and migration state (read-only)', load: () => import('../commands/snapshot.ts') },
  run: { summary: 'Capture, lint, back up (verified), migrate, check, and file the record', load: () => import('../commands/run.ts') },
  start: { summary: 'Step by step, part 1: pre-flight, snapshot, lint, verified backup', load: () => import('../commands/start.ts') },
  finish: { summary: 'Step by step, part 2: post snapshot, checks, record', load: () => import('../commands/finish.ts') },
  resume: { summary: 'Continue an interrupted run from its journal', load: () => import('../commands/resume.ts') },
  abort: { summary: 'Close an unfinished run and release its environment lock', load: () => import('../commands/abort.ts') },
  backup: { summary: 'Back up a database with pg_dump: sha256, row counts, verification, sidecar', load: () => import('../commands/backup.ts') },
  'verify-backup': { summary: 'Re-check a stored backup: sha256, pg_restore --list, optionally a scratch restore', load: () => import('../commands/verify-backup.ts') },
  restore: { summary: 'Restore a backup into a database, then compare row counts with the backup', load: () => import('../commands/restore.ts') },
  rollback: { summary: "Restore a record's backup and append the rollback to the record", load: () => import('../commands/rollback.ts') },
  verify: { summary: 'Recompute record digests and chains; exit 1 on any edited or missing record', load: () => import('../commands/verify.ts') },
};

export function renderMainHelp(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  return [
    'logbook — safe, audited PostgreSQL migrations',
    '',
    'Usage: logbook <command> [options]',
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `logbook <command> --help` for a command\'s options.',
  ].join('\n');
}

export async function main(argv: string[], out: Output = createOutput()): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out.line(renderMainHelp());
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version' || name === '-v') {
    const { toolVersion } = await import('./tool-version.ts');
    out.line(toolVersion());
    return EXIT.ok;
  }
  const entry = commands[name];
  if (!entry) {
    out.info(`error: unknown command "${name}"\n  next: run \`logbook --help\` to list the commands`);
    return EXIT.usage;
  }

  // Before anything can print: every secret this process (and the commands it starts) can see is known.
  registerSecretsFromEnvironment(process.env);
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts += 1;
    if (interrupts > 1 && inCriticalSection() && interrupts < 4) {
      out.info(`${signal} again: still stopping the migration and leaving maintenance mode; ${4 - interrupts} more to abandon them`);
      return;
    }
    if (interrupts > 1) process.exit(EXIT.interrupted);
    out.info(`\n${signal} received: stopping and cleaning up (press Ctrl-C again to quit at once)`);
    controller.abort(new LogbookError(`interrupted by ${signal}`, { code: 'E_INTERRUPTED', exitCode: EXIT.interrupted }));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const command = (await entry.load()).default;
    const invocation = parseInvocation(command, args);
    if (invocation.help) {
      out.line(renderCommandHelp(command));
      return EXIT.ok;
    }
    const code = await command.run({ ...invocation, out, signal: controller.signal });
    return code ?? EXIT.ok;
  } catch (error) {
    return reportError(error, out);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export function reportError(error: unknown, out: Output): number {
  if (error instanceof LogbookError) {
    const cause = error.cause instanceof Error && error.cause.message !== error.message ? `\n  why: ${error.cause.message}` : '';
    out.info(`error: ${error.message}${redactText(cause)}${error.hint ? `\n  next: ${error.hint}` : ''}`);
    return error.exitCode;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  out.info(`internal error: ${message}\n  next: this is a bug in Migration Logbook; please report it with the command you ran`);
  return 70;
}
