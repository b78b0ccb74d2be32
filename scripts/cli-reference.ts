// `npm run cli-reference`: rewrites the README's command table from the commands' declarations.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCommands } from '../src/cli/main.ts';
import { withCliReference } from '../src/cli/reference.ts';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));
const before = readFileSync(readme, 'utf8');
const after = withCliReference(before, await loadCommands());
writeFileSync(readme, after);
console.log(before === after ? 'README.md: the CLI reference was up to date' : 'README.md: CLI reference rewritten');
