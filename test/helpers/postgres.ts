// The one PostgreSQL helper for tests: a server (shared per test run) and a fresh database per test.
import type { TestContext } from 'node:test';
import pg from 'pg';
import { startThrowawayCluster } from '../../scripts/support/throwaway-cluster.ts';
import { withDatabase } from '../../src/adapters/pg/client.ts';

let serverUrl: Promise<string> | undefined;

/** LOGBOOK_TEST_DATABASE_URL (an existing server), else the run's throwaway cluster, else one of our own. */
export function testServerUrl(): Promise<string> {
  serverUrl ??= (async () => {
    const given = process.env.LOGBOOK_TEST_DATABASE_URL ?? process.env.LOGBOOK_TEST_SERVER_URL;
    if (given) return given;
    const cluster = await startThrowawayCluster();
    process.env.LOGBOOK_TEST_SERVER_URL = cluster.url;
    return cluster.url;
  })();
  return serverUrl;
}

let counter = 0;

/** A new empty database, dropped when the test ends (pass or fail). */
export async function createTestDatabase(t: Pick<TestContext, 'after'>, prefix = 'test'): Promise<{ url: string; name: string }> {
  const server = await testServerUrl();
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`.toLowerCase();
  await sql(server, `CREATE DATABASE ${name}`);
  t.after(async () => {
    await sql(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
  return { url: withDatabase(server, name), name };
}

/** Run SQL (one or many statements) and return the rows of the last one. */
export async function sql<T extends Record<string, unknown> = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query(text, params);
    const last = Array.isArray(result) ? result[result.length - 1] : result;
    return (last?.rows ?? []) as T[];
  } finally {
    await client.end();
  }
}
