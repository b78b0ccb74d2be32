// The coverage audits the dashboard shows: content/audits/<env>.json, validated by the same schema the CLI writes
// with, so a hand-edited or broken file fails the build with its name and field.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatProblem, problemsFromZod } from '../core/problems.ts';
import { coverageAuditSchema, type CoverageAudit } from '../schemas/audit.ts';
import { auditsDir } from './content-dirs.ts';

export function readAudits(dir: string = auditsDir()): CoverageAudit[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const file = join(dir, name);
      const parsed = coverageAuditSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (!parsed.success) throw new Error(`invalid audit:\n  ${problemsFromZod(parsed.error, file).map(formatProblem).join('\n  ')}`);
      return parsed.data;
    });
}

/** One line a person reads: "all 212 applied migrations recorded", or the gaps. */
export function coverageLine(audit: CoverageAudit): string {
  if (audit.ok) return `all ${audit.applied} applied migration${audit.applied === 1 ? '' : 's'} recorded`;
  return `${audit.gaps.length} gap${audit.gaps.length === 1 ? '' : 's'}: ${audit.recorded} of ${audit.applied} applied migrations recorded`;
}
