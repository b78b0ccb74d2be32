// Turns argv into a command's typed flags with node:util parseArgs, validated by the flags' declarations; and
// renders the same declarations as usage lines and --help. Pure, so it is unit-tested.
import { parseArgs } from 'node:util';
import type { CommandDef, FlagDef, FlagValues, RestDef } from './command.ts';
import { usageError } from './errors.ts';

export interface ParsedInvocation<F extends Record<string, FlagDef>> {
  flags: FlagValues<F>;
  positionals: string[];
  rest: string[];
  help: boolean;
}

const orList = (words: readonly string[]) => (words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`);

function restOf(command: CommandDef): RestDef | null {
  if (!command.acceptsRest) return null;
  return command.acceptsRest === true ? { valueName: 'command...' } : command.acceptsRest;
}

export function parseInvocation<F extends Record<string, FlagDef>>(command: CommandDef<F>, argv: string[]): ParsedInvocation<F> {
  const separator = argv.indexOf('--');
  const own = separator === -1 ? argv : argv.slice(0, separator);
  const rest = separator === -1 ? [] : argv.slice(separator + 1);
  const see = `see: logbook ${command.name} --help`;
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, def] of Object.entries(command.flags)) {
    if (def.type === 'positional') continue;
    const multiple = def.type === 'string' && def.multiple;
    options[name] = {
      type: def.type === 'boolean' ? 'boolean' : 'string',
      ...(def.short ? { short: def.short } : {}),
      ...(multiple ? { multiple: true } : {}),
    };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: own, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError((error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''), see);
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const help = values.help === true;
  if (help) return { flags: {} as FlagValues<F>, positionals: parsed.positionals, rest, help };

  const restDef = restOf(command);
  if (rest.length > 0 && !restDef) throw usageError(`logbook ${command.name} takes no command after --`, see);
  if (restDef?.required && rest.length === 0) throw usageError(`no ${restDef.valueName.replace(/\.\.\.$/, '')}: put it after --`, restDef.example ?? see);

  const flags: Record<string, unknown> = {};
  const remaining = [...parsed.positionals];
  for (const [name, def] of Object.entries(command.flags)) {
    const label = def.type === 'positional' ? def.valueName : `--${name}`;
    if (def.type === 'positional') {
      flags[name] = def.multiple ? remaining.splice(0) : remaining.shift();
      if (def.required && (def.multiple ? (flags[name] as string[]).length === 0 : flags[name] === undefined)) {
        throw usageError(`${label} is required`, def.example ?? see);
      }
      continue;
    }
    const raw = values[name];
    if (def.type === 'boolean') {
      flags[name] = raw === true;
      continue;
    }
    if (raw === undefined || (Array.isArray(raw) && raw.length === 0)) {
      if (def.required) throw usageError(`${label} ${valueNameOf(def)} is required`, def.example ?? see);
      flags[name] = def.type === 'string' && def.multiple ? [] : def.config ? undefined : def.default;
      continue;
    }
    flags[name] = def.type === 'int' ? wholeNumber(label, raw as string, def, see) : raw;
    if (def.type === 'enum' && !def.options.includes(raw as string)) throw usageError(`${label} must be ${orList(def.options)}, not "${raw}"`, see);
  }
  if (remaining.length > 0) {
    throw usageError(
      `unexpected argument${remaining.length > 1 ? 's' : ''} ${remaining.map((a) => `"${a}"`).join(' ')}`,
      restDef ? `a command to run goes after --; ${see}` : see,
    );
  }
  for (const [name, def] of Object.entries(command.flags)) {
    for (const other of def.conflicts ?? []) {
      if (given(values[name]) && given(values[other])) throw usageError(`--${name} and --${other} contradict each other`, 'pass at most one of them');
    }
  }
  return { flags: flags as FlagValues<F>, positionals: parsed.positionals, rest, help };
}

const given = (value: unknown) => value !== undefined && value !== false && !(Array.isArray(value) && value.length === 0);

function wholeNumber(label: string, raw: string, { min, max }: { min?: number | undefined; max?: number | undefined }, see: string): number {
  const value = /^[+-]?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  const range =
    min !== undefined && max !== undefined
      ? ` from ${min} to ${max}`
      : min !== undefined
        ? ` of at least ${min}`
        : max !== undefined
          ? ` of at most ${max}`
          : '';
  if (!Number.isSafeInteger(value) || (min !== undefined && value < min) || (max !== undefined && value > max)) {
    throw usageError(`${label} must be a whole number${range}, not "${raw}"`, see);
  }
  return value;
}

function valueNameOf(def: FlagDef): string {
  if (def.type === 'enum') return def.valueName ?? def.options.join('|');
  if (def.type === 'int') return def.valueName ?? 'N';
  return def.valueName ?? 'VALUE';
}

/** `--format custom|directory`, `--force`, `PATH`: how a flag is written. */
function flagLabel(name: string, def: FlagDef): string {
  if (def.type === 'positional') return `${def.valueName}${def.multiple ? '...' : ''}`;
  if (def.type === 'boolean') return `--${name}`;
  return `--${name} ${valueNameOf(def)}${def.type === 'string' && def.multiple ? '...' : ''}`;
}

/** The words after `logbook <name>`: every flag, optional ones in brackets, then the command after `--`. */
export function usageWords(command: CommandDef): string[] {
  const entries = Object.entries(command.flags);
  const ordered = [...entries.filter(([, d]) => d.type === 'positional'), ...entries.filter(([, d]) => d.type !== 'positional')];
  const words = ordered.map(([name, def]) => (def.required ? flagLabel(name, def) : `[${flagLabel(name, def)}]`));
  const rest = restOf(command);
  if (rest) words.push(rest.required ? `-- <${rest.valueName}>` : `[-- <${rest.valueName}>]`);
  return words;
}

/** `Usage: logbook backup [--db URL] …`, wrapped at `width` columns under the first word. */
export function renderUsage(command: CommandDef, width = 100): string {
  const head = `Usage: logbook ${command.name}`;
  const lines = [head];
  for (const word of usageWords(command)) {
    const last = lines.length - 1;
    if (lines[last]!.length + 1 + word.length > width && lines[last]!.trim().length > head.length) lines.push(' '.repeat(head.length));
    lines[lines.length - 1] += ` ${word}`;
  }
  return lines.map((line) => line.trimEnd()).join('\n');
}

/** What --help says after a flag's description: required, default, repeatable. */
export function flagNotes(def: FlagDef): string {
  const notes: string[] = [];
  if (def.required) notes.push('required');
  if (def.type === 'string' && def.multiple) notes.push('repeatable');
  const fallback = def.type === 'string' || def.type === 'int' || def.type === 'enum' ? def.default : undefined;
  if (def.config) notes.push(`default: ${def.config} in the config${fallback === undefined ? '' : `, ${fallback} if unset there`}`);
  else if (fallback !== undefined) notes.push(`default: ${fallback}`);
  return notes.length ? ` (${notes.join('; ')})` : '';
}

export function renderCommandHelp(command: CommandDef): string {
  const lines = [`logbook ${command.name} — ${command.summary}`, '', renderUsage(command)];
  if (command.description) lines.push('', command.description.trim());
  const all = Object.entries(command.flags);
  const table = (entries: Array<[string, string]>) => {
    const width = Math.max(...entries.map(([label]) => label.length));
    return entries.map(([label, text]) => `  ${label.padEnd(width)}  ${text}`);
  };
  const positionals = all.filter(([, def]) => def.type === 'positional');
  if (positionals.length > 0)
    lines.push('', 'Arguments:', ...table(positionals.map(([name, def]) => [flagLabel(name, def), `${def.description}${flagNotes(def)}`])));
  const options: Array<[string, string]> = all
    .filter(([, def]) => def.type !== 'positional')
    .map(([name, def]) => [`${def.short ? `-${def.short}, ` : ''}${flagLabel(name, def)}`, `${def.description}${flagNotes(def)}`]);
  options.push(['-h, --help', 'Show this help']);
  lines.push('', 'Options:', ...table(options));
  return lines.join('\n');
}
