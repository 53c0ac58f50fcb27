// Shared pieces of the benchmarks: a load run with autocannon and the table they print.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const AUTOCANNON = path.join(path.dirname(createRequire(import.meta.url).resolve('autocannon/package.json')), 'autocannon.js');

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/**
 * Loads a URL from a separate process (autocannon's CLI), so the load generator does not take
 * the server's CPU time on a small machine.
 */
export async function load(url: string, options: { connections: number; seconds: number; headers?: Record<string, string> }): Promise<LoadResult> {
  const args = [AUTOCANNON, '--json', '-c', String(options.connections), '-d', String(options.seconds)];
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push('-H', `${name}=${value}`);
  args.push(url);
  const { stdout } = await execFileAsync(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 });
  const result = JSON.parse(stdout) as { requests: { average: number }; latency: { p50: number; p99: number }; errors: number; timeouts: number; non2xx: number };
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

export interface Row {
  benchmark: string;
  measured: string;
  baseline: string;
  ratio: string;
  target: string;
  ok: boolean | null;
}

export function printTable(rows: Row[]): void {
  const headers: (keyof Row)[] = ['benchmark', 'measured', 'baseline', 'ratio', 'target', 'ok'];
  const cell = (row: Row, key: keyof Row) => (key === 'ok' ? (row.ok === null ? '–' : row.ok ? 'yes' : 'NO') : String(row[key]));
  const width = (key: keyof Row) => Math.max(String(key).length, ...rows.map((r) => displayWidth(cell(r, key))));
  const pad = (text: string, w: number) => text + ' '.repeat(Math.max(0, w - displayWidth(text)));
  const line = (values: string[]) => `| ${values.map((v, i) => pad(v, width(headers[i] as keyof Row))).join(' | ')} |`;
  console.log(line(headers.map(String)));
  console.log(`|${headers.map((h) => '-'.repeat(width(h) + 2)).join('|')}|`);
  for (const row of rows) console.log(line(headers.map((h) => cell(row, h))));
}

// CJK characters take two columns in a terminal.
function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1;
  return w;
}

export const fmt = {
  rps: (n: number) => `${Math.round(n).toLocaleString('en')} req/s`,
  ms: (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`,
  s: (n: number) => `${n.toFixed(1)} s`,
  kb: (n: number) => `${(n / 1024).toFixed(0)} KB`,
  pct: (n: number) => `${(n * 100).toFixed(0)}%`,
};

/** The middle value (the upper middle of an even count). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export interface Paired<T> {
  /** Each side's median round, for the table (throughput and p99 of one real load). */
  base: T;
  mine: T;
  /** The median of the rounds' ratios (mine / base). */
  ratio: number;
  rounds: { base: T; mine: T }[];
}

/**
 * Loads the baseline and ours in alternating rounds after a one-second warm-up of each, and
 * compares them round by round. This machine's speed drifts by a quarter within seconds (two
 * loads of the same bare route back to back: 164 and 220 pairs/s), so each round sets ours against
 * the baseline of the same moment, the order swaps every round so a steady drift favours neither,
 * and the median round ratio is the result: one slow moment moves it no more than one fast one.
 */
export async function alternate<T>(
  run: { base: (seconds: number) => Promise<T>; mine: (seconds: number) => Promise<T> },
  rate: (result: T) => number,
  seconds: number,
  rounds = 5,
): Promise<Paired<T>> {
  await run.base(1);
  await run.mine(1);
  const results: { base: T; mine: T }[] = [];
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      const base = await run.base(seconds);
      results.push({ base, mine: await run.mine(seconds) });
    } else {
      const mine = await run.mine(seconds);
      results.push({ base: await run.base(seconds), mine });
    }
  }
  const middle = (side: 'base' | 'mine') => {
    const sorted = results.map((r) => r[side]).sort((a, b) => rate(a) - rate(b));
    return sorted[Math.floor(sorted.length / 2)] as T;
  };
  return { base: middle('base'), mine: middle('mine'), ratio: median(results.map((r) => rate(r.mine) / rate(r.base))), rounds: results };
}
