// The one MDX parser (the syntax @astrojs/mdx reads), and a check that a body is valid MDX,
// so `{` or `<` coming from outside text can never break a page build.
import type { Root } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkMdx).use(remarkGfm).freeze();

/** Parses MDX into mdast; throws the parser's VFileMessage (with line and column) on a syntax error. */
export function parseMdx(source: string): Root {
  return processor.parse(source);
}

/** Returns null when the text parses as MDX, else the message and the 1-based line and column. */
export function mdxSyntaxError(source: string): { message: string; line: number | undefined; column: number | undefined } | null {
  try {
    parseMdx(source);
    return null;
  } catch (error) {
    const err = error as {
      reason?: string;
      message: string;
      line?: number;
      column?: number;
      place?: { line?: number; column?: number; start?: { line?: number; column?: number } };
    };
    const line = err.line ?? err.place?.line ?? err.place?.start?.line;
    const column = err.column ?? err.place?.column ?? err.place?.start?.column;
    return { message: err.reason ?? err.message, line, column };
  }
}
