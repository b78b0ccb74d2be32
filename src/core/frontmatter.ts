// Splits a Markdown/MDX file into its YAML frontmatter data and its body, without touching the body.
import { parse as parseYaml } from 'yaml';

export interface SplitFile {
  data: unknown;
  /** The raw YAML text, as written. */
  yaml: string;
  body: string;
  /** 1-based line where the body starts, so body errors can point at the file's real lines. */
  bodyLine: number;
}

export class FrontmatterError extends Error {
  readonly line: number | undefined;
  constructor(message: string, line?: number) {
    super(message);
    this.name = 'FrontmatterError';
    this.line = line;
  }
}

const FENCE = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

export function splitFrontmatter(source: string): SplitFile {
  const match = FENCE.exec(source);
  if (!match) throw new FrontmatterError('no YAML frontmatter: the file must start with a --- block', 1);
  const yaml = match[1] ?? '';
  let data: unknown;
  try {
    // The core schema keeps timestamps as strings; records and runbooks normalise dates themselves.
    data = parseYaml(yaml, { prettyErrors: true });
  } catch (error) {
    const linePos = (error as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line;
    throw new FrontmatterError(`frontmatter is not valid YAML: ${(error as Error).message.split('\n')[0]}`, linePos === undefined ? undefined : linePos + 1);
  }
  const bodyStart = match[0].length;
  return { data: data ?? {}, yaml, body: source.slice(bodyStart), bodyLine: source.slice(0, bodyStart).split('\n').length };
}
