// Dates shown on the site: always UTC and always the same shape, so pages are identical wherever they build.

/** "2026-01-01 10:00 UTC" */
export function formatWhen(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
