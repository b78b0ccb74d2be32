// Small schema pieces shared by every other schema.
import { z } from 'zod';

/**
 * An ISO-8601 instant. YAML parsers disagree on whether an unquoted timestamp is a string
 * or a Date (js-yaml, used by Astro, makes a Date); both normalise to the ISO string.
 */
export const timestampSchema = z
  .union([z.iso.datetime({ offset: true }), z.date()])
  .transform((value) => (value instanceof Date ? value.toISOString() : value))
  .describe('An ISO-8601 instant, e.g. 2026-11-25T08:30:00.000Z.');

/** A lowercase hex sha256. */
export const sha256Schema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex sha256')
  .describe('A lowercase hex sha256.');
