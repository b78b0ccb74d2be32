// Schema-valid snapshots and records made up in memory, for unit tests, site tests and benchmarks.
import { computeIntegrity } from '../../src/core/record/digest.ts';
import type { MigrationRecord } from '../../src/schemas/record.ts';
import type { BackupMeta, BackupTableCount } from '../../src/schemas/backup.ts';
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

export function makeSnapshot(
  spec: { tables?: Record<string, number>; indexes?: IndexSnapshot[]; migrations?: MigrationEntry[]; capturedAt?: string } = {},
): Snapshot {
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

/** A backup's sidecar facts with these per-table counts; override any field. */
export function makeBackup(tables: BackupTableCount[], overrides: Partial<BackupMeta> = {}): BackupMeta {
  return {
    schemaVersion: 1,
    path: '/backups/a.dump',
    format: 'custom',
    bytes: 10,
    sha256: 'a'.repeat(64),
    pgDumpVersion: '15',
    serverVersion: '15',
    database: 'game',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    durationMs: 1000,
    compression: 'gzip',
    tables,
    ...overrides,
  };
}

type RecordFacts = Omit<MigrationRecord, 'integrity'>;

/** A successful record; override any field. Its integrity block is computed, chained to `previous`. */
export function makeRecord(overrides: Partial<RecordFacts> = {}, previous: string | null = null): MigrationRecord {
  const startedAt = overrides.startedAt ?? '2026-01-01T10:00:00.000Z';
  const facts: RecordFacts = {
    // Without a ledger position these are version-1 records, as filed before the ledger existed.
    schemaVersion: 1,
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

/** A small deterministic PRNG (mulberry32), so generated histories are identical run to run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const historyTables = [
  'public.players',
  'public.matches',
  'public.match_events',
  'public.teams',
  'public.team_members',
  'public.leagues',
  'public.seasons',
  'public.venues',
  'public.tickets',
  'public.payments',
  'public.refunds',
  'public.audit_log',
  'public.sessions',
  'public.notifications',
  'billing.invoices',
  'billing.invoice_lines',
];
const historyPeople = [
  { name: 'Ada Lovelace', email: 'ada@example.com' },
  { name: 'Grace Hopper', email: 'grace@example.com' },
  { name: 'Edsger Dijkstra', email: 'edsger@example.com' },
  { name: 'Barbara Liskov', email: 'barbara@example.com' },
];
const migrationVerbs = ['add', 'drop', 'rename', 'backfill', 'index', 'alter', 'split', 'merge'];
const hex = (random: () => number, length: number) => Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');

export interface HistoryOptions {
  /** Environments and their share of runs; the default is mostly staging and production. */
  environments?: Array<[name: string, weight: number]>;
  /** Runbook step ids for the checklist (the real runbook's in the benchmark). */
  stepIds?: string[];
  /** First run; one run every few hours after it. */
  start?: string;
  seed?: number;
  /** The database every environment starts from (default: 10 small tables, one primary key each, no history). */
  schema?: SyntheticSchema;
}

export interface SyntheticSchema {
  tables: Array<{ name: string; rows: number; partitions?: string[] }>;
  indexes: IndexSnapshot[];
  /** Migrations already applied (the `_prisma_migrations` rows), oldest first; the list keeps this length. */
  applied: string[];
}

/**
 * A production-sized schema: 320 tables in five schemas, four of them partitioned by month, 1,200 indexes,
 * 400 applied migrations, row counts from zero to hundreds of millions (log-uniform).
 */
export function realisticSchema(seed = 7): SyntheticSchema {
  const random = seededRandom(seed);
  const schemas: Array<[string, number]> = [
    ['public', 120],
    ['billing', 60],
    ['analytics', 50],
    ['audit', 40],
    ['inventory', 50],
  ];
  const nouns = [
    'account',
    'order',
    'invoice',
    'payment',
    'event',
    'session',
    'product',
    'price',
    'stock',
    'shipment',
    'user',
    'team',
    'role',
    'grant',
    'token',
    'message',
    'thread',
    'file',
    'tag',
    'note',
  ];
  const tables: SyntheticSchema['tables'] = [];
  for (const [schema, count] of schemas) {
    for (let k = 0; k < count; k++) {
      const name = `${schema}.${nouns[k % nouns.length]}_${nouns[(k * 7 + 3) % nouns.length]}_${k}`;
      const rows = random() < 0.1 ? 0 : Math.floor(10 ** (random() * 8.7));
      const partitioned = schema === 'analytics' && k < 4;
      tables.push({
        name,
        rows,
        ...(partitioned ? { partitions: Array.from({ length: 12 }, (_, m) => `${name}_2025_${String(m + 1).padStart(2, '0')}`) } : {}),
      });
    }
  }
  const indexes: IndexSnapshot[] = tables.map((t) => {
    const short = t.name.split('.')[1]!;
    return { ...makeIndex(t.name, `${short}_pkey`, `CREATE UNIQUE INDEX ${short}_pkey ON ${t.name} USING btree (id)`), unique: true, primary: true };
  });
  const columns = ['created_at', 'updated_at', 'owner_id', 'status', 'external_id', 'tenant_id', 'email', 'sku'];
  for (let k = 0; indexes.length < 1200; k++) {
    const t = tables[Math.floor(random() * tables.length)]!;
    const short = t.name.split('.')[1]!;
    const cols = [columns[k % columns.length]!, ...(random() < 0.4 ? [columns[(k + 3) % columns.length]!] : [])];
    const name = `${short}_${cols.join('_')}_idx_${k}`;
    indexes.push(makeIndex(t.name, name, `CREATE INDEX ${name} ON ${t.name} USING btree (${cols.join(', ')})`));
  }
  const applied = Array.from(
    { length: 400 },
    (_, k) => `2021${String(Math.floor(k / 30) + 1).padStart(2, '0')}${String((k % 28) + 1).padStart(2, '0')}090000_migration_${k}`,
  );
  return { tables, indexes, applied };
}

export interface GeneratedRecord {
  record: MigrationRecord;
  /** What a person wrote under Notes, when anything. */
  notes?: string | undefined;
}

/**
 * A realistic history of n records, oldest first: several environments each with its own digest
 * chain and growing tables, a share of failures, aborted runs and rollbacks, backups with
 * verification, lint findings, checks and a checklist. Applied-migration lists are bounded to the
 * last 30 (as after a squash), so a record's size does not grow with the history.
 */
export function generateHistory(n: number, options: HistoryOptions = {}): GeneratedRecord[] {
  const random = seededRandom(options.seed ?? 42);
  const environments = options.environments ?? [
    ['production', 4],
    ['staging', 5],
    ['qa', 2],
  ];
  const totalWeight = environments.reduce((sum, [, w]) => sum + w, 0);
  const stepIds = options.stepIds ?? [
    'environment.confirm-database-url',
    'backup.create-full-backup',
    'deployment.run-migration',
    'verification.check-row-counts',
  ];
  const start = Date.parse(options.start ?? '2023-01-02T09:00:00.000Z');
  const state = new Map<string, { counts: Map<string, number>; applied: string[]; previous: string | null; indexes: IndexSnapshot[] }>();
  const out: GeneratedRecord[] = [];
  let clock = start;
  const pickable = options.schema ? options.schema.tables.map((t) => t.name) : historyTables;
  const partitionsOf = new Map((options.schema?.tables ?? []).filter((t) => t.partitions).map((t) => [t.name, t.partitions!]));
  const keepApplied = options.schema ? options.schema.applied.length : 30;
  const secondaryCap = options.schema ? options.schema.indexes.length : 20;

  for (let i = 0; i < n; i++) {
    clock += Math.floor((2 + random() * 6) * 3_600_000);
    let pick = random() * totalWeight;
    const environment =
      environments.find(([, w]) => {
        pick -= w;
        return pick < 0;
      })?.[0] ?? environments[0]![0];
    let env = state.get(environment);
    if (!env) {
      env = options.schema
        ? {
            counts: new Map(options.schema.tables.map((t) => [t.name, t.rows])),
            applied: [...options.schema.applied],
            previous: null,
            indexes: options.schema.indexes,
          }
        : {
            counts: new Map(historyTables.slice(0, 10).map((t, k) => [t, Math.floor(1000 * (k + 1) * (1 + random() * 50))])),
            applied: [],
            previous: null,
            indexes: historyTables
              .slice(0, 10)
              .map((t) => makeIndex(t, `${t.split('.')[1]}_pkey`, `CREATE UNIQUE INDEX ${t.split('.')[1]}_pkey ON ${t} USING btree (id)`)),
          };
      state.set(environment, env);
    }
    const roll = random();
    const status: MigrationRecord['status'] = roll < 0.05 ? 'failed' : roll < 0.08 ? 'rolled-back' : roll < 0.1 ? 'aborted' : 'success';
    const startedAt = new Date(clock).toISOString();
    const stamp = startedAt.slice(0, 19).replace(/[-:T]/g, '');
    const table = pickable[Math.floor(random() * pickable.length)]!;
    const short = table.split('.')[1]!;
    const migrationName = `${stamp}_${migrationVerbs[Math.floor(random() * migrationVerbs.length)]}_${short}_${i}`;
    const migrations = random() < 0.15 ? [migrationName, `${stamp}_followup_${i}`] : [migrationName];

    const snapshot = (counts: Map<string, number>, applied: string[], pending: string[], capturedAt: string, indexes: IndexSnapshot[]): Snapshot => ({
      ...makeSnapshot({ capturedAt }),
      databaseBytes: [...counts.values()].reduce((s, r) => s + r * 180, 0),
      tables: [...counts].map(([name, rows]) =>
        makeTable(name, rows, {
          ...(rows > 5_000_000 ? { counted: 'estimate' as const, lastAnalyzed: capturedAt } : {}),
          ...(partitionsOf.has(name) ? { kind: 'partitioned' as const, partitions: partitionsOf.get(name)! } : {}),
        }),
      ),
      indexes,
      migrations: {
        source: 'prisma',
        hasHistory: true,
        folder: 'prisma/migrations',
        migrations: [...applied.slice(-keepApplied).map((m) => makeMigration(m)), ...pending.map((m) => makeMigration(m, 'pending'))],
      },
    });

    const preCounts = new Map(env.counts);
    const pre = snapshot(preCounts, env.applied, migrations, startedAt, env.indexes);
    const after = new Map(preCounts);
    for (const [name, rows] of after) after.set(name, rows + Math.floor(random() * 400)); // steady traffic, not compound growth
    if (!after.has(table)) after.set(table, Math.floor(random() * 5000));
    else if (random() < 0.03) after.set(table, Math.floor((after.get(table) ?? 0) * 0.7)); // an anomaly now and then
    // Now and then an index is added; past 20 secondary indexes the oldest is dropped, so snapshots stay a realistic size.
    let postIndexes =
      random() < 0.3
        ? [...env.indexes, makeIndex(table, `${short}_idx_${i}`, `CREATE INDEX ${short}_idx_${i} ON ${table} USING btree (created_at)`)]
        : env.indexes;
    const secondary = postIndexes.filter((index) => !index.name.endsWith('_pkey'));
    if (secondary.length > secondaryCap) postIndexes = postIndexes.filter((index) => index !== secondary[0]);
    const ran = status !== 'aborted';
    const migrated = status === 'success' || status === 'rolled-back';
    const durationMs = Math.floor(2_000 + random() * (table.endsWith('events') ? 600_000 : 90_000));
    const execStart = clock + 120_000;
    const execEnd = execStart + durationMs;
    const finishedAt = new Date(execEnd + 60_000).toISOString();
    const postSnapshot = migrated
      ? snapshot(after, [...env.applied, ...migrations], [], new Date(execEnd + 5_000).toISOString(), postIndexes)
      : ran
        ? snapshot(preCounts, env.applied, migrations, new Date(execEnd + 5_000).toISOString(), env.indexes)
        : null;
    const withBackup = environment !== 'qa';
    const backupRows = [...preCounts].map(([name, rows]) => ({ schema: name.split('.')[0]!, name: name.split('.')[1]!, rows }));
    const archive = `/var/backups/logbook/${environment}/${stamp}-game.dump`;
    const backup = withBackup
      ? {
          schemaVersion: 1 as const,
          path: archive,
          format: 'custom' as const,
          bytes: Math.floor(pre.databaseBytes * 0.3),
          sha256: hex(random, 64),
          pgDumpVersion: 'pg_dump (PostgreSQL) 15.18',
          serverVersion: '15.18',
          database: 'game',
          startedAt: new Date(clock + 10_000).toISOString(),
          finishedAt: new Date(clock + 100_000).toISOString(),
          durationMs: 90_000,
          compression: 'gzip:6',
          tables: backupRows,
          verification: {
            level: (environment === 'production' ? 'restore' : 'list') as 'restore' | 'list',
            ok: true,
            checkedAt: new Date(clock + 115_000).toISOString(),
            detail:
              environment === 'production'
                ? `restored into a scratch database; ${backupRows.length} tables, counts match`
                : 'pg_restore --list read 142 entries',
          },
        }
      : null;
    const lint =
      random() < 0.35
        ? [
            {
              migration: migrationName,
              file: 'migration.sql',
              line: 3,
              rule: 'require-concurrent-index-creation',
              severity: (preCounts.get(table) ?? 0) > 1_000_000 ? ('error' as const) : ('warning' as const),
              message: 'During normal index creation, table updates are blocked, but reads are still allowed.',
              help: 'Use CONCURRENTLY to avoid blocking writes.',
              statement: `CREATE INDEX "${short}_idx_${i}" ON "${short}"("created_at");`,
              table,
              ...((preCounts.get(table) ?? 0) > 1_000_000 ? { escalated: `${table} has ${preCounts.get(table)} rows` } : {}),
            },
          ]
        : [];
    const checks = postSnapshot
      ? [
          { kind: 'integrity' as const, name: 'players.email not null', status: 'pass' as const, detail: '0 rows with a null email', value: 0, expected: '0' },
          { kind: 'orphans' as const, name: 'match_events → matches', status: 'pass' as const, detail: '0 orphaned rows', value: 0, expected: '0' },
          {
            kind: 'anomaly' as const,
            name: 'row-count change',
            status: (after.get(table) ?? 0) < (preCounts.get(table) ?? 0) * 0.9 ? ('warn' as const) : ('pass' as const),
            detail: 'row counts within 10 % of before',
          },
          {
            kind: 'smoke' as const,
            name: 'GET /health',
            status: status === 'failed' ? ('fail' as const) : ('pass' as const),
            detail: status === 'failed' ? 'HTTP 503' : 'HTTP 200',
            value: status === 'failed' ? 503 : 200,
            latencyMs: Math.floor(20 + random() * 200),
          },
        ]
      : [];
    const checklist = stepIds.map((stepId, k) => {
      const r = random();
      return r < 0.08
        ? { stepId, state: 'skipped' as const, by: 'person' as const, reason: 'covered by the CI pipeline' }
        : r < 0.12
          ? { stepId, state: 'not-applicable' as const, by: 'person' as const, reason: 'no data transformation in this migration' }
          : { stepId, state: 'done' as const, by: k % 3 === 0 ? ('tool' as const) : ('person' as const) };
    });
    const phases = ['preflight', 'snapshot', 'lint', 'backup', 'migrate', 'checks', 'record'];
    const timeline = phases.map((phase, k) => ({
      phase,
      startedAt: new Date(clock + k * 20_000).toISOString(),
      finishedAt: new Date(clock + k * 20_000 + 15_000).toISOString(),
      status: status === 'failed' && phase === 'migrate' ? ('failed' as const) : !ran && k > 3 ? ('skipped' as const) : ('ok' as const),
    }));
    const id = `${startedAt.slice(0, 10)}-${migrationName.slice(15).replace(/_/g, '-')}-${environment}`;
    const downtimeMs = environment === 'production' ? Math.floor(durationMs + 30_000 + random() * 60_000) : null;
    const facts: Omit<MigrationRecord, 'integrity'> = {
      // Without a ledger position these are version-1 records, as filed before the ledger existed.
      schemaVersion: 1,
      id,
      title: migrations.join(', '),
      migrations,
      environment,
      status: status === 'rolled-back' ? 'success' : status,
      performedBy: historyPeople[Math.floor(random() * historyPeople.length)]!,
      toolVersion: '0.1.0',
      startedAt,
      finishedAt,
      database: { url: `postgresql://app:***@db.${environment}.internal:5432/game`, name: 'game' },
      runbook: { slug: 'production-migration', version: '1.0.0' },
      code: { commit: hex(random, 40), branch: 'main', dirty: false, remote: 'git@github.com:acme/game.git' },
      pre,
      post: postSnapshot,
      lint,
      backup,
      execution: ran
        ? {
            command: ['npx', 'prisma', 'migrate', 'deploy'],
            startedAt: new Date(execStart).toISOString(),
            finishedAt: new Date(execEnd).toISOString(),
            durationMs,
            exitCode: status === 'failed' ? 1 : 0,
            signal: null,
            outputTail:
              status === 'failed'
                ? `Applying migration \`${migrationName}\`\nError: P3018\nA migration failed to apply.\nDatabase error code: 23505\nERROR: could not create unique index "${short}_idx_${i}"`
                : `Applying migration \`${migrationName}\`\n\nThe following migration(s) have been applied:\n\nmigrations/\n  └─ ${migrationName}/\n    └─ migration.sql\n\nAll migrations have been successfully applied.`,
            downtimeMs,
          }
        : null,
      checks,
      checklist,
      timeline,
      outcome: {
        performanceImpact: random() < 0.7 ? 'none' : 'minor',
        ...(ran ? {} : { abortReason: 'the backup could not be verified: pg_restore --list failed' }),
      },
      rollback: null,
    };
    let record: MigrationRecord = { ...facts, integrity: computeIntegrity(facts, env.previous) };
    if (status === 'rolled-back' && backup) {
      const rolled = {
        ...facts,
        status: 'rolled-back' as const,
        rollback: {
          startedAt: new Date(execEnd + 600_000).toISOString(),
          finishedAt: new Date(execEnd + 900_000).toISOString(),
          durationMs: 300_000,
          statusBefore: 'success' as const,
          backupPath: backup.path,
          backupSha256: backup.sha256,
          performedBy: facts.performedBy,
          after: snapshot(preCounts, env.applied, migrations, new Date(execEnd + 900_000).toISOString(), env.indexes),
          matchesBackup: true,
        },
      };
      // The filed facts (and so the chain) are unchanged by the rollback; only integrity.rollback is added.
      record = { ...rolled, integrity: computeIntegrity(rolled, env.previous) };
    } else if (status === 'rolled-back') {
      record = {
        ...facts,
        status: 'failed',
        execution: facts.execution && { ...facts.execution, exitCode: 1 },
        integrity: computeIntegrity({ ...facts, status: 'failed', execution: facts.execution && { ...facts.execution, exitCode: 1 } }, env.previous),
      };
    }
    env.previous = record.integrity.digest;
    if (migrated && record.status === 'success') {
      env.counts = after;
      env.applied = [...env.applied, ...migrations].slice(-keepApplied);
      env.indexes = postIndexes;
    }
    out.push({ record, notes: historyNotes(record, random) });
  }
  return out;
}

function historyNotes(record: MigrationRecord, random: () => number): string | undefined {
  if (record.status === 'failed') return 'The unique index failed on duplicate rows; deduplicated them and filed a new run.';
  if (random() < 0.3) return 'Ran during the Tuesday maintenance window. Cache warm-up took a few minutes; p95 latency back to normal after 10 min.';
  return undefined;
}
