// Connecting to the queue's Redis: a short connect timeout and no endless retry loop for commands a person waits on;
// patient reconnection for a long-running worker once it has connected. Errors name the URL with its password redacted.
import type { RedisOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { redactText } from '../session/redact.js';
import { QueueError } from './queue-error.js';
import type { QueueTarget } from './queue-url.js';

/** How long a command waits for Redis before it says it cannot reach it. */
export const CONNECT_TIMEOUT_MS = 3_000;
/** A worker that lost Redis tries again at most this often. */
const WORKER_RECONNECT_MAX_MS = 5_000;

export type ConnectionRole = 'command' | 'worker';

/** Options for BullMQ's own connections (it creates and closes them). */
export function bullConnection(target: QueueTarget, role: ConnectionRole): RedisOptions {
  return {
    ...target.connection,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // BullMQ's blocking connections (Worker, QueueEvents) require null here: a blocked read is not a failed request.
    maxRetriesPerRequest: null,
    retryStrategy: role === 'worker' ? (times: number) => Math.min(WORKER_RECONNECT_MAX_MS, 200 * times) : (times: number) => (times > 3 ? null : 250 * times),
  };
}

/**
 * A plain client, connected and answering PING, or a QueueError: `unreachable` (refused, timed out, TLS failed) or
 * `auth` (the password or user is wrong). Used first by every queue command, so a wrong URL fails in seconds.
 */
export async function connectRedis(target: QueueTarget, options: { readonly timeoutMs?: number } = {}): Promise<Redis> {
  const timeoutMs = options.timeoutMs ?? CONNECT_TIMEOUT_MS;
  const client = new Redis({ ...target.connection, lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => null });
  // Until connect() settles, errors arrive as events too; without a listener ioredis prints them.
  let lastError: unknown = null;
  const onError = (error: unknown): void => {
    lastError = error;
  };
  client.on('error', onError);
  try {
    await withTimeout(client.connect(), timeoutMs, () => new Error(`no answer within ${timeoutMs} ms`));
    await withTimeout(client.ping(), timeoutMs, () => new Error(`no answer to PING within ${timeoutMs} ms`));
  } catch (error) {
    client.disconnect();
    // The 'error' event carries the socket's reason (ECONNREFUSED); the rejection often only says the connection closed.
    throw describeConnectError(target, lastError ?? error);
  } finally {
    client.off('error', onError);
  }
  // Later errors (a restart) are reported by the command that meets them; a listener keeps ioredis from printing them.
  client.on('error', () => undefined);
  return client;
}

export function describeConnectError(target: QueueTarget, error: unknown): QueueError {
  const text = redactText(error instanceof Error ? error.message : String(error));
  // A Redis error reply starts with its code (RESP): WRONGPASS, NOAUTH, or ERR for a server without a password set.
  const code = /^[A-Z]+/.exec(text)?.[0];
  if (code === 'WRONGPASS' || code === 'NOAUTH' || (code === 'ERR' && /AUTH/.test(text))) {
    return new QueueError('auth', `Redis at ${target.display} refused the credentials: ${text}`, { cause: error });
  }
  // Node's TLS errors carry a code (SELF_SIGNED_CERT_IN_CHAIN, ERR_TLS_CERT_ALTNAME_INVALID, ...): the server answered, and
  // its certificate is what to look at, not the host and port.
  const tlsCode = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : '';
  if (/CERT|TLS|SSL/.test(tlsCode)) {
    return new QueueError('unreachable', `cannot reach Redis at ${target.display}: ${text}`, {
      cause: error,
      hint: `the server's TLS certificate was not accepted (${tlsCode}): for a certificate signed by your own CA, start CS Helper with NODE_EXTRA_CA_CERTS=/path/to/ca.crt, and use the host name the certificate names`,
    });
  }
  return new QueueError('unreachable', `cannot reach Redis at ${target.display}: ${text}`, { cause: error });
}

async function withTimeout<T>(promise: Promise<T>, ms: number, timeoutError: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          reject(timeoutError());
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
