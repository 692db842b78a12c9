// What the queue tests share besides Redis: firewall-like CSVs generated on the spot (no data files needed), and a
// bounded wait for something another process does.
import { setTimeout as delay } from 'node:timers/promises';

export const PROBLEM = 'Analyze this CSV for security threats and export enriched data';

/** `rows` data rows of timestamp, addresses, port, bytes and action; `seed` varies the values between files. */
export function firewallCsv(rows: number, seed = 0): string {
  const lines = ['timestamp,src_ip,dst_ip,dst_port,bytes,action'];
  for (let r = 0; r < rows; r += 1) {
    lines.push(`2024-01-0${1 + (r % 9)}T${String(r % 24).padStart(2, '0')}:${String(r % 60).padStart(2, '0')}:00Z,10.0.${(r >> 8) % 250}.${r % 250},203.0.113.${(r + seed) % 200},${[22, 80, 443, 3389][r % 4] ?? 80},${(r * 7919 + seed) % 100_000},${r % 2 === 0 ? 'allow' : 'deny'}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Polls `probe` every 100 ms until it returns a value; fails naming what it waited for. */
export async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null> | T | null): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== null) return value;
    await delay(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
