// Each environment's chain, checked from the records alone: positions (seq) from the ledger must run 1, 2, 3…
// without gaps or duplicates, and every link must point at the record (or rollback event) just before it.
// Version-1 records (no seq) keep their original check: ordered by start time, linked by `previous`.
import type { MigrationRecord } from '../../schemas/record.ts';

export type ChainProblem =
  | { kind: 'missing'; environment: string; after: string | null; before: string; detail: string }
  | { kind: 'fork'; environment: string; records: string[]; detail: string }
  | { kind: 'relinked'; environment: string; record: string; detail: string };

/** One link of a chain: a filed record, or the ledger event of a rollback appended to one. */
export interface ChainLink {
  /** The record's id, or `<id> (rollback)`. */
  label: string;
  seq: number;
  previous: string | null;
  digest: string;
}

/** The positioned links of one environment's records: each anchored record, and each rollback event. */
export function chainLinks(records: MigrationRecord[]): ChainLink[] {
  const links: ChainLink[] = [];
  for (const record of records) {
    const { integrity } = record;
    if (integrity.seq !== undefined) links.push({ label: record.id, seq: integrity.seq, previous: integrity.previous, digest: integrity.digest });
    const event = integrity.rollbackEvent;
    if (event) links.push({ label: `${record.id} (rollback)`, seq: event.seq, previous: event.previous, digest: event.digest });
  }
  return links.sort((a, b) => a.seq - b.seq || (a.label < b.label ? -1 : 1));
}

/** Order in which records of one environment were filed (version 1, which has no positions). */
export function filingOrder<T extends Pick<MigrationRecord, 'startedAt' | 'id'>>(records: T[]): T[] {
  return [...records].sort((a, b) => (a.startedAt === b.startedAt ? (a.id < b.id ? -1 : 1) : a.startedAt < b.startedAt ? -1 : 1));
}

const short = (digest: string | null) => (digest === null ? 'the start of the chain' : digest.slice(0, 12));

/** Version-1 records: `previous` must be the digest of the record filed just before (by start time). */
function checkUnpositioned(environment: string, list: MigrationRecord[]): ChainProblem[] {
  const problems: ChainProblem[] = [];
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
  return problems;
}

/** Positioned links: no duplicate or missing position, each link pointing at the one before it. */
function checkPositioned(environment: string, links: ChainLink[], unpositioned: MigrationRecord[]): ChainProblem[] {
  const problems: ChainProblem[] = [];
  const bySeq = Map.groupBy(links, (l) => l.seq);
  for (const [seq, held] of bySeq) {
    if (held.length > 1)
      problems.push({
        kind: 'fork',
        environment,
        records: held.map((l) => l.label),
        detail: `position ${seq} is held by ${held.map((l) => l.label).join(' and ')}`,
      });
  }
  const byPrevious = Map.groupBy(links, (l) => l.previous ?? 'genesis');
  for (const [previous, children] of byPrevious) {
    const seqs = new Set(children.map((l) => l.seq));
    // Two records claiming one position are reported above; two positions after one link are a fork.
    if (seqs.size > 1) {
      problems.push({
        kind: 'fork',
        environment,
        records: children.map((l) => l.label),
        detail: `${children.map((l) => `${l.label} (#${l.seq})`).join(' and ')} both follow ${short(previous === 'genesis' ? null : previous)}`,
      });
    }
  }
  const byDigest = new Map(links.map((l) => [l.digest, l]));
  // The ledger's first position follows the newest record filed before the ledger existed (or nothing).
  const before = new Set(unpositioned.map((r) => r.integrity.digest));
  const seqs = [...bySeq.keys()].sort((a, b) => a - b);
  let expected = 1;
  for (const seq of seqs) {
    const link = bySeq.get(seq)![0]!;
    const priorLinks = bySeq.get(seq - 1);
    if (seq > expected) {
      const after = expected > 1 ? (bySeq.get(expected - 1)?.[0]?.label ?? null) : null;
      const range = seq - expected === 1 ? `position ${expected} is` : `positions ${expected}–${seq - 1} are`;
      problems.push({
        kind: 'missing',
        environment,
        after,
        before: link.label,
        detail: `${range} missing: the chain jumps from ${after ?? 'its start'} to ${link.label} (#${seq})`,
      });
    }
    expected = seq + 1;
    for (const current of bySeq.get(seq)!) {
      if (priorLinks) {
        const prior = priorLinks[0]!;
        if (priorLinks.some((p) => p.digest === current.previous)) continue;
        const pointsAt = current.previous === null ? undefined : byDigest.get(current.previous);
        const why = pointsAt
          ? `points at ${pointsAt.label} (#${pointsAt.seq})`
          : current.previous === null
            ? 'points at the start of the chain'
            : `points at ${short(current.previous)}, which no record has`;
        problems.push({
          kind: 'relinked',
          environment,
          record: current.label,
          detail: `${current.label} (#${seq}) ${why}, not at ${prior.label} (#${seq - 1}): the order was changed`,
        });
      } else if (seq === 1 && current.previous !== null && !before.has(current.previous)) {
        problems.push({
          kind: 'missing',
          environment,
          after: null,
          before: current.label,
          detail: `the record before ${current.label} (#1, digest ${short(current.previous)}) is missing`,
        });
      }
    }
  }
  return problems;
}

/** Every chain problem of every environment. */
export function checkChains(records: MigrationRecord[]): ChainProblem[] {
  const problems: ChainProblem[] = [];
  for (const [environment, list] of Map.groupBy(records, (r) => r.environment)) {
    const unpositioned = list.filter((r) => r.integrity.seq === undefined);
    // A version-2 record is filed with a ledger position or marked unanchored: one with neither had its position removed.
    for (const record of unpositioned.filter((r) => r.schemaVersion >= 2 && !r.integrity.unanchored)) {
      problems.push({
        kind: 'relinked',
        environment,
        record: record.id,
        detail: `${record.id} is a version-2 record without a ledger position: its position (seq) was removed`,
      });
    }
    // Unanchored records are listed by verify on their own; the version-1 chain check would see them as forks.
    problems.push(
      ...checkUnpositioned(
        environment,
        unpositioned.filter((r) => !r.integrity.unanchored && r.schemaVersion < 2),
      ),
    );
    problems.push(...checkPositioned(environment, chainLinks(list), unpositioned));
  }
  return problems;
}
