// Smoke checks: the seed's `curl` health and endpoint checks as configured HTTP requests, with latency.
import { readJsonPath } from '../../core/checks/evaluate.ts';
import { redactUrl } from '../../core/redact.ts';
import type { SmokeCheckConfig } from '../../schemas/config.ts';
import type { CheckResult } from '../../schemas/findings.ts';

export async function runSmokeCheck(check: SmokeCheckConfig, baseUrl: string | undefined): Promise<CheckResult> {
  const url = baseUrl && !/^https?:\/\//.test(check.url) ? new URL(check.url.replace(/^\//, ''), baseUrl.replace(/\/?$/, '/')).toString() : check.url;
  const started = performance.now();
  const fail = (detail: string, extra: Partial<CheckResult> = {}): CheckResult => ({
    kind: 'smoke',
    name: check.name,
    status: 'fail',
    detail,
    latencyMs: performance.now() - started,
    ...extra,
  });
  let response: Response;
  try {
    response = await fetch(url, {
      method: check.method,
      headers: check.headers,
      ...(check.body === undefined ? {} : { body: check.body }),
      signal: AbortSignal.timeout(check.timeoutMs),
      redirect: 'manual',
    });
  } catch (error) {
    const err = error as Error & { cause?: { code?: string } };
    const why = err.name === 'TimeoutError' ? `no answer within ${check.timeoutMs} ms` : (err.cause?.code ?? err.message);
    return fail(`${check.method} ${redactUrl(url)} failed: ${why}`);
  }
  const text = await response.text();
  const latencyMs = performance.now() - started;
  const where = `${check.method} ${redactUrl(url)}`;
  if (response.status !== check.expectStatus) {
    return {
      ...fail(`${where} answered ${response.status}, expected ${check.expectStatus}`, { value: response.status }),
      latencyMs,
      expected: `HTTP ${check.expectStatus}`,
    };
  }
  if (check.expectJson) {
    let field: unknown;
    try {
      field = readJsonPath(JSON.parse(text), check.expectJson.path);
    } catch {
      return { ...fail(`${where}: the response is not JSON`, { value: response.status }), latencyMs };
    }
    const { equals, exists } = check.expectJson;
    if (exists !== undefined && (field !== undefined) !== exists) {
      return { ...fail(`${where}: ${check.expectJson.path} ${exists ? 'is missing' : 'should be absent'}`, { value: response.status }), latencyMs };
    }
    if (equals !== undefined && field !== equals) {
      return {
        ...fail(`${where}: ${check.expectJson.path} is ${JSON.stringify(field)}, expected ${JSON.stringify(equals)}`, { value: response.status }),
        latencyMs,
      };
    }
  }
  return {
    kind: 'smoke',
    name: check.name,
    status: 'pass',
    value: response.status,
    expected: `HTTP ${check.expectStatus}`,
    detail: `${where} → ${response.status} in ${Math.round(latencyMs)} ms`,
    latencyMs,
  };
}

export async function runSmokeChecks(checks: SmokeCheckConfig[], baseUrl: string | undefined): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  // In order, like the seed's checklist: a failing health check explains the failures after it.
  for (const check of checks) results.push(await runSmokeCheck(check, baseUrl));
  return results;
}
