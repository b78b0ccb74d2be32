// logbook sync: give records filed while the database was unreachable their position in the ledger, and push
// records committed here that never reached the records remote.
import { defineCommand } from '../cli/command.ts';
import { connectionFlags } from '../cli/common-flags.ts';
import { EXIT } from '../cli/errors.ts';

export default defineCommand({
  name: 'sync',
  summary: 'Anchor records filed while the database was unreachable in their environment ledger',
  description: `A record filed while the target database could not be reached has no position in its
environment's chain ("unanchored"). sync appends each one, oldest first, to the ledger and rewrites only its
integrity block (position, digest, signature); the captured facts and people's prose are unchanged.
With git.push configured (or --push), it then pushes what this clone committed (pull --rebase, bounded retries).
Nothing to anchor is success; a database that is still unreachable is a connection error; a failed push is
not-committed (the records stay committed here for the next sync).`,
  flags: {
    ...connectionFlags,
    env: { ...connectionFlags.env, required: true, example: 'e.g. logbook sync --env production (each environment has its own ledger, in its own database)' },
    commit: { type: 'boolean', description: 'Commit the rewritten records (default: the config "commit")' },
    push: { type: 'boolean', description: 'Push committed records to the records remote (default: the config "git.push"); exit 15 when it fails' },
    json: { type: 'boolean', description: 'Print what was anchored as JSON' },
  },
  async run({ flags, out }) {
    const { loadConfig } = await import('../adapters/fs/config-file.ts');
    const { commitRecord } = await import('../adapters/git/commit-record.ts');
    const { pushRecords } = await import('../adapters/git/publish-records.ts');
    const { resolveDatabaseUrl } = await import('../workflow/database-url.ts');
    const { anchorUnanchored } = await import('../workflow/anchor-unanchored.ts');
    const loaded = loadConfig(flags.config);
    const db = resolveDatabaseUrl({ db: flags.db, env: loaded.config.environments[flags.env] ? flags.env : undefined, loaded });
    const recordsDir = loaded.path('records');
    const { anchored } = await anchorUnanchored({ url: db.url, environment: flags.env, recordsDir, loaded, out });
    const push = Boolean(flags.push) || loaded.config.git.push;
    if ((flags.commit || push || loaded.config.commit) && anchored.length) {
      const { readRecord } = await import('../adapters/fs/record-store.ts');
      const { snapshotPathsOf } = await import('../adapters/fs/snapshot-store.ts');
      for (const a of anchored) {
        // Its snapshot files go with it: a record filed while git could not commit has them untracked too.
        const { record } = await readRecord(a.file, { checkBody: false });
        await commitRecord(a.file, `logbook: anchor ${a.id} as #${a.seq} in the ${flags.env} ledger`, await snapshotPathsOf(recordsDir, record));
      }
    }
    // A failed push throws (exit 15): the records stay committed here for the next sync.
    const pushed = push ? await pushRecords(recordsDir, { remote: loaded.config.git.remote }) : null;
    if (pushed) out.info(`✓ pushed to ${pushed.remote}/${pushed.branch}`);
    if (flags.json) out.json({ environment: flags.env, anchored: anchored.map(({ id, seq }) => ({ id, seq })), pushed: pushed !== null });
    else
      out.line(
        anchored.length ? `anchored ${anchored.length} record(s) in the ${flags.env} ledger` : `nothing to anchor: every ${flags.env} record has its position`,
      );
    return EXIT.ok;
  },
});
