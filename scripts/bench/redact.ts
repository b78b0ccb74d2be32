// Redaction benchmark: throughput of redactText on 1 MB, 5 MB and 50 MB of realistic migration output,
// a single 5 MB line of hex (what a bytea dump prints), and adversarial inputs for each catalogue rule
// (its keywords everywhere, no complete match), plus a streamed 5 MB line through OutputTail.
// Usage: npm run bench:redact [-- --quick]   (--quick leaves out the 50 MB input)
import { OutputTail } from '../../src/core/output-tail.ts';
import { TOKEN_FORMATS } from '../../src/core/redact/token-formats.ts';
import { redactText, registerSecret, registerSecretsFromEnvironment } from '../../src/core/redact.ts';
import { FAKE } from '../../test/helpers/fake-secrets.ts';

const MB = 1_000_000;
const quick = process.argv.includes('--quick');

// A realistic registry: the database password and a few dozen secret-named env vars.
registerSecret('db-password-for-bench');
registerSecretsFromEnvironment(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`SERVICE_${i}_TOKEN`, `bench-secret-value-${i}-${'x'.repeat(i)}`])));

function fill(unit: string, size: number): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

const migrationOutput = [
  'Applying migration `20240301_add_wallet_index`',
  'ALTER TABLE "players" ADD COLUMN "wallet_address" TEXT;',
  `connecting to postgresql://app:db-password-for-bench@db.internal:5432/game`,
  `GITHUB_TOKEN=${FAKE.github}`,
  'The following migration(s) have been applied: 20240301_add_wallet_index',
  '',
].join('\n');

const inputs: [string, (size: number) => string, number[]][] = [
  ['migration output (lines, a secret every few lines)', (size) => fill(migrationOutput, size), quick ? [MB, 5 * MB] : [MB, 5 * MB, 50 * MB]],
  ['one line of hex', (size) => fill('deadbeef0123456789abcdef', size), [5 * MB]],
  ...TOKEN_FORMATS.map((format): [string, (size: number) => string, number[]] => [
    `adversarial for ${format.id}`,
    (size) => fill(`${format.keywords[0]}${format.keywords[0]!.toUpperCase()}a=`, size),
    [MB, 5 * MB],
  ]),
  ['adversarial for private-key', (size) => fill('-----BEGIN x', size), [MB, 5 * MB]],
];

const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/** Wall and CPU time: on a busy machine the CPU time is what redaction itself costs. */
function measure(text: string): { wall: number; cpu: number } {
  const started = performance.now();
  const cpuStarted = cpuMs();
  redactText(text);
  return { wall: performance.now() - started, cpu: cpuMs() - cpuStarted };
}

const row = (name: string, size: number, { wall, cpu }: { wall: number; cpu: number }) =>
  console.log(
    name.padEnd(56),
    `${size / MB} MB`.padStart(7),
    `${wall.toFixed(0)} ms`.padStart(9),
    `${cpu.toFixed(0)} ms`.padStart(9),
    `${(size / MB / (cpu / 1000)).toFixed(1)} MB/s`.padStart(12),
  );

// Compiling the catalogue and building the automata happens once per process: not part of a measurement.
redactText(`warm-up ${migrationOutput}`);

console.log('input'.padEnd(56), 'size'.padStart(7), 'wall'.padStart(9), 'cpu'.padStart(9), 'MB/s (cpu)'.padStart(12));
for (const [name, make, sizes] of inputs) {
  for (const size of sizes) {
    row(name, size, measure(make(size)));
  }
}

// Streaming: a 5 MB line arriving in 64 KiB chunks, as a child's pipe delivers it.
const line = fill('deadbeef', 5 * MB);
const tail = new OutputTail();
const started = performance.now();
const cpuStarted = cpuMs();
for (let i = 0; i < line.length; i += 65_536) tail.push(line.slice(i, i + 65_536));
tail.end();
row('streamed 5 MB line through OutputTail', 5 * MB, { wall: performance.now() - started, cpu: cpuMs() - cpuStarted });
