// Checks that a body is valid MDX (so `{`, `<` from outside text cannot break a page build).
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

const processor = unified().use(remarkParse).use(remarkMdx);

/** Returns null when the body parses as MDX, else the message and the 1-based line within the body. */
export function mdxSyntaxError(body: string): { message: string; line: number | undefined } | null {
  try {
    processor.parse(body);
    return null;
  } catch (error) {
    const err = error as { reason?: string; message: string; line?: number; place?: { line?: number; start?: { line?: number } } };
    const line = err.line ?? err.place?.line ?? err.place?.start?.line;
    return { message: err.reason ?? err.message, line };
  }
}
