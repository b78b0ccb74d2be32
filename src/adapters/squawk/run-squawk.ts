// Runs the squawk binary shipped by npm `squawk-cli` (offline) on SQL files and returns its JSON findings.
import { createRequire } from 'node:module';
import { LogbookError } from '../../core/errors.ts';
import { describeEnd, runProcess } from '../process/run-process.ts';

/** One finding as `squawk --reporter json` prints it; line and column are 0-based. */
export interface SquawkViolation {
  file: string;
  line: number;
  column: number;
  level: 'Warning' | 'Error' | string;
  message: string;
  help: string | null;
  rule_name: string;
}

/** The native binary itself: skips the package's Node wrapper (one process instead of two). */
function squawkBinary(): string {
  try {
    const wrapper = createRequire(import.meta.url)('squawk-cli/js/index.js') as { getBinaryPath(): string };
    return wrapper.getBinaryPath();
  } catch (error) {
    throw new LogbookError('the squawk linter is not installed', {
      code: 'E_NO_SQUAWK',
      outcome: 'usage',
      cause: error,
      hint: 'run `npm ci` (squawk-cli and its platform package are dev dependencies; optional dependencies must not be skipped)',
    });
  }
}

export interface SquawkOptions {
  /** squawk looks for a .squawk.toml from here upwards, so the app repo's own squawk config applies. */
  cwd: string;
  /** Target server version (e.g. "15.4"): rules that only matter on older servers stay quiet. */
  pgVersion?: string | undefined;
  /** Rules squawk should not report (note: squawk then ignores the excluded_rules of a .squawk.toml). */
  exclude?: readonly string[] | undefined;
  signal?: AbortSignal | undefined;
}

export async function runSquawk(files: string[], options: SquawkOptions): Promise<SquawkViolation[]> {
  if (files.length === 0) return [];
  const args = [
    '--reporter',
    'json',
    ...(options.pgVersion ? [`--pg-version=${options.pgVersion}`] : []),
    ...(options.exclude?.length ? [`--exclude=${options.exclude.join(',')}`] : []),
    ...files,
  ];
  const result = await runProcess(squawkBinary(), args, { cwd: options.cwd, stdout: 'text', stderr: 'text', signal: options.signal });
  options.signal?.throwIfAborted();
  if (result.spawnError) throw result.spawnError;
  const { stdout, stderr } = result;
  // Exit 1 only means "found something"; the JSON on stdout is the answer either way.
  try {
    const parsed: unknown = JSON.parse(stdout.trim() || '[]');
    if (!Array.isArray(parsed)) throw new Error('not a JSON array');
    return parsed as SquawkViolation[];
  } catch (error) {
    throw new LogbookError(`squawk failed (${describeEnd(result)}): ${(stderr || stdout).trim().split('\n')[0] ?? ''}`, {
      code: 'E_SQUAWK',
      outcome: 'attention',
      cause: error,
      hint: 'run the same files through `npx squawk` to see its full output',
    });
  }
}
