// /records.json: every record as a schema-versioned summary, for other tools.
import type { APIRoute } from 'astro';
import { recordsFeed } from '../site/feeds.ts';
import { siteData } from '../site/site-data.ts';

export const GET: APIRoute = async ({ site }) => {
  const { summaries } = await siteData();
  const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');
  const feed = recordsFeed(summaries, (id) => new URL(`${base}records/${id}/`, site).href);
  return new Response(JSON.stringify(feed), { headers: { 'content-type': 'application/json' } });
};
