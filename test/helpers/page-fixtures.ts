// One day of records that exercise every page defect we fixed: sub-second runs, Prisma-shaped lint paths, checks
// whose detail already states the expectation, float latencies, a failed run with a long error line, a rollback,
// an abort, an unqualified table in a lint finding and Prisma's bookkeeping table in the snapshots.
import { computeIntegrity } from '../../src/core/record/digest.ts';
import type { MigrationRecord } from '../../src/schemas/record.ts';
import type { GeneratedRecord } from './synthetic.ts';
import { makeMigration, makeRecord, makeSnapshot, makeTable } from './synthetic.ts';

export const DAY = '2026-03-03';
export const LONG_NAME = '20260303090000_add_document_search_vector_and_trigram_indexes_to_documents';
export const FAILED_NAME = '20260303121500_backfill_document_owner_ids';
/** An emoji a person typed in a record's notes: their prose is shown as written. */
export const PROSE_EMOJI = '🙈';
export const ERROR_LINE = `ERROR: could not create unique index "Document_ownerId_slug_key" DETAIL: Key ("ownerId", slug)=(${'9f1c2b7e-'.repeat(12)}) is duplicated.`;

const at = (time: string) => `${DAY}T${time}.000Z`;
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

function snapshot(capturedAt: string, rows: { document: number; user: number }, migrations: string[], failed?: string) {
  const snap = makeSnapshot({ capturedAt, migrations: migrations.map((m) => makeMigration(m, m === failed ? 'failed' : 'applied')) });
  snap.tables = [makeTable('public.Document', rows.document), makeTable('public.User', rows.user), makeTable('public._prisma_migrations', 400)];
  return snap;
}

interface Spec {
  time: string;
  name: string;
  status: MigrationRecord['status'];
  durationMs: number;
  environment?: string;
  lint?: MigrationRecord['lint'];
}

const specs: Spec[] = [
  {
    time: '09:00:00',
    name: LONG_NAME,
    status: 'success',
    durationMs: 350,
    lint: [
      {
        migration: LONG_NAME,
        file: `${LONG_NAME}/migration.sql`,
        line: 5,
        rule: 'require-concurrent-index-creation',
        severity: 'warning',
        message: 'During normal index creation, table updates are blocked, but reads are still allowed.',
        help: 'Use CONCURRENTLY to avoid blocking writes.',
        statement: `CREATE INDEX "Document_search_idx" ON "Document" USING gin ("searchVector");`,
        table: 'Document',
      },
    ],
  },
  { time: '10:30:00', name: '20260303103000_add_user_locale', status: 'success', durationMs: 620 },
  { time: '12:15:00', name: FAILED_NAME, status: 'failed', durationMs: 480 },
  {
    time: '14:00:00',
    name: '20260303140000_drop_user_legacy_flags',
    status: 'rolled-back',
    durationMs: 910,
    lint: [
      {
        migration: '20260303140000_drop_user_legacy_flags',
        file: '20260303140000_drop_user_legacy_flags/migration.sql',
        line: 2,
        rule: 'ban-drop-column',
        severity: 'error',
        message: 'Dropping a column may break existing clients.',
        statement: 'ALTER TABLE "User" DROP COLUMN "legacyFlags";',
        table: 'public.User',
      },
    ],
  },
  { time: '15:45:00', name: '20260303154500_add_document_tags', status: 'aborted', durationMs: 0 },
  { time: '16:30:00', name: '20260303163000_add_document_archive', status: 'unverified', durationMs: 300 },
  { time: '17:20:00', name: '20260303172000_add_document_tags_again', status: 'success', durationMs: 240 },
  { time: '18:10:00', name: '20260303181000_add_user_avatar', status: 'interrupted', durationMs: 0 },
  { time: '11:05:00', name: '20260303110500_add_user_locale', status: 'success', durationMs: 150, environment: 'staging' },
];

/** The day's records, oldest first, each environment's digest chain intact. */
export function pageFixtureRecords(): GeneratedRecord[] {
  const previous = new Map<string, string | null>();
  const applied = new Map<string, string[]>();
  const out: GeneratedRecord[] = [];
  for (const spec of [...specs].sort((a, b) => (a.time < b.time ? -1 : 1))) {
    const environment = spec.environment ?? 'production';
    const startedAt = at(spec.time);
    const before = applied.get(environment) ?? [];
    // An aborted run stopped before the migration; an interrupted one was cut off and closed later, without its facts.
    const ran = spec.status !== 'aborted' && spec.status !== 'interrupted';
    const execStart = plus(startedAt, 60_000);
    const execEnd = plus(execStart, spec.durationMs);
    const failed = spec.status === 'failed';
    const migrated = spec.status === 'success' || spec.status === 'rolled-back' || spec.status === 'unverified';
    const pre = snapshot(startedAt, { document: 1200, user: 300 }, before);
    const post = ran
      ? snapshot(plus(execEnd, 1000), { document: migrated ? 1250 : 1200, user: 300 }, [...before, spec.name], failed ? spec.name : undefined)
      : null;
    const outputTail = failed
      ? `Applying migration \`${spec.name}\`\nError: P3018\n\nA migration failed to apply. New migrations cannot be applied before the error is recovered from.\n\nMigration name: ${spec.name}\n\nDatabase error code: 23505\n\nDatabase error:\n${ERROR_LINE}`
      : `Applying migration \`${spec.name}\`\n\nAll migrations have been successfully applied.`;
    const facts = {
      id: `${DAY}-${spec.name.slice(15).replace(/_/g, '-')}-${environment}`,
      title: spec.name,
      migrations: [spec.name],
      environment,
      status: spec.status === 'rolled-back' ? ('success' as const) : spec.status,
      startedAt,
      finishedAt: plus(execEnd, 30_000),
      pre,
      post,
      lint: spec.lint ?? [],
      execution: ran
        ? {
            command: ['npx', 'prisma', 'migrate', 'deploy'],
            startedAt: execStart,
            finishedAt: execEnd,
            durationMs: spec.durationMs,
            exitCode: failed ? 1 : 0,
            signal: null,
            outputTail,
            downtimeMs: environment === 'production' ? spec.durationMs + 400 : null,
          }
        : null,
      checks: post
        ? [
            { kind: 'integrity' as const, name: 'Document.ownerId not null', status: 'pass' as const, detail: '0 (expected = 0)', value: 0, expected: '= 0' },
            {
              kind: 'smoke' as const,
              name: 'GET /health',
              status: failed ? ('fail' as const) : ('pass' as const),
              detail: failed ? 'HTTP 503' : 'HTTP 200',
              value: failed ? 503 : 200,
              latencyMs: 70.89834499999961,
            },
          ]
        : [],
      outcome: {
        performanceImpact: 'none' as const,
        ...(ran
          ? {}
          : {
              abortReason:
                spec.status === 'interrupted'
                  ? 'the run was interrupted (SIGTERM) and closed by `logbook recover`'
                  : 'the backup could not be verified: pg_restore --list failed',
            }),
      },
    };
    let record = makeRecord(facts, previous.get(environment) ?? null);
    if (spec.status === 'rolled-back') {
      const { integrity: _, ...filed } = record;
      const rolled = {
        ...filed,
        status: 'rolled-back' as const,
        rollback: {
          startedAt: plus(execEnd, 600_000),
          finishedAt: plus(execEnd, 660_000),
          durationMs: 60_000,
          statusBefore: 'success' as const,
          backupPath: '/var/backups/logbook/production/before-drop.dump',
          backupSha256: 'b'.repeat(64),
          performedBy: filed.performedBy,
          after: snapshot(plus(execEnd, 660_000), { document: 1200, user: 300 }, before),
          matchesBackup: true,
        },
      };
      record = { ...rolled, integrity: computeIntegrity(rolled, previous.get(environment) ?? null) };
    }
    previous.set(environment, record.integrity.digest);
    if (migrated && spec.status !== 'rolled-back') applied.set(environment, [...before, spec.name]);
    out.push({ record, notes: failed ? `Duplicate rows blocked the unique index; deduplicated and re-ran the next day ✅ ${PROSE_EMOJI}` : undefined });
  }
  return out;
}
