// /feed/records-N.json: page N (2 and up) of the record feed that /records.json starts.
import type { APIRoute } from 'astro';
import { FEED_PAGE_SIZE, feedPageUrl, recordsFeed } from '../../site/feeds.ts';
import { siteData } from '../../site/site-data.ts';

export async function getStaticPaths() {
  const { summaries } = await siteData();
  const pages = Math.ceil(summaries.length / FEED_PAGE_SIZE);
  return Array.from({ length: Math.max(0, pages - 1) }, (_, i) => ({ params: { page: String(i + 2) } }));
}

export const GET: APIRoute = async ({ site, params }) => {
  const { summaries } = await siteData();
  const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');
  const feed = recordsFeed(summaries, (id) => new URL(`${base}records/${id}/`, site).href, {
    page: Number(params.page),
    pageUrl: (n) => new URL(feedPageUrl(base, n), site).href,
  });
  return new Response(JSON.stringify(feed), { headers: { 'content-type': 'application/json' } });
};
