// An attacker's migration prints its environment: no secret (by value or by format, in any encoding) reaches
// the record, the journal, git, the built site or its feeds; hostile prose renders inert under the CSP;
// private files are 0600 and no password shows in `ps` during the run.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { simpleGit } from 'simple-git';
import { buildSite, siteBuildDir } from '../../scripts/support/build-site.ts';
import { launchOptions } from '../helpers/browser.ts';
import { FAKE } from '../helpers/fake-secrets.ts';
import { recordPaths } from '../helpers/record-files.ts';
import { makeRunFixture } from '../helpers/run-fixture.ts';
import { serveStatic } from '../helpers/static-server.ts';

const DB_PASSWORD = ['fake', 'Db:pa ss@w0rd/', '2024'].join('-');

/** Every file under `dir`, gzip-compressed ones (Pagefind's index) decompressed. */
function readTree(dir: string): Array<{ path: string; text: string }> {
  const out: Array<{ path: string; text: string }> = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    let bytes = readFileSync(path);
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
    out.push({ path, text: bytes.toString('utf8') });
  }
  return out;
}

function mode(path: string): string {
  return (statSync(path).mode & 0o777).toString(8);
}

describe('secrets in a migration that prints its environment', () => {
  let buildDir: string | undefined;
  after(() => {
    if (buildDir) rmSync(buildDir, { recursive: true, force: true });
  });

  it('leave no trace in record, journal, git, site or feeds; prose is inert; files are private; ps shows no password', async (t) => {
    const f = await makeRunFixture(t);
    const dbUrl = new URL(f.env[f.ws.databaseUrlEnv]!);
    assert.equal(dbUrl.password, '', 'the test server URL carries no password of its own');
    dbUrl.password = encodeURIComponent(DB_PASSWORD);
    const probe = mkdtempSync(join(tmpdir(), 'logbook-probe-'));
    t.after(() => rmSync(probe, { recursive: true, force: true }));

    const secretEnv = {
      GITHUB_TOKEN: FAKE.github,
      AWS_ACCESS_KEY_ID: FAKE.awsAccessKeyId,
      AWS_SECRET_ACCESS_KEY: FAKE.awsSecretAccessKey,
      SLACK_BOT_TOKEN: FAKE.slack,
      STRIPE_SECRET_KEY: FAKE.stripe,
      OPAQUE_SECRET: FAKE.opaque,
    };
    const env = {
      ...secretEnv,
      [f.ws.databaseUrlEnv]: dbUrl.href,
      API_KEY_ID: 'prod',
      // Names that look harmless: only the formats inside give these away.
      AUTH_HEADER_FOR_WEBHOOK: `Bearer ${FAKE.jwt}`,
      APP_SETTINGS: JSON.stringify({ user: 'app', password: FAKE.jsonPassword }),
      REPORTING_ENDPOINT: `https://reporter:${FAKE.urlPassword}@reports.example.test/`,
      PROBE_DIR: probe,
      STATE_DIR: join(f.ws.dir, '.logbook'),
    };
    // The "migration": prints env and encoded secrets, and looks at the process list and file modes mid-run.
    const script = [
      'env',
      // Under npm the environment runs past the kept tail: print the interesting part again, last.
      'env | grep -E "^(GITHUB|AWS|SLACK|STRIPE|OPAQUE|API_KEY|AUTH_HEADER|APP_SETTINGS|REPORTING|DATABASE_URL|LOGBOOK_TEST_DB)" | sort',
      'printf "db password, url-encoded: %s\\n" "$(printf %s "$LOGBOOK_TEST_DB" | sed -e "s|.*://[^:]*:||" -e "s|@.*||")"',
      'printf "token in base64: %s\\n" "$(printf "x:%s" "$GITHUB_TOKEN" | base64 -w0)"',
      'printf "deploying to prod\\n"',
      'ps -eo args ww > "$PROBE_DIR/ps.txt"',
      // The environment lock is a row in the database now: its copy of the journal must be redacted too.
      'psql "$LOGBOOK_TEST_DB" -Atc "SELECT journal::text FROM logbook.lock" > "$PROBE_DIR/lock-row.txt" 2>&1 || true',
      'cd "$STATE_DIR" && stat -c "%a %n" runs/* > "$PROBE_DIR/modes.txt" 2>&1 || true',
    ].join('; ');
    const result = await f.cli(['run', '--env', f.ws.environment, '--commit', '--', 'sh', '-c', script], env);
    assert.equal(result.code, 0, result.stderr);

    // ps during the run: the logbook process, the shell, nobody shows the password.
    const ps = readFileSync(join(probe, 'ps.txt'), 'utf8');
    assert.match(ps, /logbook/);
    for (const form of [DB_PASSWORD, encodeURIComponent(DB_PASSWORD), dbUrl.password]) assert.ok(!ps.includes(form), 'ps shows the database password');
    const modes = readFileSync(join(probe, 'modes.txt'), 'utf8');
    const lockRow = readFileSync(join(probe, 'lock-row.txt'), 'utf8');
    assert.match(lockRow, /"runId"/, lockRow);
    for (const form of [DB_PASSWORD, encodeURIComponent(DB_PASSWORD), dbUrl.password])
      assert.ok(!lockRow.includes(form), 'the lock row shows the database password');
    assert.match(modes, /^600 runs\//m, modes);

    const recordFile = recordPaths(f.ws.recordsDir)[0]!;
    const recordPath = join(f.ws.recordsDir, recordFile);
    const record = readFileSync(recordPath, 'utf8');
    assert.match(record, /API_KEY_ID=prod/, 'a short value of a secret-named variable is kept');
    assert.match(record, /deploying to prod/);
    assert.match(record, /GITHUB_TOKEN=\*\*\*/);

    // Backups, sidecars and journals stay private after the run.
    const backups = join(f.ws.dir, '.logbook', 'backups');
    const backupFiles = readdirSync(backups);
    assert.ok(backupFiles.some((n) => n.endsWith('.meta.json')) && backupFiles.length >= 2, backupFiles.join(', '));
    for (const name of backupFiles) assert.equal(mode(join(backups, name)), '600', name);
    const runs = join(f.ws.dir, '.logbook', 'runs');
    for (const name of readdirSync(runs)) assert.equal(mode(join(runs, name)), '600', name);
    assert.equal(mode(backups), '700');

    // A person adds hostile prose to the Notes afterwards (prose never breaks verification).
    const prose = [
      '',
      'Hostile notes: <img src=x onerror="window.__pwned = 1"> <script>window.__pwned = 2</script>',
      '',
      '[click me](javascript:window.__pwned=3) and [data](data:text/html,<script>alert(1)</script>) zebrafinch',
      '',
    ].join('\n');
    writeFileSync(recordPath, record + prose);

    buildDir = siteBuildDir('secrets');
    const dist = (await buildSite({ recordsDir: f.ws.recordsDir, outDir: join(buildDir, 'dist') })).outDir;

    const secrets = { ...Object.fromEntries(Object.entries(FAKE).filter(([k]) => k !== 'privateKeyBody')), DB_PASSWORD };
    const places = [
      { path: recordPath, text: record },
      ...readTree(join(f.ws.dir, '.logbook', 'runs')),
      { path: 'git history', text: await simpleGit(f.ws.dir).raw(['log', '-p', '--all']) },
      ...readTree(dist),
    ];
    assert.ok(places.some((p) => p.path.endsWith('rss.xml')) && places.some((p) => p.path.endsWith('records.json')));
    for (const [name, value] of Object.entries(secrets)) {
      for (const form of new Set([value, encodeURIComponent(value), Buffer.from(value).toString('base64').slice(4, -4)])) {
        const leak = places.find((p) => p.text.includes(form));
        assert.equal(leak?.path, undefined, `${name} leaked into ${leak?.path}`);
      }
    }

    // Every page carries the CSP; the prose is inert; search still runs (WebAssembly) under it.
    const pages = readTree(dist).filter((p) => p.path.endsWith('.html'));
    for (const page of pages) assert.match(page.text, /<meta http-equiv="content-security-policy" content="[^"]*'wasm-unsafe-eval'/i, page.path);
    const server = await serveStatic(dist);
    t.after(() => server.close());
    const browser = await chromium.launch(launchOptions);
    t.after(() => browser.close());
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const id = recordFile.split('/').pop()!.slice(0, -'.mdx'.length);
    await page.goto(`${server.url}/records/${id}/`);
    const notes = page.locator('.record-body');
    assert.match((await notes.textContent()) ?? '', /Hostile notes/);
    assert.equal(await notes.locator('script, img[onerror], [onerror]').count(), 0);
    assert.equal(await notes.locator('a[href^="javascript:"], a[href^="data:"]').count(), 0);
    await notes.getByText('click me').click();
    await page.waitForTimeout(200);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.deepEqual(dialogs, []);

    await page.goto(`${server.url}/search/?q=zebrafinch`);
    await page.locator('.pagefind-ui__result-link').first().waitFor({ timeout: 15_000 });
    assert.match((await page.locator('.pagefind-ui__result-link').first().getAttribute('href')) ?? '', new RegExp(`/records/${id}/`));
  });

  it('--db with a password: warned, pointed to --db-env, and hidden from ps; a loose backup folder is reported', async (t) => {
    const f = await makeRunFixture(t);
    const dbUrl = new URL(f.env[f.ws.databaseUrlEnv]!);
    dbUrl.password = encodeURIComponent(DB_PASSWORD);
    const probe = mkdtempSync(join(tmpdir(), 'logbook-probe-'));
    t.after(() => rmSync(probe, { recursive: true, force: true }));
    const backups = join(f.ws.dir, '.logbook', 'backups');
    mkdirSync(backups, { recursive: true });
    chmodSync(backups, 0o755);
    const result = await f.cli(['run', '--env', f.ws.environment, '--db', dbUrl.href, '--', 'sh', '-c', 'ps -eo args ww > "$PROBE_DIR/ps.txt"'], {
      PROBE_DIR: probe,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /warning: the password in --db is visible .*--db-env NAME/);
    assert.match(result.stderr, new RegExp(`backup folder ${backups} is mode 0755: .*chmod 700`));
    assert.equal(mode(backups), '755', 'an existing folder keeps its mode');
    const ps = readFileSync(join(probe, 'ps.txt'), 'utf8');
    assert.match(ps, /^logbook run$/m);
    for (const form of [DB_PASSWORD, encodeURIComponent(DB_PASSWORD), dbUrl.password]) assert.ok(!ps.includes(form), 'ps shows the database password');
  });
});
