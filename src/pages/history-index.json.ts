// /history-index.json: every record in compact form, so the history's filters work across all pages.
import type { APIRoute } from 'astro';
import { buildHistoryIndex } from '../site/history-index.ts';
import { siteData } from '../site/site-data.ts';

export const GET: APIRoute = async () => {
  const data = await siteData();
  const tablesOf = new Map<string, string[]>();
  for (const history of data.tables().values()) for (const touch of history.touches) tablesOf.set(touch.id, [...(tablesOf.get(touch.id) ?? []), history.table]);
  const index = buildHistoryIndex(data.rows, (id) => tablesOf.get(id) ?? []);
  return new Response(JSON.stringify(index), { headers: { 'content-type': 'application/json' } });
};
