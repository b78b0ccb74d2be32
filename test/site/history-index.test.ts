// The history's static pages, its compact filter index, the rows the page script renders and the paged feed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recordsFeed } from '../../src/site/feeds.ts';
import { historyRow } from '../../src/site/history.ts';
import { buildHistoryIndex, filterHistoryIndex, historyPages, indexRowToHistoryRow } from '../../src/site/history-index.ts';
import { historyRowHtml } from '../../src/site/history-row-html.ts';
import { newestTouches } from '../../src/site/table-page.ts';
import { tableHistories } from '../../src/site/tables.ts';
import { summariseRecord, tableFacts } from '../../src/site/record-summary.ts';
import { generateHistory } from '../helpers/synthetic.ts';

const records = generateHistory(300).map((h) => h.record);
const summaries = records.map(summariseRecord).reverse();
const rows = summaries.map(historyRow);
const touched = new Map(records.map((r) => [r.id, tableFacts(r).touches.map((t) => t.table)]));
const index = buildHistoryIndex(rows, (id) => touched.get(id) ?? []);

describe('history index', () => {
  it('keeps every record, newest first, and reads back as the same rows', () => {
    assert.equal(index.rows.length, rows.length);
    assert.deepEqual(
      index.rows.map((r) => indexRowToHistoryRow(index, r)),
      rows,
    );
  });

  it('filters by environment, status, date range and table across every record', () => {
    const qa = filterHistoryIndex(index, { env: 'qa' });
    assert.equal(qa.length, rows.filter((r) => r.environment === 'qa').length);
    const failedProd = filterHistoryIndex(index, { env: 'production', status: 'failed' });
    assert.deepEqual(
      failedProd.map((r) => r[0]),
      rows.filter((r) => r.environment === 'production' && r.status === 'failed').map((r) => r.id),
    );
    const from = rows[200]!.startedAt.slice(0, 10);
    const to = rows[100]!.startedAt.slice(0, 10);
    const range = filterHistoryIndex(index, { from, to });
    assert.deepEqual(
      range.map((r) => r[0]),
      rows.filter((r) => r.startedAt.slice(0, 10) >= from && r.startedAt.slice(0, 10) <= to).map((r) => r.id),
    );
    const table = 'billing.invoices';
    const byTable = filterHistoryIndex(index, { table });
    assert.ok(byTable.length > 0);
    assert.deepEqual(
      byTable.map((r) => r[0]),
      rows.filter((r) => touched.get(r.id)!.includes(table)).map((r) => r.id),
    );
    assert.deepEqual(filterHistoryIndex(index, { env: 'nowhere' }), []);
  });

  it('sorts by duration and oldest first', () => {
    const longest = filterHistoryIndex(index, { sort: 'duration' });
    assert.equal(longest[0]![5], Math.max(...rows.map((r) => r.durationMs ?? -1)));
    assert.equal(filterHistoryIndex(index, { sort: 'oldest' })[0]![0], rows.at(-1)!.id);
  });

  it('is compact: dictionaries for repeated strings, well under 1 kB a record', () => {
    assert.deepEqual([...index.environments].sort(), ['production', 'qa', 'staging']);
    assert.ok(JSON.stringify(index).length / rows.length < 500, `${JSON.stringify(index).length / rows.length} bytes a record`);
  });
});

describe('static history pages', () => {
  it('splits the rows into pages of 250 that together hold every row once', () => {
    const pages = historyPages(rows);
    assert.deepEqual(
      pages.map((p) => p.rows.length),
      [250, 50],
    );
    assert.deepEqual(
      pages.flatMap((p) => p.rows),
      rows,
    );
    assert.deepEqual(
      historyPages([]).map((p) => p.rows.length),
      [0],
    );
  });

  it('renders a filtered row with every value escaped', () => {
    const html = historyRowHtml({ ...rows[0]!, performer: '<img src=x onerror=alert(1)>', migrations: ['a_<b>'] }, '/');
    assert.ok(!html.includes('<img'));
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(html.includes('a_<wbr>&lt;b&gt;'));
  });
});

describe('table pages', () => {
  it('list the newest 100 runs that touched a table and say how many there are', () => {
    const tables = tableHistories(records.map((r) => ({ ...summariseRecord(r), ...tableFacts(r) })));
    const busiest = [...tables.values()].sort((a, b) => b.touches.length - a.touches.length)[0]!;
    const { shown, total, more } = newestTouches(busiest.touches, 10);
    assert.ok(busiest.touches.length > 10);
    assert.deepEqual(shown, busiest.touches.slice(0, 10));
    assert.equal(total, busiest.touches.length);
    assert.equal(more, true);
    assert.equal(newestTouches(busiest.touches.slice(0, 5), 10).more, false);
  });
});

describe('the record feed', () => {
  it('is paginated: each page bounded, pages linked, every record on exactly one page', () => {
    const first = recordsFeed(summaries, (id) => `/records/${id}/`, { pageSize: 120 });
    assert.equal(first.feedSchemaVersion, 2);
    assert.equal(first.count, summaries.length);
    assert.equal(first.pages, 3);
    assert.deepEqual(first.pageUrls, ['/records.json', '/feed/records-2.json', '/feed/records-3.json']);
    assert.equal(first.next, '/feed/records-2.json');
    const all = [1, 2, 3].flatMap((page) => recordsFeed(summaries, (id) => id, { page, pageSize: 120 }).records.map((r) => r.id));
    assert.deepEqual(
      all,
      summaries.map((s) => s.id),
    );
    assert.equal(recordsFeed(summaries, (id) => id, { page: 3, pageSize: 120 }).next, null);
  });
});
