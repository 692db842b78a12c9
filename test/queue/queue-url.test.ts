// The --queue URL: what reaches the Redis client, and the one redaction every printed or logged URL goes through.
import { describe, expect, it } from 'vitest';
import { QueueError } from '../../src/queue/queue-error.js';
import { parseQueueTarget, queueUrlFrom, redactQueueUrl } from '../../src/queue/queue-url.js';

describe('redactQueueUrl', () => {
  it.each([
    ['redis://:s3cret@10.0.0.5:6379', 'redis://:[REDACTED]@10.0.0.5:6379'],
    ['rediss://worker:s3cret@queue.example.org:6380/2', 'rediss://worker:[REDACTED]@queue.example.org:6380/2'],
    ['redis://s3cret@host', 'redis://[REDACTED]@host'],
    ['redis://:p%40ss%3Aw@host:1', 'redis://:[REDACTED]@host:1'],
    ['redis://127.0.0.1:6379', 'redis://127.0.0.1:6379'],
    ['redis://[::1]:6379/0', 'redis://[::1]:6379/0'],
  ])('%s -> %s', (url, shown) => {
    expect(redactQueueUrl(url)).toBe(shown);
    expect(redactQueueUrl(url)).not.toContain('s3cret');
  });

  it('redacts a password even in text that is not a URL', () => {
    expect(redactQueueUrl('password=s3cret')).toBe('password=[REDACTED]');
  });
});

describe('parseQueueTarget', () => {
  it('hands the client host, port, database and credentials as options, and shows the URL redacted', () => {
    expect(parseQueueTarget('redis://ops:pa%40ss@10.1.2.3:6390/3', 'soc')).toEqual({
      display: 'redis://ops:[REDACTED]@10.1.2.3:6390/3',
      queueName: 'soc',
      connection: { host: '10.1.2.3', port: 6390, db: 3, username: 'ops', password: 'pa@ss' },
    });
  });

  it('turns TLS on for rediss:// with the host as the server name, and defaults port and database', () => {
    expect(parseQueueTarget('rediss://:pw@queue.example.org').connection).toEqual({ host: 'queue.example.org', port: 6379, db: 0, password: 'pw', tls: { servername: 'queue.example.org' } });
  });

  it('reads an IPv6 host without its brackets', () => {
    expect(parseQueueTarget('redis://[::1]:6400').connection).toEqual({ host: '::1', port: 6400, db: 0 });
  });

  it.each([
    ['http://host:6379', /is not redis:\/\/ or rediss:\/\//],
    ['not a url', /is not a URL/],
    ['redis://host/99', /database '99'/],
    ['redis://:secret@host/x', /^the queue URL 'redis:\/\/:\[REDACTED\]@host\/x' names database 'x'/],
  ])('refuses %s with a hint, never echoing a password', (url, message) => {
    let caught: unknown;
    try {
      parseQueueTarget(url);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(QueueError);
    expect((caught as QueueError).code).toBe('queue-bad-url');
    expect((caught as QueueError).message).toMatch(message);
    expect((caught as QueueError).message).not.toContain('secret');
    expect((caught as QueueError).hint).toContain('redis://');
  });

  it('refuses a queue name that is not a plain name', () => {
    expect(() => parseQueueTarget('redis://host', '../x')).toThrow(/queue name '..\/x' is not a plain name/);
  });
});

describe('queueUrlFrom', () => {
  const env = { CS_HELPER_QUEUE_URL: 'redis://:pw@from-env:6379' };

  it('takes --queue URL as written', () => {
    expect(queueUrlFrom('redis://a:1', { required: false, env })).toBe('redis://a:1');
  });

  it('reads the environment for a bare --queue, or when a queue is required and none is given', () => {
    expect(queueUrlFrom(true, { required: false, env })).toBe('redis://:pw@from-env:6379');
    expect(queueUrlFrom(undefined, { required: true, env })).toBe('redis://:pw@from-env:6379');
  });

  it('leaves the work in this process when no queue is asked for', () => {
    expect(queueUrlFrom(undefined, { required: false, env })).toBeNull();
  });

  it('says what to do when a queue is needed and none is given', () => {
    expect(() => queueUrlFrom(undefined, { required: true, env: {} })).toThrow(/no queue given: --queue names none and CS_HELPER_QUEUE_URL is not set/);
  });
});
