// The checks every HTTP request passes before the MCP transport sees it: a Host and an Origin naming this loopback
// server (a web page's DNS-rebinding trick fails with 403), then the bearer token (401 without it).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export type GuardVerdict = { readonly ok: true } | { readonly ok: false; readonly status: 401 | 403; readonly message: string };

export function guardRequest(request: IncomingMessage, port: number, token: string): GuardVerdict {
  const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  const host = request.headers.host;
  if (host === undefined || !allowedHosts.includes(host.toLowerCase())) return { ok: false, status: 403, message: `forbidden Host header: this server answers only to ${allowedHosts.join(' or ')}` };
  const origin = request.headers.origin;
  if (origin !== undefined && !allowedHosts.some((h) => origin.toLowerCase() === `http://${h}`)) return { ok: false, status: 403, message: 'forbidden Origin: requests from web pages are refused' };
  const header = request.headers.authorization;
  const given = header?.startsWith('Bearer ') === true ? header.slice('Bearer '.length).trim() : '';
  if (!sameSecret(given, token)) return { ok: false, status: 401, message: 'missing or wrong bearer token: send Authorization: Bearer <token> as printed when the server started (or CS_HELPER_MCP_TOKEN)' };
  return { ok: true };
}

/** Compares digests, so neither the length nor the content of the token leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given.length > 0;
}
