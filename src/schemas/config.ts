// The logbook config (logbook.config.json): environments, paths, capture policy, lint, checks.
// It holds the NAME of the env var with each database URL, never a URL: configs are committed.
import { z } from 'zod';
import { backupFormatSchema, verifyLevelSchema } from './backup.ts';
import { severitySchema } from './findings.ts';

const envVarName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be the NAME of an environment variable (e.g. DATABASE_URL), never the URL itself');

/** Environment names become file names (locks, journals, record ids): lowercase words, nothing that walks a path. */
export const environmentNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,62}$/, 'environment names start with a lowercase letter, then lowercase letters, digits or "-" (at most 63), e.g. production');

export const environmentConfigSchema = z
  .object({
    /** Name of the env var holding this environment's database URL. */
    databaseUrlEnv: envVarName.describe("Name of the env var holding this environment's database URL."),
    /** The application repo whose migrations run here (for provenance and the migrations folder). */
    appRepo: z.string().optional().describe('The application repo whose migrations run here.'),
    /** Prisma migrations folder, relative to appRepo. */
    migrationsDir: z.string().default('prisma/migrations').describe('Prisma migrations folder, relative to appRepo.'),
    /** Shell commands that put the application into and out of maintenance mode; downtime is the time between them. */
    maintenance: z
      .object({
        enter: z.string().describe('Shell command that enters maintenance mode.'),
        leave: z.string().describe('Shell command that leaves maintenance mode.'),
      })
      .strict()
      .optional()
      .describe('Shell commands that put the application into and out of maintenance mode.'),
    /**
     * Name of the env var holding a direct (unpooled) URL to the same database, used for the environment lock:
     * advisory locks live in a server session, which a PgBouncer transaction-mode pool does not keep (like Prisma's directUrl).
     */
    directUrlEnv: envVarName
      .optional()
      .describe(
        'Name of the env var holding a direct (unpooled) URL to the same database, used for the environment lock; never a PgBouncer transaction-pool URL.',
      ),
    /** The database the lock's advisory session connects to (default `postgres`): never the target, whose name a rollback swaps. */
    maintenanceDatabase: z.string().min(1).optional().describe('Database the environment lock is held from (default: postgres).'),
    /** Name of the env var holding the base URL smoke checks are sent to. */
    smokeBaseUrlEnv: envVarName.optional().describe('Name of the env var holding the base URL smoke checks are sent to.'),
  })
  .strict();

export const integrityCheckConfigSchema = z
  .object({
    name: z.string().min(1).describe('Check name shown in the record.'),
    sql: z.string().min(1).describe('A read-only query returning one row with one numeric column.'),
    expect: z
      .object({
        equals: z.number().optional(),
        min: z.number().optional(),
        max: z.number().optional(),
      })
      .strict()
      .refine((e) => e.equals !== undefined || e.min !== undefined || e.max !== undefined, 'give at least one of equals, min, max')
      .describe('What the number must be.'),
    severity: z.enum(['fail', 'warn']).default('fail').describe('What a mismatch means.'),
  })
  .strict();

export const softReferenceConfigSchema = z
  .object({
    name: z.string().optional().describe('Check name; defaults to from → to.'),
    from: z
      .string()
      .regex(/^[^.]+\.[^.]+\.[^.]+$/, 'use schema.table.column')
      .describe('Referencing column, schema.table.column.'),
    to: z
      .string()
      .regex(/^[^.]+\.[^.]+\.[^.]+$/, 'use schema.table.column')
      .describe('Referenced column, schema.table.column.'),
  })
  .strict();

export const smokeCheckConfigSchema = z
  .object({
    name: z.string().min(1).describe('Check name shown in the record.'),
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).default('GET'),
    url: z.string().min(1).describe('Absolute URL, or a path joined to the environment smoke base URL.'),
    headers: z.record(z.string(), z.string()).default({}),
    body: z.string().optional().describe('Request body, sent as is.'),
    expectStatus: z.number().int().default(200).describe('Expected HTTP status.'),
    expectJson: z
      .object({
        path: z.string().describe('Dot path into the JSON response, e.g. data.status.'),
        equals: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
        exists: z.boolean().optional(),
      })
      .strict()
      .optional()
      .describe('Optional expectation on one field of a JSON response.'),
    timeoutMs: z.number().int().positive().default(5000),
  })
  .strict();

/**
 * squawk rules that flag style rather than production safety, and fire on nearly every Prisma-generated
 * migration (Prisma writes INT, SERIAL, TIMESTAMP(3), statements without IF NOT EXISTS, no timeouts).
 */
export const DEFAULT_EXCLUDED_LINT_RULES: readonly string[] = [
  'prefer-robust-stmts',
  'prefer-bigint-over-int',
  'prefer-bigint-over-smallint',
  'prefer-identity',
  'prefer-timestamp-tz',
  'prefer-text-field',
  'require-timeout-settings',
  'require-lock-timeout',
  'require-statement-timeout',
];

export const lintConfigSchema = z
  .object({
    // Passed as squawk's --exclude, which takes the place of a .squawk.toml's excluded_rules: list those here too.
    /** squawk rules left out of `logbook lint` and the run's lint phase (`logbook lint --all-rules` shows them anyway). */
    excludeRules: z
      .array(z.string().regex(/^[a-z0-9-]+$/, 'use a squawk rule name, e.g. prefer-robust-stmts'))
      .default([...DEFAULT_EXCLUDED_LINT_RULES])
      .describe("squawk rules left out of `logbook lint` and the run's lint phase (`logbook lint --all-rules` shows them anyway)."),
    /** Locking findings on tables above this many rows are escalated to errors. */
    largeTableRows: z.number().int().nonnegative().default(1_000_000).describe('Locking findings on tables above this many rows are escalated to errors.'),
    /**
     * Severity of a rule before escalation, replacing the built-in tier; a blocking lock on a large table is still raised to error.
     * @example { "renaming-column": "error", "require-enum-value-ordering": "warning" }
     */
    severity: z
      .record(z.string().regex(/^[a-z0-9-]+$/, 'use a rule name, e.g. renaming-column'), severitySchema)
      .default({})
      .describe('Severity of a rule before escalation, replacing the built-in tier; a blocking lock on a large table is still raised to error.'),
    /** `run` and `start` stop before the backup (exit 10) on an unaccepted finding at this level or above; `none` never stops. */
    failOn: z
      .enum(['error', 'warning', 'info', 'none'])
      .default('error')
      .describe('`run` and `start` stop before the backup (exit 10) on an unaccepted finding at this level or above; `none` never stops.'),
  })
  .strict();

/** Record signatures (ssh-keygen -Y sign, namespace migration-logbook), checked against git's allowed-signers format. */
export const signingConfigSchema = z
  .object({
    /**
     * The private key that signs records filed on this machine (or a public key whose private half is in
     * ssh-agent). LOGBOOK_SIGNING_KEY overrides it, so CI can point at a key written from a secret.
     * @example "~/.ssh/id_ed25519"
     */
    key: z.string().min(1).optional().describe('Private key (or public key held in ssh-agent) that signs records; LOGBOOK_SIGNING_KEY overrides it.'),
    /**
     * Who may sign, in git's allowed-signers format (`principal key-type key`), committed beside the config.
     * @example ".logbook/allowed_signers"
     */
    allowedSigners: z.string().min(1).describe("File of allowed signers, in git's allowed-signers format."),
    /**
     * From which record on a valid signature is required: a sequence number (per environment) or a date.
     * @example "2026-03-01"
     */
    requiredFrom: z
      .union([
        z.number().int().positive(),
        z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/, 'use a date (2026-03-01) or a timestamp (2026-03-01T00:00:00Z)'),
      ])
      .optional()
      .describe('Records at or after this sequence number or date must carry a valid signature from an allowed signer.'),
  })
  .strict();

export const logbookConfigSchema = z
  .object({
    $schema: z.string().optional(),
    environments: z.record(environmentNameSchema, environmentConfigSchema).default({}).describe('Environments by name.'),
    paths: z
      .object({
        records: z.string().default('content/records').describe('Where record MDX files are written.'),
        runbooks: z.string().default('content/runbooks').describe('Where runbooks live.'),
        backups: z.string().default('.logbook/backups').describe('Where backups are written.'),
        state: z.string().default('.logbook').describe('Journals and locks of runs in progress.'),
        audits: z.string().default('content/audits').describe("Where `logbook audit --write` stores each environment's coverage for the site."),
      })
      .strict()
      .prefault({}),
    runbook: z.string().default('production-migration').describe('Slug of the runbook a run follows.'),
    capture: z
      .object({
        exactCountThreshold: z.number().int().nonnegative().default(1_000_000).describe('Tables estimated above this many rows are not counted exactly.'),
        countConcurrency: z.number().int().positive().max(16).default(4),
        countTimeoutMs: z.number().int().positive().default(30_000),
        statementTimeoutMs: z.number().int().positive().default(60_000),
        lockTimeoutMs: z.number().int().positive().default(2_000),
      })
      .strict()
      .prefault({}),
    backup: z
      .object({
        format: backupFormatSchema.default('custom'),
        /**
         * `list` (pg_restore reads the archive and finds every table's data) by default: `restore` builds a
         * full scratch copy, on the production server unless scratchDatabaseUrlEnv names another one.
         */
        verify: verifyLevelSchema
          .default('list')
          .describe('How `run` verifies its backup: list (default) or restore (a scratch restore with counts compared).'),
        /** Name of the env var with a server URL for restore verification, so the scratch copy is not made on production. */
        scratchDatabaseUrlEnv: envVarName
          .optional()
          .describe('Name of the env var with a server URL for restore verification, so the scratch copy is not made on production.'),
        jobs: z.number().int().positive().max(32).default(2).describe('Parallel jobs for directory-format dumps and scratch restores.'),
        /**
         * A durable copy for backups made on a machine that will vanish (a CI runner): a shell command run after
         * verification, given the paths as $LOGBOOK_BACKUP_ARCHIVE and $LOGBOOK_BACKUP_SIDECAR (never spliced into the
         * command text), and the `location` the record names ({file}, {environment}, {runId} are filled in).
         */
        copyTo: z
          .object({
            command: z.string().min(1).describe('Shell command that copies "$LOGBOOK_BACKUP_ARCHIVE" and "$LOGBOOK_BACKUP_SIDECAR" somewhere durable.'),
            location: z.string().min(1).describe('Where the copy ends up, for the record, e.g. s3://bucket/backups/{environment}/{file}.'),
          })
          .strict()
          .optional()
          .describe('Copy each verified backup somewhere durable and name the copy in the record.'),
      })
      .strict()
      .prefault({}),
    anomalies: z
      .object({
        maxRowLossShare: z.number().min(0).max(1).default(0.1).describe('A table losing more than this share of rows is an anomaly.'),
      })
      .strict()
      .prefault({}),
    lint: lintConfigSchema.prefault({}).describe("What `logbook lint` and the run's lint phase report."),
    checks: z.array(integrityCheckConfigSchema).default([]),
    softReferences: z.array(softReferenceConfigSchema).default([]),
    smoke: z.array(smokeCheckConfigSchema).default([]),
    commit: z.boolean().default(false).describe('Commit each record with git after writing it.'),
    git: z
      .object({
        /** After committing a record, push it (pull --rebase, bounded retries); a failed push exits 15 and `logbook sync` pushes later. */
        push: z.boolean().default(false).describe('Push each committed record to the records remote (implies commit).'),
        remote: z.string().min(1).default('origin').describe('The git remote records are pushed to.'),
      })
      .strict()
      .prefault({})
      .describe('Records travel through a git remote.'),
    process: z
      .object({
        /** After Ctrl-C / SIGTERM the migration's process group gets SIGTERM, then SIGKILL after this long. */
        stopGraceMs: z
          .number()
          .int()
          .nonnegative()
          .default(10_000)
          .describe("After Ctrl-C / SIGTERM the migration's process group gets SIGTERM, then SIGKILL after this long."),
      })
      .strict()
      .prefault({})
      .describe('How the migration and maintenance commands are stopped.'),
    signing: signingConfigSchema.optional().describe("Sign each record with the operator's SSH key, and which signatures verify accepts."),
    /** Names of env vars whose values are secrets whatever their names say; redacted everywhere, in every encoded form. */
    secretEnv: z
      .array(envVarName)
      .optional()
      .describe(
        'Names of env vars whose values are secrets (redacted everywhere, also %-encoded, JSON-escaped and base64), beyond those whose names say so (TOKEN, SECRET, PASSWORD, KEY, …).',
      ),
  })
  .strict();

export type EnvironmentConfig = z.infer<typeof environmentConfigSchema>;
export type IntegrityCheckConfig = z.infer<typeof integrityCheckConfigSchema>;
export type SoftReferenceConfig = z.infer<typeof softReferenceConfigSchema>;
export type SmokeCheckConfig = z.infer<typeof smokeCheckConfigSchema>;
export type LogbookConfig = z.infer<typeof logbookConfigSchema>;
export type SigningConfig = z.infer<typeof signingConfigSchema>;
