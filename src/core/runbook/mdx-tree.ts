// Reading MDX for runbooks: the syntax tree, its JSX elements, their string attributes and plain text.
import type { Code, Nodes } from 'mdast';
import type { MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx-jsx';
import { parseMdx } from '../mdx-syntax.ts';

export type JsxElement = MdxJsxFlowElement | MdxJsxTextElement;

/** A problem found in one node, before it is tied to a file. */
export interface NodeProblem {
  line?: number;
  field: string;
  message: string;
}

export { parseMdx };

export function isJsxElement(node: Nodes): node is JsxElement {
  return node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement';
}

export function lineOf(node: { position?: { start: { line: number } } | undefined }): number | undefined {
  return node.position?.start.line;
}

/**
 * Reads an element's attributes as plain strings. Only the `allowed` names are accepted, and each
 * must be written `name="value"`: expressions would make ids depend on evaluation, which a
 * parser of the source cannot follow.
 */
export function readAttributes(element: JsxElement, allowed: readonly string[]): { values: Record<string, string>; problems: NodeProblem[] } {
  const values: Record<string, string> = {};
  const problems: NodeProblem[] = [];
  const tag = element.name ?? 'fragment';
  for (const attribute of element.attributes) {
    const line = lineOf(attribute) ?? lineOf(element);
    if (attribute.type === 'mdxJsxExpressionAttribute') {
      problems.push({ line, field: tag, message: `spread attributes are not supported on <${tag}>; write each attribute as name="value"` });
      continue;
    }
    const field = `${tag}.${attribute.name}`;
    if (!allowed.includes(attribute.name)) {
      problems.push({ line, field, message: `unknown attribute "${attribute.name}" on <${tag}>; it takes ${allowed.join(' and ')}` });
    } else if (typeof attribute.value !== 'string') {
      problems.push({ line, field, message: `write ${attribute.name} as a plain string, e.g. ${attribute.name}="…", not a bare name or {expression}` });
    } else {
      values[attribute.name] = attribute.value;
    }
  }
  return { values, problems };
}

/** The text a reader sees, without markup; whitespace collapsed. */
export function plainText(node: Nodes | undefined): string {
  const collect = (n: Nodes): string => {
    if (n.type === 'text' || n.type === 'inlineCode') return n.value;
    if (n.type === 'break') return ' ';
    return 'children' in n ? n.children.map((child) => collect(child as Nodes)).join('') : '';
  };
  return node ? collect(node).replace(/\s+/g, ' ').trim() : '';
}

/** Every fenced or indented code block under `node`, in document order. */
export function codeBlocks(node: Nodes): Code[] {
  if (node.type === 'code') return [node];
  return 'children' in node ? node.children.flatMap((child) => codeBlocks(child as Nodes)) : [];
}
