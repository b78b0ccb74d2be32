// logbook verify: recompute every record's digests and each environment's chain.
import { defineCommand } from '../cli/command.ts';
import { configFlag } from '../cli/common-flags.ts';
import { EXIT } from '../cli/errors.ts';

export default defineCommand({
  name: 'verify',
  summary: 'Recompute record digests and chains; exit 1 on any edited or missing record',
  description: `Each record carries a sha256 of its captured facts (per section) and the digest of the
previous record of the same environment. verify names each record whose facts were edited (and which
sections), each record missing from a chain, and each fork. People's prose is not covered.
Exit codes: 0 intact; 1 problems found (an invalid record too: run validate); 2 usage error.`,
  flags: {
    config: configFlag,
    json: { type: 'boolean', description: 'Print the findings as JSON' },
  },
  async run({ flags, out }) {
    const { loadConfig } = await import('../adapters/fs/config-file.ts');
    const { readAllRecords } = await import('../adapters/fs/record-store.ts');
    const { checkChains, checkRecordDigest } = await import('../core/record/digest.ts');
    const loaded = loadConfig(flags.config);
    const stored = await readAllRecords(loaded.path('records'));
    const records = stored.map((s) => s.record);
    const tampered = records.map(checkRecordDigest).filter((t) => t !== null);
    const chains = checkChains(records);
    const ok = tampered.length === 0 && chains.length === 0;
    if (flags.json) out.json({ ok, records: records.length, edited: tampered, chains });
    else {
      for (const t of tampered) {
        const what = [t.editedSections.length ? `facts edited in: ${t.editedSections.join(', ')}` : '', t.digestMismatch ? 'digest altered' : '', t.rollbackEdited ? 'rollback edited' : ''].filter(Boolean).join('; ');
        out.line(`EDITED  ${t.id}: ${what}`);
      }
      for (const c of chains) out.line(`${c.kind === 'missing' ? 'MISSING' : 'FORK   '} ${c.environment}: ${c.detail}`);
      out.line(ok ? `ok: ${records.length} record(s) intact, chains unbroken` : `${tampered.length} edited record(s), ${chains.length} chain problem(s) in ${records.length} record(s)`);
    }
    return ok ? EXIT.ok : EXIT.problems;
  },
});
