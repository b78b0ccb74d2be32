// Process groups: whether any process of a group still lives, and which, so a run whose migration
// outlived the logbook (kill -9, a crash) is never closed or resumed under it.
import { readdirSync, readFileSync } from 'node:fs';

/**
 * True while any process of the group runs. Where /proc can be read, zombies (exited, not yet reaped by
 * whoever inherited them) do not count; elsewhere signal 0 asks the kernel without sending anything.
 */
export function groupAlive(pgid: number): boolean {
  if (procReadable()) return groupMembers(pgid).length > 0;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function procReadable(): boolean {
  try {
    readFileSync('/proc/self/stat', 'utf8');
    return true;
  } catch {
    return false;
  }
}

/** The live members of a group as "pid command", read from /proc; empty where there is no /proc. */
export function groupMembers(pgid: number): string[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const members: string[] = [];
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command name is in parentheses and may itself hold spaces or parentheses: fields follow the last ")".
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid || fields[0] === 'Z') continue;
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      members.push(`${pid} ${cmdline || stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}`);
    } catch {
      // Gone while we looked: not a member any more.
    }
  }
  return members;
}

/** Sends `signal` to every process of the group; false when the group is already gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}
