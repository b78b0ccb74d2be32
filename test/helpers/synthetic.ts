// Schema-valid snapshots and records made up in memory, for unit tests, site tests and benchmarks.
import { computeIntegrity } from '../../src/core/record/digest.ts';
import { RECORD_SCHEMA_VERSION, type MigrationRecord } from '../../src/schemas/record.ts';
import type { IndexSnapshot, MigrationEntry, Snapshot, TableSnapshot } from '../../src/schemas/snapshot.ts';

export function makeTable(name: string, rows: number, extra: Partial<TableSnapshot> = {}): TableSnapshot {
  const [schema, table] = name.includes('.') ? (name.split('.') as [string, string]) : ['public', name];
  return {
    schema,
    name: table,
    kind: 'table',
    rows,
    counted: 'exact',
    lastAnalyzed: null,
    tableBytes: rows * 120,
    indexBytes: rows * 40,
    toastBytes: 0,
    partitions: [],
    ...extra,
  };
}

export function makeIndex(table: string, name: string, definition?: string): IndexSnapshot {
  const [schema, tableName] = table.includes('.') ? (table.split('.') as [string, string]) : ['public', table];
  return {
    schema,
    table: tableName,
    name,
    definition: definition ?? `CREATE INDEX ${name} ON ${schema}.${tableName} USING btree (id)`,
    unique: false,
    primary: false,
    valid: true,
    ready: true,
    bytes: 8192,
  };
}

export function makeMigration(name: string, status: MigrationEntry['status'] = 'applied'): MigrationEntry {
  return { name, status, edited: false, missingFromFolder: false, startedAt: null, finishedAt: null, appliedStepsCount: status === 'applied' ? 1 : null };
}

export function makeSnapshot(spec: { tables?: Record<string, number>; indexes?: IndexSnapshot[]; migrations?: MigrationEntry[]; capturedAt?: string } = {}): Snapshot {
  return {
    capturedAt: spec.capturedAt ?? '2026-01-01T00:00:00.000Z',
    durationMs: 12,
    serverVersion: '15.18',
    database: 'game',
    databaseBytes: 50_000_000,
    tables: Object.entries(spec.tables ?? { players: 100 }).map(([name, rows]) => makeTable(name, rows)),
    indexes: spec.indexes ?? [],
    foreignKeys: [],
    extensions: [{ name: 'plpgsql', version: '1.0' }],
    migrations: { source: 'prisma', hasHistory: true, folder: null, migrations: spec.migrations ?? [] },
  };
}

type RecordFacts = Omit<MigrationRecord, 'integrity'>;

/** A successful record; override any field. Its integrity block is computed, chained to `previous`. */
export function makeRecord(overrides: Partial<RecordFacts> = {}, previous: string | null = null): MigrationRecord {
  const startedAt = overrides.startedAt ?? '2026-01-01T10:00:00.000Z';
  const facts: RecordFacts = {
    schemaVersion: RECORD_SCHEMA_VERSION,
    id: '2026-01-01-add-players-production',
    title: 'add_players',
    migrations: ['20260101000000_add_players'],
    environment: 'production',
    status: 'success',
    performedBy: { name: 'Ada Lovelace', email: 'ada@example.com' },
    toolVersion: '0.1.0',
    startedAt,
    finishedAt: '2026-01-01T10:05:00.000Z',
    database: { url: 'postgresql://app:***@db.internal:5432/game', name: 'game' },
    runbook: { slug: 'production-migration', version: '1.0.0' },
    code: { commit: 'a'.repeat(40), branch: 'main', dirty: false, remote: 'https://example.com/acme/game.git' },
    pre: makeSnapshot({ tables: { players: 100 } }),
    post: makeSnapshot({ tables: { players: 120, matches: 10 } }),
    lint: [],
    backup: null,
    execution: {
      command: ['npx', 'prisma', 'migrate', 'deploy'],
      startedAt,
      finishedAt: '2026-01-01T10:01:00.000Z',
      durationMs: 60_000,
      exitCode: 0,
      signal: null,
      outputTail: 'All migrations have been successfully applied.',
      downtimeMs: null,
    },
    checks: [],
    checklist: [],
    timeline: [],
    outcome: { performanceImpact: 'unknown' },
    rollback: null,
    ...overrides,
  };
  return { ...facts, integrity: computeIntegrity(facts, previous) };
}
