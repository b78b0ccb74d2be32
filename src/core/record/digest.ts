// Tamper evidence for records: canonical digests of the captured facts, per section and as a whole,
// chained to the previous record of the same environment. Version 2 records (integrity.seq) also cover
// their position: environment, sequence number and previous digest. Human prose (the MDX body,
// outcome.performanceImpact) is deliberately outside the digest: people are meant to edit it.
import { createHash } from 'node:crypto';
import type { ChainEvent, MigrationRecord, RecordIntegrity } from '../../schemas/record.ts';

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

/** Where a new record sits: a ledger position, or none yet (filed while the ledger was unreachable). */
export type ChainPosition = { seq: number } | { unanchored: true };

/** A version-2 digest: the section digests and the record's place in its environment's chain. */
export function positionedDigest(sections: Record<string, string>, position: { environment: string; seq: number; previous: string | null }): string {
  return sha256(canonicalJson({ sections, environment: position.environment, seq: position.seq, previous: position.previous }));
}

/** The digest of a rollback's own ledger event: which record, its rollback digest, and the event's position. */
export function rollbackEventDigest(event: { environment: string; record: string; rollback: string; seq: number; previous: string | null }): string {
  return sha256(canonicalJson({ event: 'rollback', ...event }));
}

/**
 * The integrity block for a record about to be written. Without a position it is a version-1 block
 * (the digest covers the facts only), which is what every record filed before the ledger carries.
 */
export function computeIntegrity(record: Facts, previous: string | null, position?: ChainPosition): RecordIntegrity {
  const sections = sectionDigests(record);
  const rollback = rollbackDigest(record);
  const extra = rollback ? { rollback } : {};
  if (position && 'seq' in position) {
    const digest = positionedDigest(sections, { environment: record.environment, seq: position.seq, previous });
    return { algorithm: 'sha256', digest, sections, previous, seq: position.seq, ...extra };
  }
  return { algorithm: 'sha256', digest: combine(sections), sections, previous, ...extra, ...(position ? { unanchored: true as const } : {}) };
}

/** The same record's integrity after a rollback: every filed field kept (position, signature), the rollback digest added. */
export function integrityWithRollback(integrity: RecordIntegrity, record: Facts, event?: ChainEvent): RecordIntegrity {
  const rollback = rollbackDigest(record);
  return { ...integrity, ...(rollback ? { rollback } : {}), ...(event ? { rollbackEvent: event } : {}) };
}

/** The digest this record's integrity block should carry, given its (claimed) position. */
export function expectedDigest(record: MigrationRecord): string {
  const { integrity } = record;
  return integrity.seq === undefined
    ? combine(integrity.sections)
    : positionedDigest(integrity.sections, { environment: record.environment, seq: integrity.seq, previous: integrity.previous });
}

export interface RecordTamper {
  id: string;
  /** Sections whose facts no longer match what was filed. */
  editedSections: string[];
  /** The whole-record digest, the section list or (version 2) the position — seq, previous — was altered. */
  digestMismatch: boolean;
  rollbackEdited: boolean;
  /** The rollback's ledger event no longer matches its position or the rollback. */
  rollbackEventEdited?: boolean;
}

/** Recompute one record's digests; null when it is intact. */
export function checkRecordDigest(record: MigrationRecord): RecordTamper | null {
  const { integrity, ...facts } = record;
  const now = sectionDigests(facts);
  const names = [...new Set([...Object.keys(now), ...Object.keys(integrity.sections)])].sort();
  const editedSections = names.filter((name) => now[name] !== integrity.sections[name]);
  const digestMismatch = expectedDigest(record) !== integrity.digest;
  const expectedRollback = rollbackDigest(facts);
  const rollbackEdited = expectedRollback !== integrity.rollback || (record.rollback !== null && record.status !== 'rolled-back');
  const event = integrity.rollbackEvent;
  const rollbackEventEdited =
    event !== undefined &&
    (integrity.rollback === undefined ||
      rollbackEventDigest({ environment: record.environment, record: record.id, rollback: integrity.rollback, seq: event.seq, previous: event.previous }) !==
        event.digest);
  if (editedSections.length === 0 && !digestMismatch && !rollbackEdited && !rollbackEventEdited) return null;
  return { id: record.id, editedSections, digestMismatch, rollbackEdited, rollbackEventEdited };
}

// The chain checks live in chain.ts; re-exported so existing importers keep one place to look.
export { checkChains, filingOrder, type ChainProblem } from './chain.ts';
