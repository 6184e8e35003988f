/** What every bench section shares: settings of the run, percentiles, batching, a hub login, the goal table. */
import { readFileSync } from 'node:fs';

export const quick = process.argv.includes('--quick');
export const root = new URL('..', import.meta.url).pathname;
export const BENCH_ENV = { MESSAGES_PER_MINUTE: '10000000', REQUESTS_PER_MINUTE: '10000000', SIGN_INS_PER_MINUTE: '100000', LOG_LEVEL: 'error' };

export type Stats = { p50: number; p95: number; p99: number; count: number };

export function percentiles(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => Number((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN).toFixed(2));
  return { p50: at(50), p95: at(95), p99: at(99), count: sorted.length };
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** The item whose `value` is the median of the items' (the upper one of an even count). */
export const medianBy = <T>(items: T[], value: (item: T) => number): T | undefined =>
  [...items].sort((a, b) => value(a) - value(b))[Math.floor(items.length / 2)];

export const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** A process's CPU time so far (user + system, all threads), in milliseconds; Linux's /proc counts 10 ms ticks. */
export function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export async function inBatches<T>(count: number, size: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < count; i += size) out.push(...(await Promise.all(Array.from({ length: Math.min(size, count - i) }, (_, j) => make(i + j)))));
  return out;
}

export async function login(url: string, email = 'admin@test.local', password = 'admin-password-1'): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return ((await res.json()) as { token: string }).token;
}

export async function health(url: string): Promise<{ rssBytes: number; eventLoopDelayMs: { p99: number; max: number } }> {
  return (await (await fetch(`${url}/health`)).json()) as { rssBytes: number; eventLoopDelayMs: { p99: number; max: number } };
}

/** One line of the goal table: a measured figure, its target, and whether it was met. */
export interface Goal {
  goal: string;
  value: number | null;
  target: string;
  met: boolean | null;
}

export function atMost(goal: string, value: number | null | undefined, limit: number, unit = ''): Goal {
  const v = value ?? null;
  return { goal, value: v, target: `≤ ${limit}${unit}`, met: v === null || Number.isNaN(v) ? null : v <= limit };
}

export function atLeast(goal: string, value: number | null | undefined, limit: number, unit = ''): Goal {
  const v = value ?? null;
  return { goal, value: v, target: `≥ ${limit}${unit}`, met: v === null || Number.isNaN(v) ? null : v >= limit };
}
