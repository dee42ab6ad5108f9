import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Queue } from 'bullmq';
import type { RedisClient } from '../redis';
import type { Comment } from '../domain/comment';
import type { Verdict } from '../engine/verdict';
import type { Logger } from '../logger';
import { fieldsOf, isRedisUnavailable } from '../redis';
import type { CommentStore } from '../store/comments';
import type { Keys } from '../store/keys';
import type { DeliveryStore } from './deliveries-store';
import { coversSite, type EndpointRecord, type EndpointStore } from './endpoints-store';
import { DEFAULT_SITE } from '../domain/comment';
import { COMMENT_EVENT_TYPES, type CommentEventType, type WebhookPayload } from './events';
import { type DeliveryJob, enqueueDelivery } from './queue';

/** The consumer group the dispatchers share: each event is handed to one of them. */
export const DISPATCH_GROUP = 'webhooks';

export interface DispatcherDeps {
  /** A connection of its own: XREADGROUP blocks it. */
  redis: RedisClient;
  keys: Keys;
  endpoints: EndpointStore;
  deliveries: DeliveryStore;
  comments: CommentStore;
  queue: Queue<DeliveryJob>;
  log: Logger;
  /** How long an event may sit unacknowledged with another dispatcher before this one takes it over. */
  claimIdleMs?: number;
  blockMs?: number;
  /**
   * How much of the stream, in ms of event time, to keep before the oldest event some group has
   * not yet acknowledged: a dashboard's live feed (review-stream.ts) reads the same stream a
   * moment behind.
   */
  keepMs?: number;
  /** After a read that found fewer events than it could take, how long to let more gather. */
  gatherMs?: number;
}

/** Events taken per read. */
const READ_COUNT = 100;

/** The webhook-id of one event for one endpoint: the same however often the event is processed. */
export const deliveryIdFor = (streamId: string, endpointId: string) => `msg_${streamId}_${endpointId}`;

/**
 * The verdict the event announced: a later moderator decision replaces the comment's verdict
 * (moving the old one to its history), and an earlier event must still describe its own.
 */
export function verdictAt(comment: Comment | null, atMs: number): Verdict | null {
  if (!comment) return null;
  const candidates = [...(comment.verdict ? [comment.verdict] : []), ...(comment.history ?? [])];
  return candidates.find((v) => Date.parse(v.decidedAt) === atMs) ?? null;
}

type Entry = [id: string, fields: string[]];

/**
 * Fans decisions out to webhook endpoints: reads the events stream through a consumer group,
 * creates one delivery (log record and BullMQ job) per subscribed endpoint, then acknowledges.
 * An event is acknowledged only once its deliveries exist, and creating them again is a no-op,
 * so a dispatcher dying mid-event costs a repeat, never a loss: another one (or this one after
 * a restart) claims the event once it has been pending for `claimIdleMs`.
 */
export class Dispatcher {
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  readonly consumer = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;

  constructor(private readonly deps: DispatcherDeps) {}

  async start(): Promise<void> {
    try {
      // '$': a new deployment starts with the events from now on, not the stream's whole backlog.
      await this.deps.redis.xgroup('CREATE', this.deps.keys.events, DISPATCH_GROUP, '$', 'MKSTREAM');
    } catch (err) {
      if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
    }
    this.loop = this.run();
  }

  /**
   * Stops reading, within a bound: with Redis away a read can wait for it indefinitely, so after
   * a moment the connection is dropped and the loop left behind (an event it was handling stays
   * pending, and is claimed again later).
   */
  async stop(boundMs = (this.deps.blockMs ?? 1000) + 1000): Promise<void> {
    this.stopping = true;
    this.wake?.();
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      (this.loop ?? Promise.resolve()).then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), boundMs))),
    ]);
    clearTimeout(timer);
    if (!ended) this.deps.redis.disconnect();
  }

  private async run(): Promise<void> {
    const claimIdleMs = this.deps.claimIdleMs ?? 60_000;
    const blockMs = this.deps.blockMs ?? 1000;
    let nextClaim = 0;
    let nextTrim = 0;
    while (!this.stopping) {
      try {
        if (Date.now() >= nextClaim) {
          await this.claimAbandoned(claimIdleMs);
          nextClaim = Date.now() + Math.min(claimIdleMs, 30_000);
        }
        if (Date.now() >= nextTrim) {
          await this.trimDelivered(this.deps.keepMs ?? 10_000);
          nextTrim = Date.now() + 1000;
        }
        const res = (await this.deps.redis.xreadgroup(
          'GROUP',
          DISPATCH_GROUP,
          this.consumer,
          'COUNT',
          READ_COUNT,
          'BLOCK',
          blockMs,
          'STREAMS',
          this.deps.keys.events,
          '>',
        )) as [string, Entry[]][] | null;
        if (res) await this.process(res[0][1]);
        // A short read means the stream is quiet or trickling: wait a moment, so that the next
        // read takes a batch rather than one event at a time (each read costs a round trip).
        if (!res || res[0][1].length < READ_COUNT) await this.pause(this.deps.gatherMs ?? 50);
      } catch (err) {
        if (this.stopping) break;
        const msg = (err as Error).message;
        if (isRedisUnavailable(err)) this.deps.log.debug({ err: msg }, 'webhook dispatcher: redis unavailable');
        else this.deps.log.error({ err: msg }, 'webhook dispatcher error');
        await this.pause(1000);
      }
    }
  }

  /** Waits `ms`, or less if stop() is called. */
  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private async claimAbandoned(minIdleMs: number): Promise<void> {
    let cursor = '0-0';
    do {
      const [next, entries] = (await this.deps.redis.xautoclaim(
        this.deps.keys.events,
        DISPATCH_GROUP,
        this.consumer,
        minIdleMs,
        cursor,
        'COUNT',
        100,
      )) as [string, (Entry | null)[]];
      cursor = next;
      // Entries trimmed from the stream come back empty (Redis 7 drops them from the pending list).
      const live = entries.filter((e): e is Entry => Array.isArray(e) && Array.isArray(e[1]));
      if (live.length) {
        this.deps.log.info({ count: live.length }, 'webhook dispatcher: took over events another dispatcher left pending');
        await this.process(live);
      }
    } while (cursor !== '0-0' && !this.stopping);
  }

  /**
   * Drops the events every consumer group has acknowledged, but the last `keepMs` of them. The
   * stream is an outbox: once an event's deliveries exist nothing reads it again, and keeping
   * 100,000 of them (the cap the decide scripts trim to) cost ~85 bytes per comment. Events still
   * pending with some consumer, or not yet read, are never dropped. Exposed for tests.
   */
  async trimDelivered(keepMs: number): Promise<void> {
    const events = this.deps.keys.events;
    const groups = (await this.deps.redis.xinfo('GROUPS', events)) as (string | number)[][];
    if (groups.length === 0) return;
    let oldest = Infinity;
    for (const flat of groups) {
      const g = new Map<string, string | number>();
      for (let i = 0; i + 1 < flat.length; i += 2) g.set(String(flat[i]), flat[i + 1]);
      let point = String(g.get('last-delivered-id'));
      if (Number(g.get('pending')) > 0) {
        const [, smallest] = (await this.deps.redis.xpending(events, String(g.get('name')))) as [number, string | null];
        if (smallest) point = smallest;
      }
      oldest = Math.min(oldest, Number(point.split('-')[0]));
    }
    // Stream ids are the time (ms) Redis added the event, then a sequence number.
    const minMs = oldest - keepMs;
    if (Number.isFinite(minMs) && minMs > 0) await this.deps.redis.xtrim(events, 'MINID', `${minMs}-0`);
  }

  /** Exposed for tests: processes entries as if read from the stream. */
  async process(entries: Entry[]): Promise<void> {
    let endpoints: EndpointRecord[] | undefined;
    // Acknowledged together at the end (one command for a batch, not one per event), each only
    // once its deliveries exist: an event this misses is handled again, never lost.
    const handled: string[] = [];
    try {
      for (const [streamId, flat] of entries) {
        const f = fieldsOf(flat);
        const type = f.type as CommentEventType;
        if ((COMMENT_EVENT_TYPES as readonly string[]).includes(type)) {
          endpoints ??= await this.deps.endpoints.list();
          const subscribed = endpoints.filter((e) => e.enabled && e.events.includes(type));
          if (subscribed.length) await this.fanOut(streamId, type, f, subscribed);
        }
        handled.push(streamId);
      }
    } finally {
      if (handled.length > 0) await this.deps.redis.xack(this.deps.keys.events, DISPATCH_GROUP, ...handled);
    }
  }

  private async fanOut(streamId: string, type: CommentEventType, f: Record<string, string>, endpoints: EndpointRecord[]): Promise<void> {
    const at = Number(f.at);
    const comment = await this.deps.comments.get(f.commentId);
    // An endpoint bound to a site hears only of that site's comments (one gone since, of none).
    const site = comment ? (comment.site ?? DEFAULT_SITE) : undefined;
    endpoints = endpoints.filter((e) => e.site === undefined || (site !== undefined && coversSite(e, site)));
    if (endpoints.length === 0) return;
    const payload: WebhookPayload = {
      type,
      timestamp: new Date(at).toISOString(),
      data: {
        commentId: f.commentId,
        ...(comment && { articleId: comment.articleId, authorId: comment.author.id }),
        status: type.slice('comment.'.length),
        previousStatus: f.previousStatus,
        decidedBy: f.decidedBy,
        automatic: f.decidedBy === 'auto',
        verdict: verdictAt(comment, at),
      },
    };
    const body = JSON.stringify(payload);
    const now = Date.now();
    for (const endpoint of endpoints) {
      const id = deliveryIdFor(streamId, endpoint.id);
      const made = await this.deps.deliveries.create({ id, endpointId: endpoint.id, type, body }, now);
      // Already there from an earlier pass: its job may not have been added before the crash.
      // Adding it again is a no-op while it waits; once attempted, the job exists or is done.
      if (made.created || (made.status === 'pending' && made.attempts === 0)) await enqueueDelivery(this.deps.queue, id);
    }
  }
}
