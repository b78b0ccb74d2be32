// /records.json: the first (newest) page of the schema-versioned record feed, for other tools; it links the rest.
import type { APIRoute } from 'astro';
import { feedPageUrl, recordsFeed } from '../site/feeds.ts';
import { siteData } from '../site/site-data.ts';

export const GET: APIRoute = async ({ site }) => {
  const { summaries } = await siteData();
  const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');
  const feed = recordsFeed(summaries, (id) => new URL(`${base}records/${id}/`, site).href, {
    page: 1,
    pageUrl: (n) => new URL(feedPageUrl(base, n), site).href,
  });
  return new Response(JSON.stringify(feed), { headers: { 'content-type': 'application/json' } });
};
