// The lock report: for each pending statement, the tables it locks (resolved through the snapshot and
// the batch so far), in which mode, their size, and how long a rewrite or scan may hold the lock (pure).
import type { LockMode, StatementLock, TableLock } from '../../schemas/findings.ts';
import { LOCK_MODES } from '../../schemas/findings.ts';
import type { ForeignKeySnapshot, Snapshot, TableSnapshot } from '../../schemas/snapshot.ts';
import { referencesTable } from '../names.ts';
import { type Effect, type NameRef, type ParsedStatement, type StatementLocks, statementLocks } from './statement-locks.ts';

export interface MigrationSql {
  name: string;
  /** Relative to the migrations folder. */
  file: string;
  statements: ParsedStatement[];
}

export interface AnalyzedStatement {
  migration: string;
  file: string;
  statement: ParsedStatement;
  /** Statements in the same migration.sql (CONCURRENTLY must be alone in a Prisma migration). */
  siblings: number;
  locks: StatementLocks;
  report: StatementLock;
  /** The table the statement is about (its first lock target: the ALTER TABLE, the index's table…), resolved. */
  target?: TableLock;
}

/**
 * Rough throughput for turning a size into a duration: an order of magnitude for a reviewer, not a promise.
 * A scan (validation, index build) reads the heap; a rewrite copies heap and TOAST and rebuilds every index.
 */
export const SCAN_BYTES_PER_SECOND = 200e6;
export const REWRITE_BYTES_PER_SECOND = 50e6;

/** `server_version` ("15.4 (Debian …)", "16beta1") as server_version_num; unknown means today's behaviour. */
export function serverVersionNum(version: string | null | undefined): number {
  const match = /^(\d+)(?:\.(\d+))?/.exec(version ?? '');
  if (!match) return 999_999;
  const major = Number(match[1]);
  const minor = Number(match[2] ?? 0);
  // Before 10, versions had three parts (9.6.3 → 90603).
  return major >= 10 ? major * 10_000 + minor : major * 10_000 + minor * 100;
}

export const lockRank = (mode: LockMode): number => LOCK_MODES.indexOf(mode);

const key = (schema: string, name: string) => JSON.stringify([schema, name]);

/** The snapshot's table for a name as written; unqualified names resolve the way Prisma's default search path does (public first). */
export function findTable(snapshot: Snapshot | null, ref: NameRef): TableSnapshot | undefined {
  if (!snapshot) return undefined;
  const candidates = snapshot.tables.filter((t) => t.name === ref.name && (ref.schema === null || t.schema === ref.schema));
  return candidates.find((t) => t.schema === 'public') ?? (candidates.length === 1 ? candidates[0] : undefined);
}

const oneLine = (sql: string, max = 200) => {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

function estimate(table: TableSnapshot | undefined, effect: Effect, created: boolean): number | null {
  if (!table || created || effect === 'none') return null;
  if (effect === 'scan') return Math.round(((table.tableBytes + table.toastBytes) / SCAN_BYTES_PER_SECOND) * 1000);
  return Math.round(((table.tableBytes + table.toastBytes + table.indexBytes) / REWRITE_BYTES_PER_SECOND) * 1000);
}

const strongerEffect = (a: Effect, b: Effect): Effect => (a === 'rewrite' || b === 'rewrite' ? 'rewrite' : a === 'scan' || b === 'scan' ? 'scan' : 'none');

/** Walks the pending migrations in order, remembering what the batch creates, and reports each statement's locks. */
export function buildLockReport(migrations: MigrationSql[], snapshot: Snapshot | null): AnalyzedStatement[] {
  const version = serverVersionNum(snapshot?.serverVersion);
  const created = new Set<string>();
  const createdIndexes = new Map<string, NameRef>();
  const analyzed: AnalyzedStatement[] = [];

  type Resolved = { schema: string | null; name: string; table: TableSnapshot | undefined; created: boolean };
  const resolve = (ref: NameRef): Resolved => {
    if (created.has(key(ref.schema ?? 'public', ref.name))) return { schema: ref.schema ?? 'public', name: ref.name, table: undefined, created: true };
    const table = findTable(snapshot, ref);
    return table ? { schema: table.schema, name: table.name, table, created: false } : { schema: ref.schema, name: ref.name, table: undefined, created: false };
  };
  const resolveIndex = (ref: NameRef): Resolved | null => {
    const fromBatch = createdIndexes.get(key(ref.schema ?? 'public', ref.name));
    if (fromBatch) return resolve(fromBatch);
    const candidates = (snapshot?.indexes ?? []).filter((i) => i.name === ref.name && (ref.schema === null || i.schema === ref.schema));
    const index = candidates.find((i) => i.schema === 'public') ?? (candidates.length === 1 ? candidates[0] : undefined);
    return index ? resolve({ schema: index.schema, name: index.table }) : null;
  };
  const byQualifiedName = (ref: ForeignKeySnapshot['references']) => snapshot?.tables.find((t) => referencesTable(ref, t));

  for (const migration of migrations) {
    for (const statement of migration.statements) {
      const locks = statementLocks(statement, version);
      const merged = new Map<string, TableLock>();
      const add = (target: Resolved, mode: LockMode, effect: Effect) => {
        const id = key(target.schema ?? '', target.name);
        const before = merged.get(id);
        const strongest = before && lockRank(before.mode) >= lockRank(mode) ? before.mode : mode;
        const combined = strongerEffect(before?.effect ?? 'none', effect);
        merged.set(id, {
          schema: target.schema,
          table: target.name,
          mode: strongest,
          effect: combined,
          created: target.created,
          rows: target.table?.rows ?? (target.created ? 0 : null),
          bytes: target.table ? target.table.tableBytes + target.table.toastBytes + target.table.indexBytes : target.created ? 0 : null,
          estimatedMs: estimate(target.table, combined, target.created),
        });
      };
      const unresolved: string[] = [];
      let targetId: string | undefined;
      // A table this statement creates is new already for its own locks (CREATE TABLE locks the new table).
      for (const ref of locks.creates) created.add(key(ref.schema ?? 'public', ref.name));
      for (const [i, intent] of locks.intents.entries()) {
        if (i === 0 && (intent.on === 'table' || intent.on === 'index')) {
          const target = intent.on === 'table' ? resolve(intent.ref) : resolveIndex(intent.ref);
          if (target) targetId = key(target.schema ?? '', target.name);
        }
        if (intent.on === 'table') {
          const target = resolve(intent.ref);
          // A name the snapshot does not know, read by a query, is most likely a CTE or a view: not a table lock worth reporting.
          if (intent.mode === 'ACCESS SHARE' && !target.table && !target.created) continue;
          add(target, intent.mode, intent.effect);
        } else if (intent.on === 'index') {
          const target = resolveIndex(intent.ref);
          if (target) add(target, intent.mode, intent.effect);
          else unresolved.push(`index ${intent.ref.schema ? `${intent.ref.schema}.` : ''}${intent.ref.name}`);
        } else if (intent.on === 'fk-referenced') {
          const table = resolve(intent.table);
          const fk = snapshot?.foreignKeys.find((f) => f.name === intent.constraint && f.schema === table.schema && f.table === table.name);
          const referenced = fk ? byQualifiedName(fk.references) : undefined;
          if (referenced && !table.created) add(resolve({ schema: referenced.schema, name: referenced.name }), intent.mode, 'none');
        } else {
          const table = resolve(intent.table);
          if (!table.table) continue;
          const fks = snapshot?.foreignKeys ?? [];
          if (intent.referenced) {
            for (const fk of fks.filter((f) => f.schema === table.schema && f.table === table.name)) {
              const referenced = byQualifiedName(fk.references);
              if (referenced && referenced !== table.table) add(resolve({ schema: referenced.schema, name: referenced.name }), intent.mode, 'none');
            }
          }
          if (intent.referencing !== 'no') {
            const start = { schema: table.schema ?? '', name: table.name };
            const seen = new Set([JSON.stringify([start.schema, start.name])]);
            const queue = [start];
            while (queue.length) {
              const current = queue.shift()!;
              for (const fk of fks.filter((f) => referencesTable(f.references, current))) {
                const from = snapshot!.tables.find((t) => t.schema === fk.schema && t.name === fk.table);
                const id = JSON.stringify([fk.schema, fk.table]);
                if (!from || seen.has(id)) continue;
                seen.add(id);
                add(resolve({ schema: from.schema, name: from.name }), intent.mode, 'none');
                if (intent.referencing === 'transitive') queue.push({ schema: from.schema, name: from.name });
              }
            }
          }
        }
      }
      if (locks.renames && created.has(key(locks.renames.from.schema ?? 'public', locks.renames.from.name))) {
        created.add(key(locks.renames.to.schema ?? 'public', locks.renames.to.name));
      }
      if (locks.createsIndex) {
        const table = resolve(locks.createsIndex.table);
        createdIndexes.set(key(locks.createsIndex.index.schema ?? table.schema ?? 'public', locks.createsIndex.index.name), {
          schema: table.schema,
          name: table.name,
        });
      }
      const notes = [locks.note, unresolved.length ? `${unresolved.join(', ')} is not in the snapshot: its table is unknown` : undefined].filter(Boolean);
      analyzed.push({
        migration: migration.name,
        file: migration.file,
        statement,
        siblings: migration.statements.length - 1,
        locks,
        ...(targetId && merged.has(targetId) ? { target: merged.get(targetId)! } : {}),
        report: {
          migration: migration.name,
          file: migration.file,
          line: statement.line,
          kind: locks.kind,
          statement: oneLine(statement.text),
          locks: [...merged.values()].sort((a, b) => lockRank(b.mode) - lockRank(a.mode)),
          ...(notes.length ? { note: notes.join('; ') } : {}),
        },
      });
    }
  }
  return analyzed;
}
