// The one process runner, with real processes: a group that ignores SIGTERM is SIGKILLed after the grace
// period and nothing of it is left; a program this process leaves behind on exit is killed with it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { groupAlive } from '../../../src/adapters/process/process-group.ts';
import { describeEnd, runProcess, startProcess } from '../../../src/adapters/process/run-process.ts';
import { registerSecret } from '../../../src/core/redact.ts';

const until = async (what: string, ok: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** Pids of the group, from ps (independent of the /proc reading the runner itself uses). */
const groupPids = (pgid: number) =>
  execFileSync('ps', ['-e', '-o', 'pid=,pgid=,stat='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, group, stat]) => Number(group) === pgid && !stat?.startsWith('Z'))
    .map(([pid]) => Number(pid));

describe('runProcess', () => {
  it('SIGKILLs a group that ignores SIGTERM once the grace period is over, grandchildren included', async () => {
    const controller = new AbortController();
    const grace = 600;
    // The shell and the sleep it starts both ignore SIGTERM (an ignored signal is inherited).
    const run = startProcess('sh', ['-c', `trap '' TERM; sleep 60 & echo ready; wait`], { stdout: 'lines', signal: controller.signal, stopGraceMs: grace });
    const pgid = run.pid!;
    await until('the grandchild', () => groupPids(pgid).length >= 2);
    const abortedAt = performance.now();
    controller.abort();
    await new Promise((r) => setTimeout(r, grace / 2));
    assert.ok(groupPids(pgid).length >= 2, 'SIGTERM alone did not stop the group');
    const result = await run.done;
    const waited = performance.now() - abortedAt;
    assert.equal(result.signal, 'SIGKILL');
    assert.ok(waited >= grace - 50, `SIGKILL came after the grace period (${waited.toFixed(0)} ms)`);
    assert.ok(waited < grace + 3000, `and not long after it (${waited.toFixed(0)} ms)`);
    await until('the group to be gone', () => groupPids(pgid).length === 0);
    assert.equal(groupAlive(pgid), false);
    assert.match(describeEnd(result), /was killed \(SIGKILL\)/);
  });

  it('still SIGKILLs a member that ignores SIGTERM when the leader itself obeyed it', async () => {
    const controller = new AbortController();
    // The leader exits on SIGTERM; its child ignores it and does not hold the output open.
    const run = startProcess('sh', ['-c', `(trap '' TERM; exec sleep 60) >/dev/null 2>&1 & echo ready; wait`], {
      stdout: 'lines',
      signal: controller.signal,
      stopGraceMs: 400,
    });
    const pgid = run.pid!;
    await until('the child', () => groupPids(pgid).length >= 2);
    controller.abort();
    const result = await run.done;
    assert.equal(result.signal, 'SIGTERM', 'the leader stopped on SIGTERM');
    assert.ok(groupPids(pgid).length >= 1, 'its child outlived SIGTERM');
    await until('the child to be SIGKILLed', () => groupPids(pgid).length === 0, 3000);
  });

  it('kills the groups it started when this process exits', async () => {
    const script = `
      import { startProcess } from ${JSON.stringify(fileURLToPath(new URL('../../../src/adapters/process/run-process.ts', import.meta.url)))};
      const run = startProcess('sleep', ['60']);
      console.log(run.pid);
      setTimeout(() => process.exit(0), 200);`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    const pgid = Number(out.trim());
    assert.ok(pgid > 0);
    await until('the orphaned group to be gone', () => groupPids(pgid).length === 0, 2000);
  });

  it('reports a program that cannot start in the same shape as any other end', async () => {
    const result = await runProcess('/nonexistent/logbook-no-such-tool', ['--version'], { stdout: 'text' });
    assert.equal(result.spawnError?.code, 'ENOENT');
    assert.equal(result.exitCode, null);
    assert.match(describeEnd(result), /could not be started \(ENOENT\)/);
  });

  it('redacts lines, keeps text verbatim, and feeds stdin', async () => {
    const secret = 'run-process-fake-secret-0042';
    registerSecret(secret);
    const seen: string[] = [];
    const lines = await runProcess('sh', ['-c', `echo "token ${secret}"; echo "to stderr ${secret}" >&2`], {
      stdout: 'lines',
      stderr: 'lines',
      onLine: (l) => seen.push(l),
    });
    assert.equal(lines.exitCode, 0);
    assert.equal(seen.length, 2);
    assert.ok(!seen.join('\n').includes(secret) && !lines.tail.includes(secret), 'lines are redacted');
    const text = await runProcess('cat', [], { input: `verbatim ${secret}\n`, stdout: 'text' });
    assert.equal(text.stdout, `verbatim ${secret}\n`);
  });
});
