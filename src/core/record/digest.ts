// Tamper evidence for records: canonical digests of the captured facts, per section and as a whole,
// chained to the previous record of the same environment. Human prose (the MDX body,
// outcome.performanceImpact) is deliberately outside the digest: people are meant to edit it.
import { createHash } from 'node:crypto';
import type { MigrationRecord, RecordIntegrity } from '../../schemas/record.ts';

/** JSON with sorted keys and no undefined, so equal data always hashes equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

type Facts = Omit<MigrationRecord, 'integrity'>;

/** The facts as filed: a rollback appended later changes neither these nor the chain. */
function filedFacts(record: Facts): Record<string, unknown> {
  const { rollback, outcome, ...rest } = record;
  const { performanceImpact: _editable, ...capturedOutcome } = outcome;
  return { ...rest, status: rollback ? rollback.statusBefore : record.status, outcome: capturedOutcome };
}

export function sectionDigests(record: Facts): Record<string, string> {
  return Object.fromEntries(Object.entries(filedFacts(record)).map(([key, value]) => [key, sha256(canonicalJson(value))]));
}

function combine(sections: Record<string, string>): string {
  return sha256(canonicalJson(sections));
}

function rollbackDigest(record: Facts): string | undefined {
  return record.rollback ? sha256(canonicalJson({ status: record.status, rollback: record.rollback })) : undefined;
}

/** The integrity block for a record about to be written. */
export function computeIntegrity(record: Facts, previous: string | null): RecordIntegrity {
  const sections = sectionDigests(record);
  const rollback = rollbackDigest(record);
  return { algorithm: 'sha256', digest: combine(sections), sections, previous, ...(rollback ? { rollback } : {}) };
}

export interface RecordTamper {
  id: string;
  /** Sections whose facts no longer match what was filed. */
  editedSections: string[];
  /** The whole-record digest or the section list itself was altered. */
  digestMismatch: boolean;
  rollbackEdited: boolean;
}

/** Recompute one record's digests; null when it is intact. */
export function checkRecordDigest(record: MigrationRecord): RecordTamper | null {
  const { integrity, ...facts } = record;
  const now = sectionDigests(facts);
  const names = [...new Set([...Object.keys(now), ...Object.keys(integrity.sections)])].sort();
  const editedSections = names.filter((name) => now[name] !== integrity.sections[name]);
  const digestMismatch = combine(integrity.sections) !== integrity.digest;
  const expectedRollback = rollbackDigest(facts);
  const rollbackEdited = expectedRollback !== integrity.rollback || (record.rollback !== null && record.status !== 'rolled-back');
  if (editedSections.length === 0 && !digestMismatch && !rollbackEdited) return null;
  return { id: record.id, editedSections, digestMismatch, rollbackEdited };
}

export type ChainProblem =
  | { kind: 'missing'; environment: string; after: string | null; before: string; detail: string }
  | { kind: 'fork'; environment: string; records: string[]; detail: string };

/** Order in which records of one environment were filed. */
export function filingOrder<T extends Pick<MigrationRecord, 'startedAt' | 'id'>>(records: T[]): T[] {
  return [...records].sort((a, b) => (a.startedAt === b.startedAt ? (a.id < b.id ? -1 : 1) : a.startedAt < b.startedAt ? -1 : 1));
}

/** The chain of each environment: every `previous` must be the digest of the record filed just before. */
export function checkChains(records: MigrationRecord[]): ChainProblem[] {
  const problems: ChainProblem[] = [];
  const byEnvironment = Map.groupBy(records, (r) => r.environment);
  for (const [environment, list] of byEnvironment) {
    const ordered = filingOrder(list);
    const byPrevious = Map.groupBy(ordered, (r) => r.integrity.previous ?? 'genesis');
    for (const [previous, children] of byPrevious) {
      if (children.length > 1) {
        problems.push({
          kind: 'fork',
          environment,
          records: children.map((r) => r.id),
          detail: `${children.map((r) => r.id).join(' and ')} both follow ${previous === 'genesis' ? 'the start of the chain' : previous.slice(0, 12)}`,
        });
      }
    }
    // A `previous` that is no record's digest means the record it pointed at was deleted.
    const digests = new Set(ordered.map((r) => r.integrity.digest));
    ordered.forEach((record, i) => {
      const previous = record.integrity.previous;
      if (previous === null || digests.has(previous)) return;
      const prior = ordered[i - 1];
      problems.push({
        kind: 'missing',
        environment,
        after: prior?.id ?? null,
        before: record.id,
        detail: `the record filed before ${record.id} (digest ${previous.slice(0, 12)}) is missing${prior ? `; the chain jumps back to ${prior.id}` : ''}`,
      });
    });
  }
  return problems;
}
