// Turns argv into a command's typed flags with node:util parseArgs; pure, so it is unit-tested.
import { parseArgs } from 'node:util';
import type { CommandDef, FlagDef, FlagValues } from './command.ts';
import { usageError } from './errors.ts';

export interface ParsedInvocation<F extends Record<string, FlagDef>> {
  flags: FlagValues<F>;
  positionals: string[];
  rest: string[];
  help: boolean;
}

export function parseInvocation<F extends Record<string, FlagDef>>(command: CommandDef<F>, argv: string[]): ParsedInvocation<F> {
  const separator = argv.indexOf('--');
  const own = separator === -1 ? argv : argv.slice(0, separator);
  const rest = separator === -1 ? [] : argv.slice(separator + 1);
  if (rest.length > 0 && !command.acceptsRest) {
    throw usageError(`logbook ${command.name} takes no command after --`, `see: logbook ${command.name} --help`);
  }
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, def] of Object.entries(command.flags)) {
    options[name] = { type: def.type, ...(def.short ? { short: def.short } : {}), ...(def.multiple ? { multiple: true } : {}) };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: own, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError((error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''), `see: logbook ${command.name} --help`);
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const flags: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(command.flags)) {
    const value = values[name];
    flags[name] = def.type === 'boolean' ? value === true : def.multiple ? (value ?? []) : value;
  }
  return { flags: flags as FlagValues<F>, positionals: parsed.positionals, rest, help: values.help === true };
}

export function renderCommandHelp(command: CommandDef): string {
  const lines = [`logbook ${command.name} — ${command.summary}`, '', `Usage: logbook ${command.name} ${command.usage}`.trimEnd()];
  if (command.description) lines.push('', command.description.trim());
  const entries: Array<[string, string]> = Object.entries(command.flags).map(([name, def]) => {
    const short = def.short ? `-${def.short}, ` : '';
    return [`${short}--${name}${def.type === 'string' ? ` ${def.valueName ?? 'VALUE'}` : ''}`, def.description];
  });
  entries.push(['-h, --help', 'Show this help']);
  const width = Math.max(...entries.map(([label]) => label.length));
  lines.push('', 'Options:', ...entries.map(([label, text]) => `  ${label.padEnd(width)}  ${text}`));
  return lines.join('\n');
}
