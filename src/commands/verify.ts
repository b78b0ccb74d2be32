// logbook verify: recompute every record's digests and each environment's chain, check signatures, and
// compare with the ledger in the database (--env) or, without it, with the records folder's git history.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { defineCommand } from '../cli/command.ts';
import { configFlag } from '../cli/common-flags.ts';
import { EXIT, LogbookError } from '../cli/errors.ts';
import type { RecordTamper } from '../core/record/digest.ts';
import type { MigrationRecord } from '../schemas/record.ts';

export type FindingKind = 'edited' | 'missing' | 'fork' | 'relinked' | 'deleted' | 'forged' | 'unanchored' | 'duplicate' | 'snapshot';

export interface Finding {
  kind: FindingKind;
  environment?: string | undefined;
  record?: string | undefined;
  detail: string;
}

function describeTamper(t: RecordTamper): string {
  return [
    t.editedSections.length ? `facts edited in: ${t.editedSections.join(', ')}` : '',
    t.digestMismatch ? 'digest or position (seq, previous) altered' : '',
    t.rollbackEdited ? 'rollback edited' : '',
    t.rollbackEventEdited ? "the rollback's ledger position altered" : '',
  ]
    .filter(Boolean)
    .join('; ');
}

const LABEL: Record<FindingKind, string> = {
  edited: 'EDITED',
  missing: 'MISSING',
  fork: 'FORK',
  relinked: 'RELINKED',
  deleted: 'DELETED',
  forged: 'FORGED',
  unanchored: 'UNANCHORED',
  duplicate: 'DUPLICATE',
  snapshot: 'SNAPSHOT',
};

export default defineCommand({
  name: 'verify',
  summary: 'Recompute record digests, chains and signatures; exit 1 on any edited, missing, reordered or forged record',
  description: `Each record carries a sha256 of its captured facts (per section) and, from version 2, of its
position: environment, sequence number (assigned by the ledger in the target database) and the digest of
the record before it. verify reports, one line each: an edited fact (naming the section), a missing
record anywhere in a chain, a reordered or re-pointed link, a fork, a record filed unanchored, an id filed
twice in the records folder, a snapshot file (_snapshots/: a capture's root, referenced by sha256 from the
record, and every part below it) that is missing, edited or not a plain file, and (with
"signing" in the config) each record's signer and every record from signing.requiredFrom on without a
valid signature from an allowed signer. With --env it also compares the records with that environment's
ledger (catching the deletion of the newest record); when the database cannot be reached, and always
when the records folder is in git, record files git held and the working tree no longer has are
reported. People's prose is not covered (an invalid MDX body is a \`validate\` finding, not a verify one).`,
  flags: {
    env: { type: 'string', valueName: 'NAME', description: "Also compare with this environment's ledger in its database" },
    db: { type: 'string', valueName: 'URL', description: "The environment's database URL (default: its env var)" },
    config: configFlag,
    json: { type: 'boolean', description: 'Print the findings as JSON' },
  },
  async run({ flags, out }) {
    const { loadConfig } = await import('../adapters/fs/config-file.ts');
    const { readAllRecords } = await import('../adapters/fs/record-store.ts');
    const { listRecordTree } = await import('../adapters/fs/list-records.ts');
    const { findDeletedRecords } = await import('../adapters/git/deleted-records.ts');
    const { connect } = await import('../adapters/pg/client.ts');
    const { readLedger } = await import('../adapters/pg/ledger.ts');
    const { resolveDatabaseUrl } = await import('../workflow/database-url.ts');
    const { checkChains } = await import('../core/record/chain.ts');
    const { checkRecordDigest } = await import('../core/record/digest.ts');
    const { checkAgainstLedger } = await import('../core/record/ledger-check.ts');
    const loaded = loadConfig(flags.config);
    const recordsDir = loaded.path('records');
    const records = (await readAllRecords(recordsDir, { checkBody: false })).map((s) => s.record);
    const findings: Finding[] = [];
    const tree = listRecordTree(recordsDir);
    // Two files with one id: whichever a reader picks, the other is silently shadowed (the site, rollback by id).
    for (const d of tree.duplicates)
      findings.push({ kind: 'duplicate', record: d.id, detail: `${d.id}: filed ${d.paths.length} times: ${d.paths.join(', ')}` });
    if (tree.strays.length)
      out.warn(`${tree.strays.length} file(s) in the records folder are not records and were not verified (\`logbook validate\` lists them)`);

    const tampered = records.map(checkRecordDigest).filter((t) => t !== null);
    const envOf = new Map(records.map((r) => [r.id, r.environment]));
    for (const t of tampered) findings.push({ kind: 'edited', environment: envOf.get(t.id), record: t.id, detail: `${t.id}: ${describeTamper(t)}` });
    // A duplicate is reported once (above); the chains are checked with one copy of each id, not as a fork of itself.
    const oncePerId = [...new Map(records.map((r) => [r.id, r] as const)).values()];
    for (const c of checkChains(oncePerId))
      findings.push({
        kind: c.kind,
        environment: c.environment,
        record: c.kind === 'missing' ? c.before : c.kind === 'relinked' ? c.record : c.records.join(','),
        detail: `${c.environment}: ${c.detail}`,
      });
    for (const r of records.filter((r) => r.integrity.unanchored)) {
      findings.push({
        kind: 'unanchored',
        environment: r.environment,
        record: r.id,
        detail: `${r.id}: filed while the ledger was unreachable; run \`logbook sync --env ${r.environment}\``,
      });
    }

    // The digest covers each snapshot's sha256; its file, and every part below it, must still hash to their names.
    const { describeSnapshotFileProblem, snapshotTreeState } = await import('../adapters/fs/snapshot-store.ts');
    const { snapshotFileRefs } = await import('../core/record/snapshot-access.ts');
    // Records share snapshot parts (what did not change is stored once): each part is hashed once.
    const seen = new Map();
    for (const r of records) {
      for (const { field, ref } of snapshotFileRefs(r)) {
        const found = await snapshotTreeState(recordsDir, ref, seen);
        if (found.state === 'ok') continue;
        const path = relative(process.cwd(), join(recordsDir, found.path)) || found.path;
        findings.push({
          kind: 'snapshot',
          environment: r.environment,
          record: r.id,
          detail: `${r.id}: the ${field} snapshot file ${path} ${describeSnapshotFileProblem(found.state)}`,
        });
      }
    }

    const signers = await checkSignatures(records, loaded.config.signing, loaded.baseDir, findings);

    let ledger: 'compared' | 'unreachable' | 'not asked' = 'not asked';
    if (flags.env) {
      const db = resolveDatabaseUrl({ db: flags.db, env: loaded.config.environments[flags.env] ? flags.env : undefined, loaded });
      try {
        const client = await connect(db.url, { doing: 'reading the ledger', connectTimeoutMs: 5_000 });
        try {
          const rows = await readLedger(client, flags.env);
          for (const f of checkAgainstLedger(flags.env, oncePerId, rows)) findings.push({ ...f, environment: flags.env, detail: `${flags.env}: ${f.detail}` });
          ledger = 'compared';
        } finally {
          await client.end().catch(() => {});
        }
      } catch (error) {
        if (!(error instanceof LogbookError) || error.outcome !== 'connection') throw error;
        ledger = 'unreachable';
        out.warn(`the ledger could not be read (${error.message.split('\n')[0]}); checking the records folder's git history instead`);
      }
    }
    const deleted = await findDeletedRecords(recordsDir);
    for (const d of deleted ?? []) {
      if (findings.some((f) => f.kind === 'deleted' && f.record === d.id)) continue;
      findings.push({ kind: 'deleted', record: d.id, detail: `${d.id}: commit ${d.commit.slice(0, 12)} held this record; the working tree no longer has it` });
    }
    if (ledger === 'unreachable' && deleted === null) out.warn('the records folder is not in git either: the deletion of the newest record cannot be detected');

    const ok = findings.length === 0;
    if (flags.json) out.json({ ok, records: records.length, ledger, git: deleted !== null, findings, signers });
    else {
      for (const f of findings) out.line(`${LABEL[f.kind].padEnd(10)} ${f.detail}`);
      for (const s of signers) out.line(`${'SIGNED'.padEnd(10)} ${s.record}: ${s.signer}`);
      const checked = [ledger === 'compared' ? `the ${flags.env} ledger` : '', deleted !== null ? 'git history' : ''].filter(Boolean).join(' and ');
      out.line(
        ok
          ? `ok: ${records.length} record(s) intact, chains unbroken${checked ? `, checked against ${checked}` : ''}`
          : `${findings.length} finding(s) in ${records.length} record(s)`,
      );
    }
    return ok ? EXIT.ok : EXIT.problems;
  },
});

/** Names each signed record's signer; a bad signature, or none where one is required, is a forgery finding. */
async function checkSignatures(
  records: MigrationRecord[],
  signing: { allowedSigners: string; requiredFrom?: number | string | undefined } | undefined,
  baseDir: string,
  findings: Finding[],
): Promise<Array<{ record: string; signer: string }>> {
  const signers: Array<{ record: string; signer: string }> = [];
  if (!signing) return signers;
  const { checkSignature, resolveKeyPath, signedMessage } = await import('../adapters/ssh/ssh-signature.ts');
  const { signatureRequired } = await import('../core/record/ledger-check.ts');
  const allowed = resolveKeyPath(signing.allowedSigners, baseDir);
  if (!existsSync(allowed)) {
    throw new LogbookError(`the allowed signers file ${allowed} does not exist`, {
      code: 'E_CONFIG',
      exitCode: EXIT.usage,
      hint: 'create it (see README, "Signing records") or fix signing.allowedSigners in the config',
    });
  }
  for (const record of records) {
    const required = signatureRequired(record, signing.requiredFrom);
    const signature = record.integrity.signature;
    if (!signature) {
      if (required)
        findings.push({
          kind: 'forged',
          environment: record.environment,
          record: record.id,
          detail: `${record.id}: unsigned, but signatures are required from ${signing.requiredFrom}`,
        });
      continue;
    }
    const check = await checkSignature(allowed, signedMessage(record.id, record.integrity.digest), signature);
    if (check.valid) signers.push({ record: record.id, signer: check.signer });
    else findings.push({ kind: 'forged', environment: record.environment, record: record.id, detail: `${record.id}: ${check.reason}` });
  }
  return signers;
}
