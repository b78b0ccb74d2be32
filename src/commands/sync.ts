// logbook sync: give records filed while the database was unreachable their position in the ledger.
import { join } from 'node:path';
import { defineCommand } from '../cli/command.ts';
import { connectionFlags } from '../cli/common-flags.ts';
import { EXIT } from '../cli/errors.ts';

export default defineCommand({
  name: 'sync',
  summary: 'Anchor records filed while the database was unreachable in their environment ledger',
  description: `A record filed while the target database could not be reached has no position in its
environment's chain ("unanchored"). sync appends each one, oldest first, to the ledger and rewrites only its
integrity block (position, digest, signature); the captured facts and people's prose are unchanged.
Nothing to anchor is success; a database that is still unreachable is a connection error.`,
  flags: {
    ...connectionFlags,
    env: { ...connectionFlags.env, required: true, example: 'e.g. logbook sync --env production (each environment has its own ledger, in its own database)' },
    commit: { type: 'boolean', description: 'Commit the rewritten records (default: the config "commit")' },
    json: { type: 'boolean', description: 'Print what was anchored as JSON' },
  },
  async run({ flags, out }) {
    const { loadConfig } = await import('../adapters/fs/config-file.ts');
    const { commitRecord } = await import('../adapters/git/commit-record.ts');
    const { resolveDatabaseUrl } = await import('../workflow/database-url.ts');
    const { anchorUnanchored } = await import('../workflow/anchor-unanchored.ts');
    const loaded = loadConfig(flags.config);
    const db = resolveDatabaseUrl({ db: flags.db, env: loaded.config.environments[flags.env] ? flags.env : undefined, loaded });
    const recordsDir = loaded.path('records');
    const { anchored } = await anchorUnanchored({ url: db.url, environment: flags.env, recordsDir, loaded, out });
    if ((flags.commit || loaded.config.commit) && anchored.length) {
      for (const a of anchored) await commitRecord(join(recordsDir, `${a.id}.mdx`), `logbook: anchor ${a.id} as #${a.seq} in the ${flags.env} ledger`);
    }
    if (flags.json) out.json({ environment: flags.env, anchored });
    else out.line(anchored.length ? `anchored ${anchored.length} record(s) in the ${flags.env} ledger` : `nothing to anchor: every ${flags.env} record has its position`);
    return EXIT.ok;
  },
});
