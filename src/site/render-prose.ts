// Record bodies (machine-written Markdown plus people's prose) to HTML that cannot carry script: raw HTML is
// dropped, and rehype-sanitize's default schema (GitHub's) keeps only safe elements, attributes and URL
// protocols, so no event handler and no javascript:/data: link survives. Secrets are redacted first.
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { redactText } from '../core/redact.ts';
import { rehypeIcons } from './rehype-icons.ts';

// remark-rehype without allowDangerousHtml leaves raw HTML out of the tree; the sanitiser is the second wall. Our
// icons go in after it (they are ours, and the sanitiser would drop SVG).
const processor = unified().use(remarkParse).use(remarkGfm).use(remarkRehype).use(rehypeSanitize).use(rehypeIcons).use(rehypeStringify);

export async function renderProse(markdown: string): Promise<string> {
  return String(await processor.process(redactText(markdown)));
}
