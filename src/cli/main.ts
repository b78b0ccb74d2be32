// The CLI's one entry: find the command, parse its flags, run it, turn errors into messages and exit codes.
import type { CommandDef } from './command.ts';
import { inCriticalSection } from './critical-section.ts';
import { EXIT, exitCodeOfError, LogbookError, renderExitCodes } from './errors.ts';
import { createOutput, type Output } from './output.ts';
import { parseInvocation, renderCommandHelp } from './parse-args.ts';
import { redactText, registerSecretsFromEnvironment } from '../core/redact.ts';

// biome-ignore lint/suspicious/noExplicitAny: each command declares its own flags; the registry only loads them and re-types them as CommandDef.
type Loader = () => Promise<{ default: CommandDef<any> }>;

/**
 * Lazy, so starting the CLI loads only the command that runs. A command's file holds its declaration (summary,
 * flags) and imports what its run needs inside run(), so the command list and --help load no dependencies.
 */
export const commands: Record<string, { load: Loader }> = {
  validate: { load: () => import('../commands/validate.ts') },
  status: { load: () => import('../commands/status.ts') },
  lint: { load: () => import('../commands/lint.ts') },
  snapshot: { load: () => import('../commands/snapshot.ts') },
  run: { load: () => import('../commands/run.ts') },
  start: { load: () => import('../commands/start.ts') },
  finish: { load: () => import('../commands/finish.ts') },
  resume: { load: () => import('../commands/resume.ts') },
  abort: { load: () => import('../commands/abort.ts') },
  backup: { load: () => import('../commands/backup.ts') },
  'verify-backup': { load: () => import('../commands/verify-backup.ts') },
  restore: { load: () => import('../commands/restore.ts') },
  rollback: { load: () => import('../commands/rollback.ts') },
  verify: { load: () => import('../commands/verify.ts') },
  sync: { load: () => import('../commands/sync.ts') },
  audit: { load: () => import('../commands/audit.ts') },
};

/** Every command's declaration, in the order of the command list. */
export async function loadCommands(): Promise<CommandDef[]> {
  return Promise.all(Object.values(commands).map(async (entry) => (await entry.load()).default as CommandDef));
}

export async function renderMainHelp(): Promise<string> {
  const declared = await loadCommands();
  const width = Math.max(...declared.map((c) => c.name.length));
  return [
    'logbook — safe, audited PostgreSQL migrations',
    '',
    'Usage: logbook <command> [options]',
    '',
    'Commands:',
    ...declared.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run `logbook <command> --help` for a command's options.",
  ].join('\n');
}

export async function main(argv: string[], out: Output = createOutput()): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out.line(await renderMainHelp());
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version' || name === '-v') {
    const { toolVersion } = await import('../adapters/fs/tool-version.ts');
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
      out.line(`${renderCommandHelp(command)}\n\n${renderExitCodes()}`);
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
    return exitCodeOfError(error);
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  out.info(`internal error: ${message}\n  next: this is a bug in Migration Logbook; please report it with the command you ran`);
  return EXIT.internal;
}
