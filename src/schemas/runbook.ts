// What a runbook is: its frontmatter, and the phases, sections and steps its MDX body declares.
import { z } from 'zod';

/** Logbook phases that can perform a runbook step themselves, in the order a run goes through them. */
/** `maintenance` is done only by a run that entered and left maintenance mode with the configured commands. */
export const automatedPhases = ['preflight', 'snapshot', 'lint', 'backup', 'maintenance', 'migrate', 'checks', 'smoke', 'record'] as const;

const semverPattern = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const slugPattern = /^[a-z0-9-]+$/;
const stepIdPattern = /^[a-z0-9-]+\.[a-z0-9-]+$/;

/** An error callback: one message when the field is missing, another when it holds the wrong thing. */
const required = (missing: string, invalid: string) => (issue: { input?: unknown }) => (issue.input === undefined ? missing : invalid);

/** A lowercase kebab-case id, used for phases and sections. */
const slugSchema = (what: string) =>
  z
    .string({ error: required(`add an id to the ${what}`, `the ${what} id must be a string`) })
    .regex(slugPattern, `use lowercase letters, digits and dashes in a ${what} id, e.g. pre-migration`);

export const automatedPhaseSchema = z
  .enum(automatedPhases, {
    error: (issue) => `automated must be one of ${automatedPhases.join(', ')} (got ${JSON.stringify(issue.input)}); leave it out for a step a person does`,
  })
  .describe('Logbook phase that performs the step itself; absent for a step a person does.');

export const runbookFrontmatterSchema = z
  .object({
    /** Page title of the runbook. */
    title: z
      .string({ error: required('add a title: the page title of the runbook', 'title must be text') })
      .min(1, 'title must not be empty')
      .describe('Page title of the runbook.'),
    /** One sentence saying what the runbook is for, shown in lists and link previews. */
    description: z
      .string({ error: required('add a description: one sentence saying what the runbook is for', 'description must be text') })
      .min(1, 'description must not be empty')
      .describe('One sentence saying what the runbook is for, shown in lists and link previews.'),
    /** Semantic version of the runbook, e.g. 1.2.0; a migration record names the version it followed. */
    version: z
      .string({
        error: required(
          'add a version: the semantic version of the runbook, e.g. version: 1.0.0',
          'version must be a semantic version string such as 1.0.0 (quote it if YAML reads it as a number)',
        ),
      })
      .regex(semverPattern, 'version must be a semantic version such as 1.0.0 (major.minor.patch)')
      .describe('Semantic version of the runbook, e.g. 1.2.0; a migration record names the version it followed.'),
    /** Day the runbook content last changed, as a YAML date or an ISO string, e.g. 2025-12-06. */
    updated: z
      .union([z.date(), z.iso.date(), z.iso.datetime({ offset: true, local: true })], {
        error: required(
          'add updated: the day the runbook last changed, e.g. updated: 2025-12-06',
          'updated must be a date such as 2025-12-06 (YYYY-MM-DD) or an ISO timestamp',
        ),
      })
      .pipe(z.coerce.date({ error: 'updated is not a real calendar date; use YYYY-MM-DD, e.g. 2025-12-06' }))
      .describe('Day the runbook content last changed, as a YAML date or an ISO string, e.g. 2025-12-06.'),
    /** Team or person who keeps the runbook up to date. */
    owner: z
      .string({ error: 'owner must be text naming a team or person; leave it out when there is none' })
      .min(1, 'owner must not be empty; leave it out when there is none')
      .optional()
      .describe('Team or person who keeps the runbook up to date.'),
    /** Keywords for filtering and search. */
    tags: z
      .array(z.string({ error: 'each tag must be a word' }).min(1, 'a tag must not be empty'), {
        error: 'tags must be a list of words, e.g. tags: [postgres, prisma]',
      })
      .optional()
      .describe('Keywords for filtering and search.'),
  })
  .strict()
  .describe('Frontmatter of a runbook MDX file.');

export const runbookCommandSchema = z
  .object({
    /** Language of the code fence, e.g. bash or sql; empty when the fence names none. */
    lang: z.string().describe('Language of the code fence, e.g. bash or sql; empty when the fence names none.'),
    /** The fenced code exactly as written. */
    code: z.string().describe('The fenced code exactly as written.'),
  })
  .strict();

export const runbookStepSchema = z
  .object({
    /** Stable id `<sectionId>.<slug>`; migration records refer to steps by it, so never rename one. */
    id: z
      .string({ error: required('add an id to the Step, e.g. id="backup.create-full-backup"', 'the Step id must be a string') })
      .regex(stepIdPattern, 'a Step id is <section id>.<slug> in lowercase letters, digits and dashes, e.g. backup.create-full-backup')
      .describe('Stable id <sectionId>.<slug>; migration records refer to steps by it, so never rename one.'),
    /** What to do, in one sentence: the plain text of the step's first paragraph. */
    text: z
      .string()
      .min(1, 'start the Step with a sentence saying what to do')
      .describe("What to do, in one sentence: the plain text of the step's first paragraph."),
    /** Code blocks inside the step, in order. */
    commands: z.array(runbookCommandSchema).describe('Code blocks inside the step, in order.'),
    /** Logbook phase that performs the step itself; absent for a step a person does. */
    automated: automatedPhaseSchema.optional(),
    /** Id of the section the step belongs to. */
    sectionId: z.string().describe('Id of the section the step belongs to.'),
    /** Id of the phase the step belongs to. */
    phaseId: z.string().describe('Id of the phase the step belongs to.'),
  })
  .strict();

export const runbookSectionSchema = z
  .object({
    /** Short word naming the section, e.g. backup; the prefix of every step id in it. */
    id: slugSchema('Section').describe('Short word naming the section, e.g. backup; the prefix of every step id in it.'),
    /** Heading of the section, e.g. "4. Backup Strategy". */
    title: z
      .string({ error: required('add a title to the Section', 'the Section title must be a string') })
      .min(1, 'the Section title must not be empty')
      .describe('Heading of the section, e.g. "4. Backup Strategy".'),
    /** Steps of the section, in order. */
    steps: z.array(runbookStepSchema).describe('Steps of the section, in order.'),
  })
  .strict();

export const runbookPhaseSchema = z
  .object({
    /** Id of the phase, e.g. pre-deployment or rollback. */
    id: slugSchema('Phase').describe('Id of the phase, e.g. pre-deployment or rollback.'),
    /** Heading of the phase, e.g. "Pre-Deployment Checklist". */
    title: z
      .string({ error: required('add a title to the Phase', 'the Phase title must be a string') })
      .min(1, 'the Phase title must not be empty')
      .describe('Heading of the phase, e.g. "Pre-Deployment Checklist".'),
    /** Sections of the phase, in order. */
    sections: z.array(runbookSectionSchema).describe('Sections of the phase, in order.'),
  })
  .strict();

export type AutomatedPhase = (typeof automatedPhases)[number];
export type RunbookFrontmatter = z.infer<typeof runbookFrontmatterSchema>;
export type RunbookFrontmatterInput = z.input<typeof runbookFrontmatterSchema>;
export type RunbookCommand = z.infer<typeof runbookCommandSchema>;
export type RunbookStep = z.infer<typeof runbookStepSchema>;
export type RunbookSection = z.infer<typeof runbookSectionSchema>;
export type RunbookPhase = z.infer<typeof runbookPhaseSchema>;
