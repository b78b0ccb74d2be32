// Reads and validates a runbook's YAML frontmatter, pointing each problem at the line of its field.
import type { Root } from 'mdast';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { runbookFrontmatterSchema, type RunbookFrontmatter } from '../../schemas/runbook.ts';
import { lineOf, type NodeProblem } from './mdx-tree.ts';

const knownFields = Object.keys(runbookFrontmatterSchema.shape);

export function readFrontmatter(root: Root): { frontmatter?: RunbookFrontmatter; problems: NodeProblem[] } {
  const node = root.children[0];
  if (node?.type !== 'yaml') {
    return {
      problems: [
        { line: 1, field: 'frontmatter', message: 'start the file with a YAML frontmatter block (---) giving title, description, version and updated' },
      ],
    };
  }
  // Lines inside the block count from the opening `---`.
  const firstLine = lineOf(node) ?? 1;
  const lineCounter = new LineCounter();
  const document = parseDocument(node.value, { lineCounter });
  const lineAt = (offset: number) => firstLine + lineCounter.linePos(offset).line;

  if (document.errors.length > 0) {
    return {
      problems: document.errors.map((error) => ({
        line: lineAt(error.pos[0]),
        field: 'frontmatter',
        message: `the frontmatter is not valid YAML: ${error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`,
      })),
    };
  }

  const lineOfField = (key: unknown): number => {
    const pair = isMap(document.contents) ? document.contents.items.find((item) => isScalar(item.key) && item.key.value === key) : undefined;
    const offset = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
    return offset === undefined ? firstLine : lineAt(offset);
  };

  // An empty block is an empty mapping: report each missing field rather than "expected object".
  const result = runbookFrontmatterSchema.safeParse(document.toJS() ?? {});
  if (result.success) return { frontmatter: result.data, problems: [] };
  return { problems: result.error.issues.flatMap((issue) => issueProblems(issue, lineOfField)) };
}

function issueProblems(issue: z.core.$ZodIssue, lineOfField: (key: unknown) => number): NodeProblem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      line: lineOfField(key),
      field: `frontmatter.${key}`,
      message: `unknown field "${key}"; the frontmatter takes ${knownFields.join(', ')}`,
    }));
  }
  const path = issue.path.map(String);
  return [{ line: lineOfField(path[0]), field: ['frontmatter', ...path].join('.'), message: issue.message }];
}
