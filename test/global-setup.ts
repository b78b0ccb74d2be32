// One throwaway PostgreSQL for the whole test run (test files run in child processes that inherit its URL).
import { startThrowawayCluster, type ThrowawayCluster } from '../scripts/support/throwaway-cluster.ts';

let cluster: ThrowawayCluster | undefined;

export async function globalSetup(): Promise<void> {
  if (process.env.LOGBOOK_TEST_DATABASE_URL || process.env.LOGBOOK_TEST_SERVER_URL) return;
  cluster = await startThrowawayCluster();
  process.env.LOGBOOK_TEST_SERVER_URL = cluster.url;
}

export async function globalTeardown(): Promise<void> {
  await cluster?.stop();
}
