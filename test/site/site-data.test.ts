// The site's build-time data shaping, without rendering: record reading, summaries, history filters, tables,
// charts, the record page's view model, git history parsing and the feeds.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { gitLogFormat, parseGitLog } from '../../src/adapters/git/folder-history.ts';
import { splitFrontmatter } from '../../src/core/frontmatter.ts';
import { checkRecordDigest } from '../../src/core/record/digest.ts';
import { parseRecordFile } from '../../src/core/record/parse-record.ts';
import { parseRunbook } from '../../src/core/runbook/parse-runbook.ts';
import { lineChart, niceTicks, thin } from '../../src/site/chart.ts';
import { buildDashboard } from '../../src/site/dashboard.ts';
import { recordsFeed, rssFeed } from '../../src/site/feeds.ts';
import { readRecordsGitHistory, recordHistories } from '../../src/site/git-history.ts';
import { applyHistoryQuery, filterOptions, historyRow } from '../../src/site/history.ts';
import { summariseRecord, tableFacts } from '../../src/site/record-summary.ts';
import { checklistView, commitUrl, digestStatus, rollbackRows } from '../../src/site/record-view.ts';
import { chartSeries, tableHistories } from '../../src/site/tables.ts';
import { recordFileText } from '../helpers/record-files.ts';
import { generateHistory, makeIndex, makeRecord, makeSnapshot } from '../helpers/synthetic.ts';

const history = generateHistory(120);
const records = history.map((h) => h.record);
const summaries = records.map(summariseRecord).reverse();
const tableRecords = records.map((r) => ({ ...summariseRecord(r), ...tableFacts(r) }));

describe('reading record files fast', () => {
  it('reads exactly what the CLI wrote: same data as the `yaml` parser, every digest intact', () => {
    for (const { record, notes } of history.slice(0, 40)) {
      const text = recordFileText(record, notes);
      const result = parseRecordFile(text, `content/records/${record.id}.mdx`, { checkBody: false });
      assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
      assert.deepEqual(result.value.record, splitFrontmatter(text).data);
      assert.deepEqual(result.value.record, parseYaml(text.slice(4, text.indexOf('\n---\n'))));
      assert.equal(checkRecordDigest(result.value.record), null);
      assert.match(result.value.body, /^\n?# /);
    }
  });

  it('keeps look-alike strings as strings (YAML 1.2 core: no timestamps, no yes/no booleans)', () => {
    const record = makeRecord({ title: '2026-01-01', migrations: ['yes', '0x10', '1e3'] });
    const result = parseRecordFile(recordFileText(record), `${record.id}.mdx`);
    assert.ok(result.ok);
    assert.equal(result.value.record.title, '2026-01-01');
    assert.deepEqual(result.value.record.migrations, ['yes', '0x10', '1e3']);
  });

  it('names the file, field and reason of a bad record, and a file name that is not its id', () => {
    const record = makeRecord();
    const bad = recordFileText(record).replace('status: success', 'status: done');
    const result = parseRecordFile(bad, `records/${record.id}.mdx`);
    assert.equal(result.ok, false);
    assert.deepEqual(!result.ok && result.problems.map((p) => [p.file, p.field]), [[`records/${record.id}.mdx`, 'status']]);
    const renamed = parseRecordFile(recordFileText(record), 'records/other.mdx');
    assert.match(!renamed.ok ? renamed.problems[0]!.message : '', /must equal the file name "other"/);
    const broken = parseRecordFile('---\nid: [\n---\n', 'x.mdx');
    assert.equal(!broken.ok && broken.problems[0]!.field, 'frontmatter');
  });
});

describe('history', () => {
  it('filters by environment, status and year and sorts, like the page script', () => {
    const rows = summaries.map(historyRow);
    const options = filterOptions(rows);
    assert.deepEqual(options.environments, ['production', 'qa', 'staging']);
    const qa = applyHistoryQuery(rows, { env: 'qa' });
    assert.ok(qa.length > 0 && qa.every((r) => r.environment === 'qa'));
    const failed = applyHistoryQuery(rows, { status: 'failed' });
    assert.ok(failed.every((r) => r.status === 'failed'));
    const longest = applyHistoryQuery(rows, { sort: 'duration' });
    assert.equal(longest[0]!.durationMs, Math.max(...rows.map((r) => r.durationMs ?? -1)));
    assert.deepEqual(applyHistoryQuery(rows, { sort: 'oldest' })[0], rows.at(-1));
  });

  it('summarises what a run did in one line, or why it did not run', () => {
    const aborted = summariseRecord(
      makeRecord({ status: 'aborted', post: null, execution: null, outcome: { performanceImpact: 'unknown', abortReason: 'backup failed' } }),
    );
    assert.equal(aborted.summary, 'not run: backup failed');
    assert.match(summariseRecord(makeRecord()).summary, /public\.players \+20/);
  });
});

describe('tables', () => {
  it("collects each table's rows over time per environment and the runs that touched it", () => {
    const record = makeRecord({
      migrations: ['20260101000000_add_matches_index'],
      pre: makeSnapshot({ tables: { players: 100, matches: 5 } }),
      post: makeSnapshot({ tables: { players: 100, matches: 5 }, indexes: [makeIndex('matches', 'matches_idx')] }),
    });
    const tables = tableHistories([{ ...summariseRecord(record), ...tableFacts(record) }]);
    const matches = tables.get('public.matches')!;
    assert.deepEqual(
      chartSeries(matches).map((s) => s.label),
      ['production'],
    );
    assert.equal(chartSeries(matches)[0]!.points[0]!.value, 5);
    assert.deepEqual(matches.touches[0]!.reasons, ['named by the migration', 'index matches_idx added']);
    assert.equal(tables.get('public.players')!.touches.length, 0);
  });

  it('has one series per environment across a generated history', () => {
    const tables = tableHistories(tableRecords);
    const players = tables.get('public.players')!;
    assert.deepEqual(
      chartSeries(players).map((s) => s.label),
      ['production', 'qa', 'staging'],
    );
    assert.equal(
      chartSeries(players).reduce((n, s) => n + s.points.length, 0),
      records.length,
    );
  });
});

describe('charts', () => {
  it('picks round ticks and thins long series keeping both ends', () => {
    assert.deepEqual(niceTicks(95), [0, 50, 100]);
    assert.deepEqual(niceTicks(1234), [0, 500, 1000, 1500]);
    const thinned = thin([...Array(1000).keys()], 10);
    assert.equal(thinned.length, 10);
    assert.equal(thinned[0], 0);
    assert.equal(thinned.at(-1), 999);
  });

  it('maps time to x and value to y inside the plot', () => {
    const chart = lineChart(
      [
        {
          label: 'prod',
          points: [
            { at: '2026-01-01T00:00:00Z', value: 0 },
            { at: '2026-01-03T00:00:00Z', value: 100 },
          ],
        },
      ],
      { width: 400, height: 200 },
    );
    assert.equal(chart.empty, false);
    assert.equal(chart.series[0]!.path, `M${chart.plot.left} ${chart.plot.bottom}L${chart.plot.right} ${chart.plot.top}`);
    assert.equal(lineChart([]).empty, true);
  });
});

describe('the record page', () => {
  it('links the commit when the remote is known', () => {
    assert.equal(commitUrl('git@github.com:acme/game.git', 'abc'), 'https://github.com/acme/game/commit/abc');
    assert.equal(commitUrl('https://gitlab.com/acme/game.git', 'abc'), 'https://gitlab.com/acme/game/commit/abc');
    assert.equal(commitUrl(null, 'abc'), null);
    assert.equal(commitUrl('/srv/git/game', 'abc'), null);
  });

  it("lays the record's checklist over the runbook: done, skipped with reason, not recorded", () => {
    const runbook = parseRunbook(
      `---\ntitle: T\ndescription: D\nversion: 1.0.0\nupdated: 2026-01-01\n---\n\n<Phase id="pre" title="Pre">\n\n<Section id="env" title="Env">\n\n<Step id="env.one">\nOne\n</Step>\n\n<Step id="env.two">\nTwo\n</Step>\n\n<Step id="env.three">\nThree\n</Step>\n\n</Section>\n\n</Phase>\n`,
    );
    const view = checklistView(
      [
        { stepId: 'env.one', state: 'done', by: 'tool' },
        { stepId: 'env.two', state: 'skipped', by: 'person', reason: 'not needed' },
        { stepId: 'gone.step', state: 'done', by: 'person' },
      ],
      runbook,
    );
    assert.deepEqual(view.totals, { done: 1, skipped: 1, 'not-applicable': 0, 'not-recorded': 1 });
    assert.deepEqual(
      view.phases[0]!.steps.map((s) => [s.id, s.state, s.reason]),
      [
        ['env.one', 'done', null],
        ['env.two', 'skipped', 'not needed'],
        ['env.three', 'not-recorded', null],
      ],
    );
    assert.deepEqual(
      view.unknown.map((e) => e.stepId),
      ['gone.step'],
    );
  });

  it('says intact, edited (which section) or chain broken', () => {
    const record = makeRecord();
    assert.equal(digestStatus(record, null, []).state, 'intact');
    assert.deepEqual(digestStatus(record, { id: record.id, editedSections: ['post'], digestMismatch: false, rollbackEdited: false }, []), {
      state: 'edited',
      details: ['captured facts edited after filing: post'],
    });
    assert.equal(
      digestStatus(record, null, [{ kind: 'missing', environment: 'production', after: null, before: record.id, detail: 'gap' }]).state,
      'chain-broken',
    );
  });

  it('compares counts after a restore with the counts at backup time', () => {
    const rolled = records.find((r) => r.rollback)!;
    const rows = rollbackRows(rolled);
    assert.equal(rows.length, rolled.backup!.tables.length);
    assert.ok(rows.every((r) => r.matches));
  });
});

describe('dashboard and feeds', () => {
  it('has the latest run per environment and the success rate', () => {
    const dashboard = buildDashboard(summaries);
    assert.equal(dashboard.environments[0]!.environment, 'production');
    assert.equal(dashboard.environments[0]!.latest.id, summaries.find((s) => s.environment === 'production')!.id);
    assert.equal(dashboard.successRate, summaries.filter((s) => s.status === 'success').length / summaries.length);
    assert.ok(dashboard.trouble.every((r) => r.status === 'failed' || r.status === 'rolled-back'));
  });

  it('versions records.json and escapes the RSS', () => {
    const feed = recordsFeed(summaries, (id) => `https://logbook/records/${id}/`);
    assert.equal(feed.count, summaries.length);
    assert.equal(feed.records[0]!.url, `https://logbook/records/${summaries[0]!.id}/`);
    const xml = rssFeed([{ ...summaries[0]!, title: 'a <b> & c' }], { title: 'L', url: 'https://logbook/', urlFor: (id) => `https://logbook/records/${id}/` });
    assert.match(xml, /a &lt;b&gt; &amp; c/);
  });
});

describe('git history of record files', () => {
  const RS = '\x1e';
  const US = '\x1f';
  const commit = (hash: string, author: string, date: string, subject: string, ...files: string[]) =>
    `${RS}${hash}${US}${author}${US}${author[0]}@x${US}${date}${US}${subject}\n\n${files.join('\n')}\n`;

  it('parses one git log into commits per record, oldest first', () => {
    assert.equal(gitLogFormat, `${RS}%H${US}%an${US}%ae${US}%aI${US}%s`);
    const output =
      commit('bbb', 'Grace', '2026-01-02T00:00:00+00:00', 'Fix typo', 'M\tcontent/records/a.mdx') +
      commit('aaa', 'Ada', '2026-01-01T00:00:00+00:00', 'File a and b', 'A\tcontent/records/a.mdx', 'A\tcontent/records/b.mdx');
    const byId = recordHistories(parseGitLog(output));
    assert.deepEqual(
      byId.get('a')!.map((c) => [c.hash, c.author, c.change]),
      [
        ['aaa', 'Ada', 'A'],
        ['bbb', 'Grace', 'M'],
      ],
    );
    assert.equal(byId.get('b')!.length, 1);
  });

  it('finds a record in a dated sub-folder by its id, its move into the folder one entry of its history', () => {
    const output =
      commit('ccc', 'Grace', '2026-02-02T00:00:00+00:00', 'Fix typo', 'M\tcontent/records/2026/01/2026-01-05-a.mdx') +
      commit(
        'bbb',
        'Bot',
        '2026-02-01T00:00:00+00:00',
        'File records by month',
        'D\tcontent/records/2026-01-05-a.mdx',
        'A\tcontent/records/2026/01/2026-01-05-a.mdx',
      ) +
      commit('aaa', 'Ada', '2026-01-05T00:00:00+00:00', 'File a', 'A\tcontent/records/2026-01-05-a.mdx', 'A\tcontent/records/notes.txt');
    const byId = recordHistories(parseGitLog(output));
    assert.deepEqual(
      byId.get('2026-01-05-a')!.map((c) => [c.hash, c.change]),
      [
        ['aaa', 'A'],
        ['bbb', 'R'],
        ['ccc', 'M'],
      ],
    );
    assert.deepEqual([...byId.keys()], ['2026-01-05-a'], 'only .mdx files are records');
  });

  it('reads a real repository with records in nested folders through the git adapter', async () => {
    const repo = await mkdtemp(join(tmpdir(), 'logbook-git-history-'));
    try {
      const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { stdio: 'ignore' });
      git('init', '-q');
      git('config', 'user.name', 'Ada Lovelace');
      git('config', 'user.email', 'ada@example.com');
      await mkdir(join(repo, 'content/records/2026/03'), { recursive: true });
      await writeFile(join(repo, 'content/records/2026/03/2026-03-01-deploy.mdx'), '---\n---\n');
      git('add', '.');
      git('commit', '-q', '-m', 'File the March deploy');
      const history = await readRecordsGitHistory(join(repo, 'content/records'));
      assert.equal(history.available, true);
      assert.deepEqual(
        history.forRecord('2026-03-01-deploy').map((c) => [c.author, c.subject, c.change]),
        [['Ada Lovelace', 'File the March deploy', 'A']],
      );
      const outside = await readRecordsGitHistory(tmpdir());
      assert.equal(outside.available, false);
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });
});
