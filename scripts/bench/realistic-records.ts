// Files a realistic history of records for the site benchmark through the product's own filing path: each run is
// a RunJournal as the CLI holds it at `finish`, turned into a record by the same functions `fileRecord` uses
// (buildRecordFacts, decideStatus, redactDeep, computeIntegrity at a ledger position, the record schema) and written
// by the filing writer, so a change to the record format (compact snapshots, dated folders) is measured as it is.
// Rollbacks are appended as `logbook rollback` appends them; a person's notes are edited into the file afterwards.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rewriteRecord, slugify } from '../../src/adapters/fs/record-store.ts';
import { writeSnapshotFiles } from '../../src/adapters/fs/snapshot-store.ts';
import { buildRecordFacts } from '../../src/core/record/build-record.ts';
import { compactSnapshot, countsRelativeToPre } from '../../src/core/record/compact-snapshot.ts';
import { computeIntegrity, integrityWithRollback, rollbackEventDigest } from '../../src/core/record/digest.ts';
import { renderRollbackSection } from '../../src/core/record/render-record.ts';
import { updateRecordSource } from '../../src/core/record/update-record.ts';
import { redactDeep } from '../../src/core/redact.ts';
import { type ChecklistExport, mergeChecklist, toolChecklist } from '../../src/core/run/checklist.ts';
import type { RunJournal } from '../../src/core/run/journal.ts';
import { decideStatus } from '../../src/core/run/outcome.ts';
import { parseRunbook } from '../../src/core/runbook/parse-runbook.ts';
import type { CheckResult, LintFinding, StatementLock } from '../../src/schemas/findings.ts';
import { type MigrationRecord, migrationRecordSchema, type RecordStatus, type TimelineEntry } from '../../src/schemas/record.ts';
import type { ForeignKeySnapshot, IndexSnapshot, MigrationEntry, Snapshot, TableSnapshot, WriteMark } from '../../src/schemas/snapshot.ts';
import { writeRecord } from '../../src/workflow/anchor-record.ts';
import { realisticSchema, seededRandom } from '../../test/helpers/synthetic.ts';
import { projectRoot } from '../support/build-site.ts';

export interface FiledRecord {
  /** Position in the whole history (oldest first). */
  index: number;
  id: string;
  /** The record file as the filing writer placed it. */
  file: string;
  environment: string;
  status: RecordStatus;
  startedAt: string;
}

export interface HistoryShape {
  tables: number;
  schemas: number;
  partitioned: number;
  indexes: number;
  foreignKeys: number;
  prismaMigrations: number;
  environments: string[];
  people: number;
  first: string;
  last: string;
  statuses: Record<string, number>;
  lintFindings: number;
  checks: number;
}

const DEFAULT_SEED = 2026;
const ENVIRONMENTS: Array<[string, number]> = [
  ['production', 3],
  ['production-eu', 2],
  ['staging', 5],
  ['qa', 3],
  ['preview', 1],
];
const PEOPLE = [
  { name: 'Ada Lovelace', email: 'ada@example.com' },
  { name: 'Grace Hopper', email: 'grace@example.com' },
  { name: 'Edsger Dijkstra', email: 'edsger@example.com' },
  { name: 'Barbara Liskov', email: 'barbara@example.com' },
  { name: 'Ken Thompson', email: 'ken@example.com' },
  { name: 'Margaret Hamilton', email: 'margaret@example.com' },
  { name: 'Donald Knuth' },
  { name: 'Frances Allen', email: 'frances@example.com' },
  { name: 'Leslie Lamport', email: 'leslie@example.com' },
  { name: 'Radia Perlman', email: 'radia@example.com' },
  { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' },
  { name: 'deploy-bot' },
];
const VERBS = ['add', 'drop', 'rename', 'backfill', 'index', 'alter', 'split', 'merge', 'partition', 'constrain'];
const SMOKE = ['GET /health', 'GET /api/v2/orders?limit=1', 'POST /api/v2/sessions (dry run)', 'GET /api/v2/catalog/search?q=a'];

interface LintRule {
  rule: string;
  message: string;
  help: string;
  lock: LintFinding['lock'];
  statement: (table: string, name: string) => string;
  kind: string;
  effect: 'rewrite' | 'scan' | 'none';
}
const LINT_RULES: LintRule[] = [
  {
    rule: 'require-concurrent-index-creation',
    message: 'During normal index creation, table updates are blocked, but reads are still allowed.',
    help: 'Use CONCURRENTLY to avoid blocking writes.',
    lock: 'SHARE',
    statement: (t, n) => `CREATE INDEX "${n}" ON ${t}("created_at");`,
    kind: 'CREATE INDEX',
    effect: 'scan',
  },
  {
    rule: 'adding-not-nullable-field',
    message: 'Setting a column NOT NULL blocks reads while the table is scanned.',
    help: 'Make the field nullable and use a CHECK constraint instead.',
    lock: 'ACCESS EXCLUSIVE',
    statement: (t) => `ALTER TABLE ${t} ALTER COLUMN "owner_id" SET NOT NULL;`,
    kind: 'ALTER TABLE ... SET NOT NULL',
    effect: 'scan',
  },
  {
    rule: 'ban-drop-column',
    message: 'Dropping a column may break existing clients.',
    help: 'Stop reading the column in the application first, then drop it in a later release.',
    lock: 'ACCESS EXCLUSIVE',
    statement: (t) => `ALTER TABLE ${t} DROP COLUMN "legacy_flag";`,
    kind: 'ALTER TABLE ... DROP COLUMN',
    effect: 'none',
  },
  {
    rule: 'changing-column-type',
    message: 'Changing a column type requires an ACCESS EXCLUSIVE lock on the table which blocks reads and writes while the table is rewritten.',
    help: 'Add a new column, backfill it, and switch over.',
    lock: 'ACCESS EXCLUSIVE',
    statement: (t) => `ALTER TABLE ${t} ALTER COLUMN "amount" SET DATA TYPE BIGINT;`,
    kind: 'ALTER TABLE ... ALTER COLUMN TYPE',
    effect: 'rewrite',
  },
  {
    rule: 'adding-foreign-key-constraint',
    message: 'Adding a foreign key constraint requires a table scan and a SHARE ROW EXCLUSIVE lock on both tables, which blocks writes to each table.',
    help: 'Add NOT VALID to the constraint in one transaction and then VALIDATE the constraint in a separate transaction.',
    lock: 'SHARE ROW EXCLUSIVE',
    statement: (t, n) => `ALTER TABLE ${t} ADD CONSTRAINT "${n}_fkey" FOREIGN KEY ("account_id") REFERENCES public.account_user_0("id");`,
    kind: 'ALTER TABLE ... ADD FOREIGN KEY',
    effect: 'scan',
  },
  {
    rule: 'prefer-robust-stmts',
    message: 'Missing `IF NOT EXISTS`, the migration can’t be rerun if it fails part way through.',
    help: 'Use an explicit name and IF NOT EXISTS.',
    lock: 'ACCESS EXCLUSIVE',
    statement: (t) => `ALTER TABLE ${t} ADD COLUMN "note" TEXT;`,
    kind: 'ALTER TABLE ... ADD COLUMN',
    effect: 'none',
  },
];

/** A production-sized database: the benchmark's 320-table schema with foreign keys, extensions and 400 applied migrations. */
function baseDatabase(random: () => number) {
  const schema = realisticSchema();
  const tables = schema.tables.map((t) => {
    const [s, name] = t.name.split('.') as [string, string];
    return { schema: s, name, rows: t.rows, partitions: t.partitions ?? [] };
  });
  const foreignKeys: ForeignKeySnapshot[] = [];
  for (const [k, t] of tables.entries()) {
    const references = tables[Math.floor(random() * tables.length)]!;
    if (k % 5 === 4) continue;
    foreignKeys.push({
      schema: t.schema,
      table: t.name,
      name: `${t.name}_${references.name}_fkey`,
      definition: `FOREIGN KEY (${references.name.split('_')[0]}_id) REFERENCES ${references.schema}.${references.name}(id) ON DELETE CASCADE`,
      references: `${references.schema}.${references.name}`,
      validated: random() > 0.02,
    });
  }
  const applied = schema.applied.map((name, k) => {
    const at = Date.parse('2021-01-04T09:00:00.000Z') + k * 2 * 86_400_000;
    return { name, at };
  });
  return { tables, indexes: schema.indexes, foreignKeys, applied };
}

/**
 * Write marks as a capture of this database takes them (src/adapters/pg/write-marks.ts): the largest id where the
 * primary key is an integer (two tables in five here), the latest `updatedAt` where a table was counted exactly
 * (Prisma's @updatedAt on most models). Both move with the table's writes, here with its row count.
 */
function writeMarksOf(tables: Array<{ schema: string; name: string }>, rows: Map<string, number>): WriteMark[] {
  return tables.flatMap((t, k): WriteMark[] => {
    const r = rows.get(`${t.schema}.${t.name}`) ?? 0;
    const id = k % 5 < 2 ? { idColumn: 'id', maxId: r ? String(r + 1_000) : null } : {};
    const modified =
      r <= 5_000_000 && k % 7 !== 0 ? { modifiedColumn: 'updatedAt', lastModified: r ? iso(1_735_689_600_000 + r * 60_000).slice(0, -1) : null } : {};
    return 'idColumn' in id || 'modifiedColumn' in modified ? [{ schema: t.schema, name: t.name, ...id, ...modified }] : [];
  });
}

/**
 * When autovacuum last analyzed a table, as PostgreSQL decides it: again once its rows moved by more than 10 % (plus
 * 50) since the last analyze, so a big table's statistics, and the estimate dated by them, outlast most migrations.
 */
function analyzedAt(env: EnvState, table: string, rows: number, at: number): number {
  const last = env.analyzed.get(table);
  if (last && Math.abs(rows - last.rows) <= 50 + last.rows * 0.1) return last.at;
  const now = { at: last ? at - 60_000 : at - 3_600_000 * (1 + (rows % 48)), rows };
  env.analyzed.set(table, now);
  return now.at;
}

const hex = (random: () => number, length: number) => Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
const iso = (ms: number) => new Date(ms).toISOString();

interface EnvState {
  rows: Map<string, number>;
  indexes: IndexSnapshot[];
  applied: Array<{ name: string; at: number }>;
  /** Each table's last (auto)analyze: when, and its row count then. */
  analyzed: Map<string, { at: number; rows: number }>;
  /** How far into the shared migration sequence this environment is. */
  next: number;
  seq: number;
  previous: string | null;
}

/**
 * Files `n` records into `recordsDir`, oldest first, spread over the year before `end`: five environments with
 * their own chains, a dozen people, every status the product files, lint findings with locks, checks, backups
 * with verification, checklists from the real runbook, a person's notes on some. Calls `onFiled` after each.
 */
export async function fileRealisticHistory(
  n: number,
  recordsDir: string,
  options: {
    seed?: number;
    end?: string;
    onFiled?: (filed: FiledRecord, k: number) => void;
    /** File only these environments' chains (the others are generated, not filed): chains are independent, so processes can share the work. */
    only?: (environment: string) => boolean;
  } = {},
): Promise<{ filed: FiledRecord[]; shape: HistoryShape }> {
  const random = seededRandom(options.seed ?? DEFAULT_SEED);
  const database = baseDatabase(random);
  const runbook = parseRunbook(readFileSync(join(projectRoot, 'content/runbooks/production-migration.mdx'), 'utf8'));
  const personSteps = runbook.steps.filter((s) => !s.automated);
  const end = Date.parse(options.end ?? '2026-11-25T18:00:00.000Z');
  const step = (365 * 86_400_000) / Math.max(n, 1);
  let clock = end - 365 * 86_400_000;
  const sequence: string[] = [];
  const states = new Map<string, EnvState>();
  const usedIds = new Set<string>();
  const totalWeight = ENVIRONMENTS.reduce((s, [, w]) => s + w, 0);
  const filed: FiledRecord[] = [];
  const statuses: Record<string, number> = {};
  let lintFindings = 0;
  let checkCount = 0;

  for (let i = 0; i < n; i++) {
    clock += Math.floor(step * (0.2 + random() * 1.6));
    let pick = random() * totalWeight;
    let environment = ENVIRONMENTS[0]![0];
    for (const [name, weight] of ENVIRONMENTS) {
      environment = name;
      pick -= weight;
      if (pick < 0) break;
    }
    let env = states.get(environment);
    if (!env) {
      env = {
        rows: new Map(database.tables.map((t) => [`${t.schema}.${t.name}`, t.rows])),
        indexes: database.indexes,
        applied: database.applied,
        analyzed: new Map(),
        next: 0,
        seq: 0,
        previous: null,
      };
      states.set(environment, env);
    }
    const startedAt = clock;
    const stamp = iso(startedAt).slice(0, 19).replace(/[-:T]/g, '');
    // The next one to three migrations of the shared sequence; an environment ahead of the others writes new ones.
    const count = random() < 0.8 ? 1 : random() < 0.7 ? 2 : 3;
    while (sequence.length < env.next + count) {
      const t = database.tables[Math.floor(random() * database.tables.length)]!;
      sequence.push(`${stamp}_${VERBS[Math.floor(random() * VERBS.length)]}_${t.name}_${sequence.length}`);
    }
    const pending = sequence.slice(env.next, env.next + count);
    const touched = pending.map((m) => {
      const name = m.split('_').slice(2, -1).join('_');
      return database.tables.find((t) => t.name === name) ?? database.tables[0]!;
    });
    const key = (t: { schema: string; name: string }) => `${t.schema}.${t.name}`;

    const snapshot = (rows: Map<string, number>, indexes: IndexSnapshot[], applied: EnvState['applied'], pendingNames: string[], at: number): Snapshot => ({
      capturedAt: iso(at),
      durationMs: Math.round(800 + random() * 1500),
      serverVersion: '15.8 (Debian 15.8-1.pgdg120+1)',
      database: 'shop',
      databaseBytes: [...rows.values()].reduce((s, r) => s + r * 190, 0) + 40_000_000,
      tables: database.tables.map((t): TableSnapshot => {
        const r = rows.get(key(t)) ?? 0;
        return {
          schema: t.schema,
          name: t.name,
          kind: t.partitions.length ? 'partitioned' : 'table',
          rows: r,
          counted: r > 5_000_000 ? 'estimate' : 'exact',
          lastAnalyzed: r > 5_000_000 ? iso(analyzedAt(env!, key(t), r, at)) : null,
          tableBytes: r * 130 + 8192,
          indexBytes: r * 45 + 16_384,
          toastBytes: r % 7 === 0 ? r * 20 : 0,
          partitions: t.partitions,
        };
      }),
      indexes,
      foreignKeys: database.foreignKeys,
      extensions: [
        { name: 'plpgsql', version: '1.0' },
        { name: 'pg_trgm', version: '1.6' },
        { name: 'pgcrypto', version: '1.3' },
        { name: 'uuid-ossp', version: '1.1' },
      ],
      migrations: {
        source: 'prisma',
        hasHistory: true,
        folder: 'prisma/migrations',
        migrations: [
          ...applied.map(
            (m): MigrationEntry => ({
              name: m.name,
              status: 'applied',
              edited: false,
              missingFromFolder: false,
              startedAt: iso(m.at),
              finishedAt: iso(m.at + 1_500),
              appliedStepsCount: 1,
            }),
          ),
          ...pendingNames.map(
            (name): MigrationEntry => ({
              name,
              status: 'pending',
              edited: false,
              missingFromFolder: false,
              startedAt: null,
              finishedAt: null,
              appliedStepsCount: null,
            }),
          ),
        ],
      },
    });

    const roll = random();
    const fate =
      roll < 0.05 ? 'failed' : roll < 0.08 ? 'rolled-back' : roll < 0.11 ? 'aborted' : roll < 0.15 ? 'unverified' : roll < 0.16 ? 'interrupted' : 'success';
    const pre = { ...snapshot(env.rows, env.indexes, env.applied, pending, startedAt + 20_000), writeMarks: writeMarksOf(database.tables, env.rows) };
    const tables = touched.map(key);

    const locks: StatementLock[] = [];
    const lint: LintFinding[] = [];
    for (const [k, migration] of pending.entries()) {
      const t = touched[k]!;
      const rows = env.rows.get(key(t)) ?? 0;
      const rule = LINT_RULES[Math.floor(random() * LINT_RULES.length)]!;
      const statement = rule.statement(`"${t.schema}"."${t.name}"`, `${t.name}_idx_${i}`);
      locks.push({
        migration,
        file: 'migration.sql',
        line: 3,
        kind: rule.kind,
        statement,
        locks: [
          {
            schema: t.schema,
            table: t.name,
            mode: rule.lock ?? 'ACCESS EXCLUSIVE',
            effect: rule.effect,
            created: false,
            rows,
            bytes: rows * 175,
            estimatedMs: rule.effect === 'none' ? null : Math.round(rows / 50),
          },
        ],
      });
      if (random() < 0.45) {
        const large = rows > 1_000_000;
        lint.push({
          migration,
          file: 'migration.sql',
          line: 3,
          column: 1,
          rule: rule.rule,
          severity: rule.rule === 'prefer-robust-stmts' ? 'info' : large || rule.rule === 'ban-drop-column' ? 'error' : 'warning',
          message: rule.message,
          help: rule.help,
          statement,
          table: key(t),
          target: { schema: t.schema, name: t.name },
          ...(large ? { escalated: `${key(t)} has ${rows.toLocaleString('en-US')} rows` } : {}),
          ...(rule.lock ? { lock: rule.lock } : {}),
          ...(rule.rule === 'require-concurrent-index-creation' ? { safeAlternative: statement.replace('CREATE INDEX', 'CREATE INDEX CONCURRENTLY') } : {}),
        });
      }
    }
    lintFindings += lint.length;

    const timeline: TimelineEntry[] = [];
    let t0 = startedAt;
    const phase = (name: string, ms: number, status: TimelineEntry['status'] = 'ok', detail?: string) => {
      timeline.push({ phase: name, startedAt: iso(t0), finishedAt: iso(t0 + ms), status, ...(detail ? { detail } : {}) });
      t0 += ms;
    };
    phase('preflight', 400 + Math.floor(random() * 600));
    phase('pre', 900 + Math.floor(random() * 1500));
    phase('lint', 300 + Math.floor(random() * 500));
    const withBackup = environment !== 'preview';
    const backupMs = 60_000 + Math.floor(random() * 240_000);
    const backupFails = fate === 'aborted';
    if (withBackup) phase('backup', backupMs, backupFails ? 'failed' : 'ok', backupFails ? 'pg_restore --list could not read the archive' : undefined);
    const journal: RunJournal = {
      version: 1,
      runId: `run-${hex(random, 12)}`,
      environment,
      mode: random() < 0.85 ? 'run' : 'step',
      state: 'in-progress',
      pid: null,
      createdAt: iso(startedAt),
      updatedAt: iso(startedAt),
      database: { redacted: `postgresql://app:***@db.${environment}.internal:5432/shop`, name: 'shop', source: 'DATABASE_URL' },
      migrations: pending,
      command: ['npx', 'prisma', 'migrate', 'deploy'],
      commandHadSecrets: false,
      performedBy: PEOPLE[Math.floor(random() * PEOPLE.length)]!,
      code: {
        commit: hex(random, 40),
        branch: random() < 0.9 ? 'main' : `release/${1 + Math.floor(random() * 40)}`,
        dirty: random() < 0.03,
        remote: 'git@github.com:acme/shop.git',
      },
      migrationsDir: 'prisma/migrations',
      runbook: { slug: 'production-migration', version: runbook.frontmatter.version },
      pre,
      lint,
      locks,
      timeline,
    };
    if (withBackup) {
      // The dump counts every table exactly: where pre only estimated (over 5M rows), the exact count is never the
      // planner's estimate, so it drifts from pre's number by a small deterministic amount.
      const backupRows = database.tables.map((t) => {
        const rows = env.rows.get(key(t)) ?? 0;
        return { schema: t.schema, name: t.name, rows: rows > 5_000_000 ? rows + (1 + (rows % 997)) * (rows % 2 ? 13 : -13) : rows };
      });
      journal.backup = {
        schemaVersion: 1,
        path: `/var/backups/logbook/${environment}/backup_${stamp}_shop.dump`,
        format: 'custom',
        bytes: Math.floor(pre.databaseBytes * 0.28),
        sha256: hex(random, 64),
        pgDumpVersion: 'pg_dump (PostgreSQL) 15.8',
        serverVersion: '15.8',
        database: 'shop',
        startedAt: iso(startedAt + 3_000),
        finishedAt: iso(startedAt + 3_000 + backupMs),
        durationMs: backupMs,
        compression: 'gzip:6',
        tables: backupRows,
        ...(backupFails
          ? {}
          : {
              verification: {
                level: environment.startsWith('production') ? 'restore' : 'list',
                ok: true,
                checkedAt: iso(startedAt + 5_000 + backupMs),
                detail: environment.startsWith('production')
                  ? `restored into a scratch database; ${backupRows.length} tables, counts match`
                  : `pg_restore --list read ${backupRows.length * 4 + 37} entries`,
              },
            }),
      } as RunJournal['backup'];
    }
    let after = env.rows;
    let postIndexes = env.indexes;
    if (fate === 'aborted') {
      journal.abortReason = 'the backup could not be verified: pg_restore --list failed';
      journal.status = 'aborted';
    } else {
      const durationMs = Math.floor(random() < 0.3 ? 40 + random() * 900 : 1_000 + random() * (random() < 0.1 ? 900_000 : 60_000));
      const execStart = t0;
      const fails = fate === 'failed' || fate === 'interrupted';
      phase('migrate', durationMs, fails ? 'failed' : 'ok');
      const failedAt = fails ? Math.floor(random() * pending.length) : -1;
      journal.migrateStartedAt = iso(execStart);
      journal.execution = {
        command: journal.command,
        startedAt: iso(execStart),
        finishedAt: iso(execStart + durationMs),
        durationMs,
        exitCode: fails ? 1 : 0,
        signal: null,
        outputTail: fails
          ? `Applying migration \`${pending[failedAt]}\`\nError: P3018\n\nA migration failed to apply. New migrations cannot be applied before the error is recovered from.\n\nMigration name: ${pending[failedAt]}\n\nDatabase error code: 23505\n\nDatabase error:\nERROR: could not create unique index "${touched[failedAt]!.name}_idx_${i}"\nDETAIL: Key (external_id)=(${hex(random, 8)}) is duplicated.`
          : `Datasource "db": PostgreSQL database "shop", schema "public" at "db.${environment}.internal:5432"\n\n${pending.length} migrations found in prisma/migrations\n\nApplying migration \`${pending.join('`\nApplying migration `')}\`\n\nThe following migration(s) have been applied:\n\nmigrations/\n${pending.map((m) => `  └─ ${m}/\n    └─ migration.sql`).join('\n')}\n\nAll migrations have been successfully applied.`,
        downtimeMs: environment.startsWith('production') ? Math.floor(durationMs + 5_000 + random() * 30_000) : null,
      };
      journal.migrationOutcomes = pending.map((name, k) => ({
        name,
        outcome: !fails || k < failedAt ? 'applied' : k === failedAt ? 'failed' : 'not-run',
        ...(fails && k === failedAt ? { logs: `Database error code: 23505\nERROR: could not create unique index "${touched[k]!.name}_idx_${i}"` } : {}),
      }));
      if (fate === 'interrupted') {
        journal.status = 'interrupted';
        journal.abortReason = 'closed by `logbook abort` after the migration command was killed';
      }
      const appliedNow = fails ? pending.slice(0, failedAt) : pending;
      after = new Map(env.rows);
      // Traffic: a share of tables grow a little between any two snapshots; the migrated tables move more.
      for (const [name, rows] of after) if (random() < 0.25) after.set(name, rows + Math.floor(random() * 500));
      for (const t of touched) {
        const r = after.get(key(t)) ?? 0;
        after.set(key(t), random() < 0.04 ? Math.floor(r * 0.6) : r + Math.floor(random() * 20_000));
      }
      if (appliedNow.length && random() < 0.35) {
        const t = touched[0]!;
        const name = `${t.name}_idx_${i}`;
        postIndexes = [
          ...env.indexes.slice(env.indexes.length > 1_230 ? 1 : 0),
          {
            schema: t.schema,
            table: t.name,
            name,
            definition: `CREATE INDEX ${name} ON ${t.schema}.${t.name} USING btree (created_at)`,
            unique: false,
            primary: false,
            valid: true,
            ready: true,
            bytes: (after.get(key(t)) ?? 0) * 24 + 8192,
          },
        ];
      }
      // _prisma_migrations only grows: 400 rows at the start of the year, more with every migration applied.
      const appliedAfter = [...env.applied, ...appliedNow.map((name) => ({ name, at: execStart }))];
      const postMissing = fate === 'unverified' && random() < 0.4;
      if (postMissing) phase('post', 30_000, 'failed', 'statement timeout while counting');
      else {
        phase('post', 900 + Math.floor(random() * 1500));
        journal.post = {
          ...snapshot(
            after,
            postIndexes,
            appliedAfter,
            pending.filter((m) => !appliedNow.includes(m)),
            t0,
          ),
          writeMarks: writeMarksOf(database.tables, after),
        };
      }
      const smokeFails = fate === 'unverified' && !postMissing;
      const checks: CheckResult[] = [
        ...tables.slice(0, 2).map(
          (t): CheckResult => ({
            kind: 'integrity',
            name: `${t}.owner_id not null`,
            status: 'pass',
            detail: '0 rows with a null owner_id',
            value: 0,
            expected: '0',
            durationMs: Math.round(random() * 400),
          }),
        ),
        {
          kind: 'orphans',
          name: `${tables[0]} → public.account_user_0`,
          status: 'pass',
          detail: '0 orphaned rows',
          value: 0,
          expected: '0',
          durationMs: Math.round(random() * 900),
        },
        {
          kind: 'anomaly',
          name: 'row-count change',
          status: tables.some((t) => (after.get(t) ?? 0) < (env.rows.get(t) ?? 0) * 0.9) ? 'warn' : 'pass',
          detail: tables.some((t) => (after.get(t) ?? 0) < (env.rows.get(t) ?? 0) * 0.9)
            ? `${tables[0]} lost more than 10 % of its rows`
            : 'row counts within 10 % of before',
        },
        ...SMOKE.slice(0, 2 + Math.floor(random() * 3)).map(
          (name, k): CheckResult => ({
            kind: 'smoke',
            name,
            status: smokeFails && k === 0 ? 'fail' : 'pass',
            detail: smokeFails && k === 0 ? 'HTTP 503 (expected 200)' : 'HTTP 200',
            value: smokeFails && k === 0 ? 503 : 200,
            expected: '200',
            latencyMs: Math.round((15 + random() * 300) * 1000) / 1000,
          }),
        ),
      ];
      if (!fails) {
        journal.checks = checks;
        checkCount += checks.length;
        phase('checks', 2_000 + Math.floor(random() * 8_000));
        phase('smoke', 500 + Math.floor(random() * 2_000));
      }
      if (!fails && !postMissing) {
        env.rows = after;
        env.indexes = postIndexes;
        env.applied = appliedAfter;
        env.next += pending.length;
      }
    }
    phase('record', 200);

    // What `finish` does: the checklist from the tool's phases and a person's export, the status, the facts.
    const personExport: ChecklistExport = { runbook: 'production-migration', steps: {} };
    for (const s of personSteps) {
      const r = random();
      if (r < 0.75) personExport.steps[s.id] = { state: 'done' };
      else if (r < 0.82) personExport.steps[s.id] = { state: 'skipped', reason: 'covered by the CI pipeline' };
      else if (r < 0.88) personExport.steps[s.id] = { state: 'not-applicable', reason: 'no data transformation in this migration' };
    }
    journal.checklist = mergeChecklist(toolChecklist(runbook.steps, journal.timeline), personExport, runbook.steps).entries;
    const status = decideStatus(journal);
    const finishedAt = iso(t0 + 500);
    // As filing names it: a second run of the same migration on the same day in the same environment gets `-2`.
    const base = `${iso(startedAt).slice(0, 10)}-${slugify(pending[0] ?? 'no-pending-migrations')}-${slugify(environment, 30)}`;
    let id = base;
    for (let k = 2; usedIds.has(id); k++) id = `${base}-${k}`;
    usedIds.add(id);
    // Another process files this environment's chain (see `only`): the same random draws, nothing written.
    const owned = options.only?.(environment) ?? true;
    let file = '';
    let record: MigrationRecord | null = null;
    if (owned) {
      const facts = redactDeep(buildRecordFacts(journal, { id, status, toolVersion: '0.1.0', finishedAt }));
      const position = { seq: env.seq + 1 };
      record = migrationRecordSchema.parse({ ...facts, integrity: computeIntegrity(facts, env.previous, position) });
      file = await writeRecord(recordsDir, record, journal);
      env.seq = position.seq;
      env.previous = record.integrity.digest;
    }
    let finalStatus: RecordStatus = status;

    if (fate === 'rolled-back' && journal.backup && status === 'success') {
      // `logbook rollback`: the facts keep their filed digest; the rollback is its own event in the ledger.
      const restoredAt = t0 + 3_600_000 + backupMs * 2;
      const appliedAtBackup = pre.migrations.migrations.filter((m) => m.status === 'applied').map((m) => ({ name: m.name, at: Date.parse(m.startedAt!) }));
      const fullAfter = snapshot(new Map(journal.backup.tables.map((t) => [key(t), t.rows])), pre.indexes, appliedAtBackup, [], restoredAt);
      const rolledBackBy = PEOPLE[Math.floor(random() * 4)]!;
      finalStatus = 'rolled-back';
      if (record) {
        const { integrity, ...kept } = record;
        const { compact: restored, files: afterFiles } = compactSnapshot(redactDeep(fullAfter));
        const after = countsRelativeToPre(restored, record.pre);
        const rolledFacts = {
          ...kept,
          status: 'rolled-back' as const,
          rollback: {
            statusBefore: 'success' as const,
            startedAt: iso(t0 + 3_600_000),
            finishedAt: iso(restoredAt),
            durationMs: backupMs * 2,
            backupPath: journal.backup.path,
            backupSha256: journal.backup.sha256,
            performedBy: rolledBackBy,
            after,
            matchesBackup: true,
            method: 'restore-beside-swap' as const,
            retainedDatabase: `shop_replaced_${stamp}`,
            target: { host: `db.${environment}.internal`, port: '5432', database: 'shop', systemIdentifier: '7301234567890123456' },
          },
        };
        const rollback = integrityWithRollback(integrity, rolledFacts).rollback!;
        const event = { seq: env.seq + 1, previous: env.previous };
        const digest = rollbackEventDigest({ environment, record: id, rollback, ...event });
        record = migrationRecordSchema.parse({ ...rolledFacts, integrity: integrityWithRollback(integrity, rolledFacts, { ...event, digest }) });
        await writeSnapshotFiles(recordsDir, afterFiles);
        await rewriteRecord(file, updateRecordSource(readFileSync(file, 'utf8'), record, renderRollbackSection(record)));
        env.seq = event.seq;
        env.previous = digest;
      }
      // The database is back where the backup left it.
      env.rows = new Map(journal.backup.tables.map((t) => [key(t), t.rows]));
      env.indexes = pre.indexes;
    }
    // A person's prose, edited into the file after filing.
    const note =
      finalStatus === 'failed'
        ? ['Issues encountered', 'The unique index failed on duplicate `external_id` rows written by the importer. Deduplicated them and filed a new run.']
        : random() < 0.25
          ? ['Notes', 'Ran during the Tuesday maintenance window. Cache warm-up took a few minutes; p95 latency was back to normal after 10 min.']
          : null;
    if (note && owned) {
      const source = readFileSync(file, 'utf8');
      writeFileSync(file, source.replace(`## ${note[0]}\n\n_Nothing recorded yet._`, `## ${note[0]}\n\n${note[1]}`));
    }
    statuses[finalStatus] = (statuses[finalStatus] ?? 0) + 1;
    if (owned) {
      const entry = { index: i, id, file, environment, status: finalStatus, startedAt: iso(startedAt) };
      filed.push(entry);
      options.onFiled?.(entry, i);
    }
  }
  return {
    filed,
    shape: {
      tables: database.tables.length,
      schemas: new Set(database.tables.map((t) => t.schema)).size,
      partitioned: database.tables.filter((t) => t.partitions.length).length,
      indexes: database.indexes.length,
      foreignKeys: database.foreignKeys.length,
      prismaMigrations: database.applied.length,
      environments: [...states.keys()],
      people: PEOPLE.length,
      first: filed[0]?.startedAt ?? '',
      last: filed.at(-1)?.startedAt ?? '',
      statuses,
      lintFindings,
      checks: checkCount,
    },
  };
}

/** The environments split into `parts` groups of about equal share of the runs. */
export function environmentGroups(parts: number): string[][] {
  const groups = Array.from({ length: parts }, () => ({ weight: 0, names: [] as string[] }));
  for (const [name, weight] of [...ENVIRONMENTS].sort((a, b) => b[1] - a[1])) {
    const lightest = groups.reduce((a, b) => (b.weight < a.weight ? b : a));
    lightest.weight += weight;
    lightest.names.push(name);
  }
  return groups.map((g) => g.names).filter((g) => g.length);
}

/**
 * The same history filed by `parts` processes, each filing whole environment chains (the other environments'
 * runs are generated but not written), so filing 10,000 records uses both cores. Result as fileRealisticHistory's.
 */
export async function fileRealisticHistoryInParallel(
  n: number,
  recordsDir: string,
  parts: number,
  progress: (line: string) => void = () => {},
  seed = DEFAULT_SEED,
): Promise<{ filed: FiledRecord[]; shape: HistoryShape }> {
  const results = await Promise.all(
    environmentGroups(parts).map(
      (group, k) =>
        new Promise<{ filed: FiledRecord[]; shape: HistoryShape }>((done, fail) => {
          const out = join(recordsDir, `.part-${k}.json`);
          const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--worker', String(n), recordsDir, group.join(','), out, String(seed)], {
            stdio: ['ignore', 'inherit', 'pipe'],
          });
          let errors = '';
          child.stderr.on('data', (chunk: Buffer) => {
            errors += chunk;
            for (const line of chunk.toString().split('\n').filter(Boolean)) if (line.startsWith('  ')) progress(`${line} [${group.join(', ')}]`);
          });
          child.on('close', (code) => {
            if (code !== 0) return fail(new Error(`filing ${group.join(', ')} failed (exit ${code}):\n${errors.slice(-3000)}`));
            const result = JSON.parse(readFileSync(out, 'utf8')) as { filed: FiledRecord[]; shape: HistoryShape };
            rmSync(out);
            done(result);
          });
        }),
    ),
  );
  const filed = results.flatMap((r) => r.filed).sort((a, b) => a.index - b.index);
  const shape = {
    ...results[0]!.shape,
    environments: results.flatMap((r) => r.shape.environments),
    first: filed[0]?.startedAt ?? '',
    last: filed.at(-1)?.startedAt ?? '',
  };
  return { filed, shape };
}

// Worker: node realistic-records.ts --worker <n> <records dir> <environments, comma-separated> <result file> <seed>
if (process.argv[2] === '--worker') {
  const [, , , count, dir, environments, out, seed] = process.argv;
  const mine = new Set(environments!.split(','));
  const started = performance.now();
  let done = 0;
  const result = await fileRealisticHistory(Number(count), dir!, {
    seed: Number(seed),
    only: (environment) => mine.has(environment),
    onFiled: () => {
      done += 1;
      if (done % 250 === 0) process.stderr.write(`  ${done} filed (${((performance.now() - started) / done).toFixed(0)} ms a record)\n`);
    },
  });
  writeFileSync(out!, JSON.stringify({ ...result, shape: { ...result.shape, environments: [...mine] } }));
}
