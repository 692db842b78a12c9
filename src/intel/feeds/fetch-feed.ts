// The one place CS Helper reaches the network, and only when the user asks (`feeds import --fetch URL`): downloads a
// feed to a temporary file, bounded in size and time, and says plainly when the machine is offline.
import { createWriteStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FeedFetchError } from '../../model/errors/feed-fetch-error.js';
import { MAX_FEED_FILE_BYTES } from './load-feed.js';

const FETCH_TIMEOUT_MS = 60_000;
const OFFLINE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNRESET', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/** Downloads `url` into a new temporary folder; returns the file's path (named after the URL's last segment). */
export async function fetchFeed(url: string, signal?: AbortSignal): Promise<string> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FeedFetchError(url, 'bad-url', 'not a URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new FeedFetchError(url, 'bad-url', `${parsed.protocol} addresses are not fetched`);
  // Credentials in a URL are never echoed back.
  const shown = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  let response: Response;
  try {
    response = await fetch(parsed, { signal: AbortSignal.any([AbortSignal.timeout(FETCH_TIMEOUT_MS), ...(signal === undefined ? [] : [signal])]), redirect: 'follow' });
  } catch (error) {
    const code = (error as { cause?: { code?: unknown } }).cause?.code;
    const offline = typeof code === 'string' && OFFLINE_CODES.has(code);
    throw new FeedFetchError(shown, 'offline', offline ? `cannot fetch the feed: no network connection (${code})` : `cannot fetch the feed (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  if (!response.ok || response.body === null) throw new FeedFetchError(shown, 'http-status', `the server answered ${response.status} ${response.statusText}`);
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > MAX_FEED_FILE_BYTES) throw new FeedFetchError(shown, 'too-large', `the feed is ${declared} bytes, over the ${MAX_FEED_FILE_BYTES}-byte limit`);
  const name = (parsed.pathname.split('/').pop() ?? '').replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100) || 'feed';
  const path = join(await mkdtemp(join(tmpdir(), 'cs-helper-fetch-')), name);
  const out = createWriteStream(path);
  let bytes = 0;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.byteLength;
      if (bytes > MAX_FEED_FILE_BYTES) throw new FeedFetchError(shown, 'too-large', `the feed is over the ${MAX_FEED_FILE_BYTES}-byte limit`);
      if (!out.write(chunk)) await new Promise<void>((resolve) => {
        out.once('drain', () => {
          resolve();
        });
      });
    }
  } finally {
    await new Promise<void>((resolve) => {
      out.end(() => {
        resolve();
      });
    });
  }
  return path;
}
