// What one table's page lists: the newest runs that touched it, bounded so the page stays well under 200 kB
// however many runs touch the table; the history's table filter has the rest.
import type { TableTouch } from './tables.ts';

export const TABLE_PAGE_TOUCHES = 100;

export function newestTouches(touches: TableTouch[], max = TABLE_PAGE_TOUCHES): { shown: TableTouch[]; total: number; more: boolean } {
  return { shown: touches.slice(0, max), total: touches.length, more: touches.length > max };
}
