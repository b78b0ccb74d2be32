// Parses a runbook MDX file into its frontmatter, phases, sections and steps, or says everything wrong with it.
import type { Nodes } from 'mdast';
import type { z } from 'zod';
import {
  runbookPhaseSchema,
  runbookSectionSchema,
  runbookStepSchema,
  type RunbookFrontmatter,
  type RunbookPhase,
  type RunbookSection,
  type RunbookStep,
} from '../../schemas/runbook.ts';
import { formatProblem, type ContentProblem } from '../problems.ts';
import { readFrontmatter } from './frontmatter.ts';
import { codeBlocks, isJsxElement, lineOf, parseMdx, plainText, readAttributes, type JsxElement, type NodeProblem } from './mdx-tree.ts';

export interface ParsedRunbook {
  frontmatter: RunbookFrontmatter;
  phases: RunbookPhase[];
  /** Every step of every phase, in document order. */
  steps: RunbookStep[];
}

/** A problem in a runbook; `field` is a path such as `frontmatter.version`, `Step.id`, `Step.automated`, `mdx`. */
export type RunbookProblem = ContentProblem;

/** Everything wrong with one runbook file, thrown at once so a writer fixes it in one pass. */
export class RunbookError extends Error {
  readonly problems: RunbookProblem[];

  constructor(problems: RunbookProblem[]) {
    const files = [...new Set(problems.map((problem) => problem.file))].join(', ');
    super(`${problems.length} problem${problems.length === 1 ? '' : 's'} in runbook ${files}:\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'RunbookError';
    this.problems = problems;
  }
}

const defaultFile = '<runbook>';

/** Parses and validates a runbook; throws one RunbookError listing every problem. */
export function parseRunbook(source: string, file: string = defaultFile): ParsedRunbook {
  const { runbook, problems } = readRunbook(source, file);
  if (!runbook || problems.length > 0) throw new RunbookError(problems);
  return runbook;
}

/** Every problem in a runbook, without throwing: for `validate`, which reports all files at once. */
export function collectRunbookProblems(source: string, file: string = defaultFile): RunbookProblem[] {
  return readRunbook(source, file).problems;
}

function readRunbook(source: string, file: string): { runbook?: ParsedRunbook; problems: RunbookProblem[] } {
  const inFile = (problem: NodeProblem): RunbookProblem => ({ file, ...problem });
  let root: ReturnType<typeof parseMdx>;
  try {
    root = parseMdx(source);
  } catch (error) {
    if (!isSyntaxError(error)) throw error;
    return { problems: [inFile({ line: error.line, field: 'mdx', message: `MDX syntax error at column ${error.column}: ${error.reason}` })] };
  }
  const { frontmatter, problems: frontmatterProblems } = readFrontmatter(root);
  const outline = new OutlineReader();
  outline.visit(root, {});
  const problems = [...frontmatterProblems, ...outline.problems].map(inFile);
  if (!frontmatter || problems.length > 0) return { problems };
  return {
    runbook: { frontmatter, phases: outline.phases, steps: outline.phases.flatMap((phase) => phase.sections.flatMap((section) => section.steps)) },
    problems,
  };
}

function isSyntaxError(error: unknown): error is { line: number; column: number; reason: string } {
  return typeof error === 'object' && error !== null && 'reason' in error && typeof (error as { line?: unknown }).line === 'number';
}

interface Scope {
  phase?: RunbookPhase;
  section?: RunbookSection;
}

/** Walks the MDX tree, building phases, sections and steps and noting every problem on the way. */
class OutlineReader {
  readonly phases: RunbookPhase[] = [];
  readonly problems: NodeProblem[] = [];
  // First line of each id, per element kind: ids must be unique within a runbook.
  private readonly seen = new Map<string, number | undefined>();

  visit(node: Nodes, scope: Scope): void {
    if (isJsxElement(node)) {
      if (node.name === 'Phase') {
        this.readPhase(node, scope);
        return;
      }
      if (node.name === 'Section') {
        this.readSection(node, scope);
        return;
      }
      if (node.name === 'Step') {
        this.readStep(node, scope);
        return;
      }
    }
    if ('children' in node) for (const child of node.children) this.visit(child as Nodes, scope);
  }

  private readPhase(element: JsxElement, scope: Scope): void {
    const line = lineOf(element);
    if (scope.phase) this.problems.push({ line, field: 'Phase', message: `a Phase cannot sit inside Phase "${scope.phase.id}"; close that one first` });
    const { id = '', title = '' } = this.attributes(element, runbookPhaseSchema.pick({ id: true, title: true }));
    this.claimId('Phase', id, line);
    const phase: RunbookPhase = { id, title, sections: [] };
    this.phases.push(phase);
    for (const child of element.children) this.visit(child as Nodes, { phase });
  }

  private readSection(element: JsxElement, scope: Scope): void {
    const line = lineOf(element);
    if (!scope.phase) this.problems.push({ line, field: 'Section', message: 'a Section must sit inside a <Phase>' });
    if (scope.section)
      this.problems.push({ line, field: 'Section', message: `a Section cannot sit inside Section "${scope.section.id}"; close that one first` });
    const { id = '', title = '' } = this.attributes(element, runbookSectionSchema.pick({ id: true, title: true }));
    this.claimId('Section', id, line);
    const section: RunbookSection = { id, title, steps: [] };
    scope.phase?.sections.push(section);
    for (const child of element.children) this.visit(child as Nodes, { ...scope, section });
  }

  private readStep(element: JsxElement, scope: Scope): void {
    const line = lineOf(element);
    const { section, phase } = scope;
    const { values, problems } = readAttributes(element, ['id', 'automated']);
    this.problems.push(...problems);
    if (!section || !phase) {
      this.problems.push({
        line,
        field: 'Step',
        message: `Step${values.id ? ` "${values.id}"` : ''} is outside a Section; every Step sits inside a <Section> inside a <Phase>`,
      });
      return;
    }
    const paragraph = element.children.find((child) => child.type === 'paragraph');
    const candidate = {
      id: values.id,
      text: plainText(paragraph ?? (element.type === 'mdxJsxTextElement' ? element : undefined)),
      commands: codeBlocks(element).map((code) => ({ lang: code.lang ?? '', code: code.value })),
      ...(values.automated === undefined ? {} : { automated: values.automated }),
      sectionId: section.id,
      phaseId: phase.id,
    };
    const result = runbookStepSchema.safeParse(candidate);
    if (!result.success) {
      for (const issue of result.error.issues) this.problems.push({ line, field: `Step.${issue.path.join('.')}`, message: issue.message });
      return;
    }
    const step = result.data;
    const [prefix, slug] = step.id.split('.');
    if (section.id && prefix !== section.id) {
      this.problems.push({ line, field: 'Step.id', message: `step id "${step.id}" must start with its section id: rename it "${section.id}.${slug}"` });
    }
    this.claimId('Step', step.id, line);
    section.steps.push(step);
  }

  /** Notes a duplicate when `id` was already used by another element of the same kind. */
  private claimId(kind: 'Phase' | 'Section' | 'Step', id: string, line: number | undefined): void {
    if (!id) return;
    const key = `${kind}:${id}`;
    if (!this.seen.has(key)) {
      this.seen.set(key, line);
      return;
    }
    const first = this.seen.get(key);
    this.problems.push({
      line,
      field: `${kind}.id`,
      message: `${kind.toLowerCase()} id "${id}" is already used${first ? ` on line ${first}` : ''}; give each ${kind.toLowerCase()} its own id`,
    });
  }

  /** Reads an element's string attributes, which are exactly the fields of `schema`, and validates them. */
  private attributes(element: JsxElement, schema: z.ZodObject): Record<string, string> {
    const { values, problems } = readAttributes(element, Object.keys(schema.shape));
    this.problems.push(...problems);
    const line = lineOf(element);
    for (const issue of schema.safeParse(values).error?.issues ?? []) {
      this.problems.push({ line, field: `${element.name}.${issue.path.join('.')}`, message: issue.message });
    }
    return values;
  }
}
