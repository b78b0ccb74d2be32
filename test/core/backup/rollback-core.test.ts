// Pure parts of restore-beside and rollback: archive listings by catalog identity, database names within 63 bytes,
// setting values copied exactly, and the judgements made before a rollback.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settingValueSql } from '../../../src/adapters/pg/database-swap.ts';
import { catalogCountsInListing, catalogObjectsInListing, describeObject } from '../../../src/core/backup/archive-listing.ts';
import { isRetainedDatabaseName, restoringDatabaseName, retainedDatabaseName } from '../../../src/core/backup/database-names.ts';
import { identityOf, writesSinceMigration } from '../../../src/core/record/rollback-preconditions.ts';

const LISTING = `;
; Archive created at 2026-11-26 03:20:46 UTC
7; 2615 16386 SCHEMA - s postgres
2; 3079 16395 EXTENSION - citext
3450; 0 0 COMMENT - EXTENSION citext
890; 1247 16393 TYPE public e postgres
264; 1255 16500 FUNCTION public f() postgres
214; 1259 16385 SEQUENCE public t_id_seq postgres
3366; 0 0 SEQUENCE OWNED BY public t_id_seq postgres
216; 1259 16387 TABLE s x.y postgres
3442; 0 16387 TABLE DATA s x.y postgres
3298; 2606 16391 CONSTRAINT s x.y x.y_pkey postgres
300; 1259 16400 INDEX public 1259 99999 TABLE evil postgres
`;

describe('archive listing', () => {
  it('reads catalog identities from the leading numbers only, never from names', () => {
    const objects = catalogObjectsInListing(LISTING);
    assert.ok(objects.has('1259:16387') && objects.has('2615:16386') && objects.has('3079:16395'));
    assert.ok(!objects.has('1259:99999'), 'numbers inside a name are not entries');
    assert.ok(!objects.has('0:0') && !objects.has('0:16387'), 'data and comment entries name no object');
  });

  it('counts entries per catalog, relations without indexes', () => {
    assert.deepEqual(Object.fromEntries(catalogCountsInListing(LISTING)), { 2615: 1, 3079: 1, 1247: 1, 1255: 1, 1259: 2 });
  });

  it('describes objects as quoted (schema, name) pairs', () => {
    assert.equal(describeObject({ kind: 'table', schema: 'public', name: 'users.v2' }), 'table ("public", "users.v2")');
    assert.equal(describeObject({ kind: 'table', schema: 'a"b', name: 'x\ny' }), 'table ("a\\"b", "x\\ny")');
  });
});

describe('database names', () => {
  it('stay within 63 bytes, cut on a character boundary, and are recognised as retained', () => {
    const at = new Date('2026-11-26T03:15:00.123Z');
    const long = 'é'.repeat(40);
    for (const name of [restoringDatabaseName(long, at), retainedDatabaseName(long, at)]) {
      assert.ok(Buffer.byteLength(name) <= 63, name);
      assert.ok(!name.includes('\uFFFD'));
    }
    assert.equal(retainedDatabaseName('app', at), 'app_replaced_20261126T031500');
    assert.ok(isRetainedDatabaseName(retainedDatabaseName(long, at)));
    assert.ok(!isRetainedDatabaseName('app'));
    assert.notEqual(restoringDatabaseName(long, at), retainedDatabaseName(long, at));
  });
});

describe('setting values', () => {
  it('copies list settings element by element and others as one literal', () => {
    assert.equal(settingValueSql('search_path', 'app, "my ""x"" schema", public'), `'app', 'my "x" schema', 'public'`);
    assert.equal(settingValueSql('statement_timeout', "5s'; DROP"), `'5s''; DROP'`);
    assert.equal(settingValueSql('search_path', ''), "''");
  });
});

describe('rollback preconditions', () => {
  it('compares targets by host, port and name, treating loopback addresses alike', () => {
    assert.deepEqual(identityOf('postgresql://u:***@127.0.0.1:5433/app'), { host: 'localhost', port: '5433', database: 'app' });
    assert.deepEqual(identityOf('postgresql://db.example.com/my%20db'), { host: 'db.example.com', port: '5432', database: 'my db' });
  });

  it('finds writes since the migration by (schema, name), and cannot judge estimated counts', () => {
    const post = {
      pre: { tables: [] },
      post: {
        tables: [
          { schema: 'a.b', name: 'c', rows: 5, counted: 'exact' },
          { schema: 'a', name: 'b.c', rows: 7, counted: 'exact' },
          { schema: 'public', name: 'big', rows: 1000, counted: 'estimate' },
        ],
      },
    } as unknown as Parameters<typeof writesSinceMigration>[0];
    const { changed, unknown } = writesSinceMigration(post, [
      { schema: 'a.b', name: 'c', rows: 5 },
      { schema: 'a', name: 'b.c', rows: 9 },
      { schema: 'public', name: 'big', rows: 1 },
    ]);
    assert.deepEqual(changed, [{ schema: 'a', name: 'b.c', rowsAfterMigration: 7, rowsBeforeRollback: 9, why: ['rows'] }]);
    assert.deepEqual(unknown, [{ schema: 'public', name: 'big' }]);
  });
});
