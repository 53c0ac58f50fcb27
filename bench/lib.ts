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
