// The README's command table, rendered from the commands' declarations (scripts/cli-reference.ts writes it; a test
// fails when the README and the declarations disagree).
import type { CommandDef } from './command.ts';
import { usageWords } from './parse-args.ts';

export const REFERENCE_START = "<!-- cli-reference:start: generated from the commands' declarations by `npm run cli-reference` -->";
export const REFERENCE_END = '<!-- cli-reference:end -->';

const cell = (text: string) => text.replaceAll('|', '\\|');

export function renderCliReference(commands: CommandDef[]): string {
  return [
    '| command | what it does |',
    '| --- | --- |',
    ...commands.map((c) => `| ${cell(`\`${[c.name, ...usageWords(c)].join(' ')}\``)} | ${cell(c.summary)} |`),
  ].join('\n');
}

/** The README with its generated section replaced; throws when the markers are missing. */
export function withCliReference(readme: string, commands: CommandDef[]): string {
  const start = readme.indexOf(REFERENCE_START);
  const end = readme.indexOf(REFERENCE_END);
  if (start === -1 || end < start) throw new Error(`the README has no ${REFERENCE_START} … ${REFERENCE_END} section`);
  return `${readme.slice(0, start + REFERENCE_START.length)}\n${renderCliReference(commands)}\n${readme.slice(end)}`;
}
