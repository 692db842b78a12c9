// The --queue URL: redis:// or rediss:// (TLS), with an optional user, password and database number. The password is
// shown nowhere: every place that prints or logs the URL goes through redactQueueUrl.
import { redactText, REDACTED } from '../session/redact.js';
import { QueueError } from './queue-error.js';

/** What BullMQ and ioredis need to connect: plain options, never the URL text (which holds the password). */
export interface RedisConnectionOptions {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username?: string;
  readonly password?: string;
  /** Present for rediss://: the server name checked against the certificate (CAs: the system's, or NODE_EXTRA_CA_CERTS). */
  readonly tls?: { readonly servername: string };
}

export interface QueueTarget {
  /** The URL as printed and logged: credentials replaced by [REDACTED]. */
  readonly display: string;
  readonly connection: RedisConnectionOptions;
  /** The BullMQ queue's name: several teams can share one Redis with their own queues. */
  readonly queueName: string;
}

export const DEFAULT_QUEUE_NAME = 'cs-helper';
/** Read when --queue is absent, so a password need not appear on a command line (where `ps` shows it). */
export const QUEUE_URL_ENV = 'CS_HELPER_QUEUE_URL';
const DEFAULT_PORT = 6379;
const QUEUE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function parseQueueTarget(url: string, queueName: string = DEFAULT_QUEUE_NAME): QueueTarget {
  const display = redactQueueUrl(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new QueueError('bad-url', `the queue URL '${display}' is not a URL`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new QueueError('bad-url', `the queue URL '${display}' is not redis:// or rediss://`);
  if (parsed.hostname === '') throw new QueueError('bad-url', `the queue URL '${display}' names no host`);
  const port = parsed.port === '' ? DEFAULT_PORT : Number(parsed.port);
  const dbText = parsed.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0 || db > 15) throw new QueueError('bad-url', `the queue URL '${display}' names database '${dbText}'; a database is a number from 0 to 15`);
  if (!QUEUE_NAME.test(queueName)) throw new QueueError('bad-url', `the queue name '${queueName}' is not a plain name`, { hint: 'letters, digits, ".", "_" and "-", at most 64, e.g. --queue-name soc-batches' });
  // Brackets of an IPv6 host are URL syntax, not part of the address a socket connects to.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const username = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  return {
    display,
    queueName,
    connection: {
      host,
      port,
      db,
      ...(username === '' ? {} : { username }),
      ...(password === '' ? {} : { password }),
      ...(parsed.protocol === 'rediss:' ? { tls: { servername: host } } : {}),
    },
  };
}

/**
 * The one function that makes a queue URL safe to show: a password becomes [REDACTED] (a lone user name too, since
 * `redis://SECRET@host` is how some clients take a password). Text that is not a URL is redacted as free text.
 */
export function redactQueueUrl(url: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/i.exec(url.trim());
  if (scheme === null) return redactText(url);
  const [, protocol = '', authority = '', rest = ''] = scheme;
  const at = authority.lastIndexOf('@');
  if (at < 0) return `${protocol}${authority}${rest}`;
  const userInfo = authority.slice(0, at);
  const host = authority.slice(at + 1);
  const colon = userInfo.indexOf(':');
  const shown = colon < 0 ? REDACTED : `${userInfo.slice(0, colon)}:${REDACTED}`;
  return `${protocol}${shown}@${host}${rest}`;
}

/**
 * The URL a command was given: `--queue URL` as written; a bare `--queue` (or no option at all, for the commands that
 * only make sense with a queue: worker, jobs) reads $CS_HELPER_QUEUE_URL. Null: no queue, the work runs in this process.
 */
export function queueUrlFrom(option: string | boolean | undefined, options: { readonly required: boolean; readonly env?: NodeJS.ProcessEnv }): string | null {
  if (typeof option === 'string' && option.trim() !== '') return option.trim();
  if (option === undefined && !options.required) return null;
  const fromEnv = (options.env ?? process.env)[QUEUE_URL_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return fromEnv.trim();
  throw new QueueError('bad-url', `no queue given: --queue names none and ${QUEUE_URL_ENV} is not set`, { hint: `add --queue redis://HOST:PORT, or set ${QUEUE_URL_ENV} (keeps a password off the command line)` });
}

/** A command's --queue and --queue-name as a target; null when no queue was asked for (see queueUrlFrom). */
export function queueTargetFrom(option: string | boolean | undefined, queueName: string | undefined, required: boolean): QueueTarget | null {
  const url = queueUrlFrom(option, { required });
  return url === null ? null : parseQueueTarget(url, queueName ?? DEFAULT_QUEUE_NAME);
}

/** The flags that name this queue again in a hint: the URL redacted (or left to the environment when it came from there). */
export function queueFlags(target: QueueTarget, option: string | boolean | undefined): string {
  const url = typeof option === 'string' ? [`--queue '${target.display}'`] : [];
  return [...url, ...(target.queueName === DEFAULT_QUEUE_NAME ? [] : [`--queue-name ${target.queueName}`])].join(' ');
}
