// Shared by the benchmark specs: the servers xtask started, signing in, and the figures file
// each spec writes for xtask to merge into its table and target/bench/report.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { request, type APIRequestContext } from '@playwright/test';

export const API = '/bin/guides/v1/assets/process';

/** One row of the report, as xtask reads it. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  goal: string | null;
  meetsGoal: boolean | null;
  detail: string;
}

/** An environment variable xtask sets; a clear error when the spec is run without xtask. */
export function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the benchmarks with \`cargo xtask bench\``);
  return v;
}

/** Writes `figures-<name>.json` where xtask collects them. */
export function writeFigures(name: string, figures: Figure[]): void {
  const dir = env('APC_BENCH_OUT');
  mkdirSync(dir, { recursive: true });
  for (const f of figures) {
    if (!Number.isFinite(f.value)) throw new Error(`figure "${f.name}" has no value (${f.value})`);
  }
  writeFileSync(`${dir}/figures-${name}.json`, JSON.stringify(figures, null, 2));
}

/** Browser state with the demo user signed in on `baseURL` (the login-token cookie), got the
 * way the login page gets it: a POST to j_security_check. */
export async function signedIn(baseURL: string) {
  const api = await request.newContext({ baseURL });
  const answer = await api.post('/libs/granite/core/content/login.html/j_security_check', {
    form: { j_username: 'admin', j_password: 'admin', resource: '/' },
    maxRedirects: 0,
  });
  const state = await api.storageState();
  await api.dispose();
  if (!state.cookies.some((c) => c.name === 'login-token')) {
    throw new Error(`sign-in on ${baseURL} set no login-token cookie (${answer.status()})`);
  }
  return state;
}

/** An API client with HTTP Basic, as scripts use the API. */
export async function apiClient(baseURL: string): Promise<APIRequestContext> {
  return request.newContext({
    baseURL,
    extraHTTPHeaders: { Authorization: 'Basic ' + Buffer.from('admin:admin').toString('base64') },
  });
}

export function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  return v.length ? v[Math.floor((v.length - 1) / 2)] + (v[Math.ceil((v.length - 1) / 2)] - v[Math.floor((v.length - 1) / 2)]) / 2 : NaN;
}

/** A figure without a goal unless one is given. */
export function figure(name: string, value: number, unit: string, detail = '', goal: string | null = null, meetsGoal: boolean | null = null): Figure {
  return { name, value, unit, goal, meetsGoal, detail };
}

/** The value at fraction `p` (0..1) of the sorted values, nearest rank. */
export function percentile(values: number[], p: number): number {
  const v = [...values].sort((a, b) => a - b);
  return v.length ? v[Math.min(v.length - 1, Math.round((v.length - 1) * p))] : NaN;
}
