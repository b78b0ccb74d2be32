// defineCommand: a typed description of one CLI command; its flag declarations validate input and render --help.
import type { Output } from './output.ts';

interface FlagBase {
  description: string;
  short?: string;
  /** Placeholder shown in --help and usage lines, e.g. URL. */
  valueName?: string;
  /** Missing it is a usage error (exit 2). */
  required?: boolean;
  /** Flags that cannot be given together with this one. */
  conflicts?: readonly string[];
  /**
   * The config key whose value a command uses when the flag is absent, e.g. `backup.verify`: the parser then
   * leaves the flag undefined, and --help names the key (with `default`, the config schema's own default,
   * which a test keeps equal to the schema).
   */
  config?: string;
  /** Hint shown when a required flag is missing, e.g. `logbook restore --from .logbook/backups/…`. */
  example?: string;
}

export interface StringFlagDef extends FlagBase {
  type: 'string';
  /** Repeatable, collected into an array. */
  multiple?: boolean;
  default?: string;
}

export interface BooleanFlagDef extends FlagBase {
  type: 'boolean';
}

/** A whole number, optionally bounded. */
export interface IntFlagDef extends FlagBase {
  type: 'int';
  min?: number;
  max?: number;
  default?: number;
}

/** One of a fixed list of words. */
export interface EnumFlagDef extends FlagBase {
  type: 'enum';
  options: readonly string[];
  default?: string;
}

/** An argument without a flag name, taken in declaration order. */
export interface PositionalDef extends FlagBase {
  type: 'positional';
  valueName: string;
  /** Takes every remaining positional argument. */
  multiple?: boolean;
}

export type FlagDef = StringFlagDef | BooleanFlagDef | IntFlagDef | EnumFlagDef | PositionalDef;

/** Present whatever the user typed: required, or defaulted by the parser (not by the config). */
type Always<D> = D extends { required: true } ? true : D extends { config: string } ? false : D extends { default: unknown } ? true : false;
type Maybe<D, T> = Always<D> extends true ? T : T | undefined;

type FlagValue<D extends FlagDef> = D extends { type: 'boolean' }
  ? boolean
  : D extends { multiple: true }
    ? string[]
    : D extends { type: 'int' }
      ? Maybe<D, number>
      : D extends { type: 'enum'; options: readonly (infer O)[] }
        ? Maybe<D, O>
        : Maybe<D, string>;

export type FlagValues<F extends Record<string, FlagDef>> = { [K in keyof F]: FlagValue<F[K]> };

export interface CommandContext<F extends Record<string, FlagDef>> {
  flags: FlagValues<F>;
  /** Positional arguments before `--` (also set, by name, in `flags` for declared positionals). */
  positionals: string[];
  /** Everything after `--` (a migration command), untouched. */
  rest: string[];
  out: Output;
  /** Aborted on Ctrl-C / SIGTERM: long steps stop and clean up. */
  signal: AbortSignal;
}

/** What `-- <command...>` is, for commands that take one. */
export interface RestDef {
  /** Shown in usage lines, e.g. `migration command...`. */
  valueName: string;
  required?: boolean;
  /** Hint given when a required command is missing, e.g. an example. */
  example?: string;
}

export interface CommandDef<F extends Record<string, FlagDef> = Record<string, FlagDef>> {
  name: string;
  /** One line: the command list and the README show it. */
  summary: string;
  /** Ignored: usage lines are generated from the flags. Kept so older declarations still type-check. */
  usage?: string;
  /** Longer help text: what it does, exit codes. */
  description?: string;
  flags: F;
  /** Whether `-- <command...>` is accepted (`true`, or what it is). */
  acceptsRest?: boolean | RestDef;
  /**
   * Runs the command. Import heavy modules inside it (`await import(...)`), not at the top of the command's
   * file: `logbook <command> --help` loads only the declaration.
   */
  run(ctx: CommandContext<F>): Promise<number | undefined>;
}

export function defineCommand<const F extends Record<string, FlagDef>>(def: CommandDef<F>): CommandDef<F> {
  return def;
}
