// The producer's and the `jobs` command's handle on a queue: a plain Redis client (checked first, so a wrong URL fails
// in seconds with a clear error), the BullMQ Queue, and QueueEvents when the caller follows jobs as they run.
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { bullConnection, connectRedis } from './redis-connection.js';
import type { QueueTarget } from './queue-url.js';
import type { WorkflowJobResult } from './workflow-job.js';

export type WorkflowQueue = Queue<unknown, WorkflowJobResult>;

export interface QueueClient {
  readonly target: QueueTarget;
  readonly redis: Redis;
  readonly queue: WorkflowQueue;
  /** Present when opened with `events: true`. */
  readonly events: QueueEvents | null;
  close(): Promise<void>;
}

export async function openQueueClient(target: QueueTarget, options: { readonly events: boolean }): Promise<QueueClient> {
  const redis = await connectRedis(target);
  const queue: WorkflowQueue = new Queue(target.queueName, { connection: bullConnection(target, 'command') });
  // BullMQ reports connection trouble as events; the commands meet them as rejected calls instead.
  queue.on('error', () => undefined);
  const events = options.events ? new QueueEvents(target.queueName, { connection: bullConnection(target, 'command') }) : null;
  events?.on('error', () => undefined);
  try {
    await queue.waitUntilReady();
    await events?.waitUntilReady();
  } catch (error) {
    await Promise.allSettled([queue.close(), events?.close()]);
    redis.disconnect();
    throw error;
  }
  return {
    target,
    redis,
    queue,
    events,
    close: async () => {
      await Promise.allSettled([queue.close(), events?.close()]);
      redis.disconnect();
    },
  };
}
