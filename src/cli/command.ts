// defineCommand: a typed description of one CLI command (flags, positionals, run), nothing more.
import type { Output } from './output.ts';

export interface FlagDef {
  type: 'string' | 'boolean';
  description: string;
  short?: string;
  /** Repeatable string flag, collected into an array. */
  multiple?: boolean;
  /** Placeholder shown in --help, e.g. URL. */
  valueName?: string;
}

type FlagValue<D extends FlagDef> = D['type'] extends 'boolean'
  ? boolean
  : D['multiple'] extends true
    ? string[]
    : string | undefined;

export type FlagValues<F extends Record<string, FlagDef>> = { [K in keyof F]: FlagValue<F[K]> };

export interface CommandContext<F extends Record<string, FlagDef>> {
  flags: FlagValues<F>;
  /** Positional arguments before `--`. */
  positionals: string[];
  /** Everything after `--` (a migration command), untouched. */
  rest: string[];
  out: Output;
  /** Aborted on Ctrl-C / SIGTERM: long steps stop and clean up. */
  signal: AbortSignal;
}

export interface CommandDef<F extends Record<string, FlagDef> = Record<string, FlagDef>> {
  name: string;
  summary: string;
  /** Usage line after `logbook <name>`, e.g. `[--db URL] [--json]`. */
  usage: string;
  /** Longer help text: what it does, exit codes. */
  description?: string;
  flags: F;
  /** Whether `-- <command...>` is accepted. */
  acceptsRest?: boolean;
  run(ctx: CommandContext<F>): Promise<number | void>;
}

export function defineCommand<F extends Record<string, FlagDef>>(def: CommandDef<F>): CommandDef<F> {
  return def;
}
