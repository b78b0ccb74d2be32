// /rss.xml: the latest migration runs as an RSS feed.
import type { APIRoute } from 'astro';
import { rssFeed } from '../site/feeds.ts';
import { siteData } from '../site/site-data.ts';

export const GET: APIRoute = async ({ site }) => {
  const { summaries } = await siteData();
  const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');
  const url = (path: string) => new URL(`${base}${path}`, site).href;
  const xml = rssFeed(summaries, { title: 'Migration Logbook', url: url(''), urlFor: (id) => url(`records/${id}/`) });
  return new Response(xml, { headers: { 'content-type': 'application/rss+xml; charset=utf-8' } });
};
