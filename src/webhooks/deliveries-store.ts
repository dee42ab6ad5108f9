import type { Result } from 'ioredis';
import type { RedisClient } from '../redis';
import { z } from 'zod';
import type { Keys } from '../store/keys';
import { defineScripts } from '../store/lua';
import { type WebhookEventType, WebhookEventTypeSchema, type WebhookPayload, WebhookPayloadSchema } from './events';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    decorumDeliveryCreate(record: string, index: string, ...args: (string | number)[]): Result<[number, string, string], Context>;
  }
}

/** How long a delivery stays in the log, and how many the log keeps per endpoint. */
export const DELIVERY_TTL_S = 30 * 24 * 3600;
export const DELIVERY_LOG_MAX = 1000;

export const DeliveryStatusSchema = z.enum(['pending', 'retrying', 'succeeded', 'failed']);
export type DeliveryStatus = z.infer<typeof DeliveryStatusSchema>;

export interface DeliveryRecord {
  /** Also the `webhook-id` header: the same on every attempt and on a manual re-send. */
  id: string;
  endpointId: string;
  type: WebhookEventType;
  status: DeliveryStatus;
  attempts: number;
  /** The exact JSON body, so every attempt sends the same bytes. */
  body: string;
  createdAt: number;
  lastAttemptAt?: number;
  responseCode?: number;
  latencyMs?: number;
  /** Why the last attempt failed, when it did. */
  error?: string;
  /** The start of the receiver's last answer. */
  responseBody?: string;
  nextAttemptAt?: number;
  resends: number;
}

export interface AttemptOutcome {
  status: DeliveryStatus;
  attempts: number;
  at: number;
  responseCode?: number;
  latencyMs: number;
  error?: string;
  responseBody?: string;
  nextAttemptAt?: number;
}

const num = (s: string | undefined) => (s === undefined || s === '' ? undefined : Number(s));

function fromHash(h: Record<string, string>): DeliveryRecord | null {
  if (!h.id) return null;
  return {
    id: h.id,
    endpointId: h.endpointId,
    type: h.type as WebhookEventType,
    status: h.status as DeliveryStatus,
    attempts: Number(h.attempts ?? 0),
    body: h.body,
    createdAt: Number(h.createdAt),
    ...(h.lastAttemptAt !== undefined && { lastAttemptAt: num(h.lastAttemptAt) }),
    ...(h.responseCode !== undefined && { responseCode: num(h.responseCode) }),
    ...(h.latencyMs !== undefined && { latencyMs: num(h.latencyMs) }),
    ...(h.error !== undefined && { error: h.error }),
    ...(h.responseBody !== undefined && { responseBody: h.responseBody }),
    ...(h.nextAttemptAt !== undefined && { nextAttemptAt: num(h.nextAttemptAt) }),
    resends: Number(h.resends ?? 0),
  };
}

/** A delivery as the log shows it: the payload parsed, times as ISO strings. */
export const DeliverySchema = z.object({
  /** Also the `webhook-id` header: the same on every attempt and on a manual re-send. */
  id: z.string().regex(/^msg_/),
  endpointId: z.string(),
  type: WebhookEventTypeSchema,
  status: DeliveryStatusSchema,
  attempts: z.number().int().min(0),
  responseCode: z.number().int().optional(),
  latencyMs: z.number().optional(),
  /** Why the last attempt failed, when it did. */
  error: z.string().optional(),
  /** The start of the receiver's last answer. */
  responseBody: z.string().optional(),
  createdAt: z.string(),
  lastAttemptAt: z.string().optional(),
  nextAttemptAt: z.string().optional(),
  resends: z.number().int().min(0),
  /** The exact payload every attempt sends. */
  payload: WebhookPayloadSchema,
});
export type PublicDelivery = z.infer<typeof DeliverySchema>;

/** How the log shows a delivery: the payload parsed, times as ISO strings. */
export function publicDelivery(d: DeliveryRecord): PublicDelivery {
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  return {
    id: d.id,
    endpointId: d.endpointId,
    type: d.type,
    status: d.status,
    attempts: d.attempts,
    ...(d.responseCode !== undefined && { responseCode: d.responseCode }),
    ...(d.latencyMs !== undefined && { latencyMs: d.latencyMs }),
    ...(d.error !== undefined && { error: d.error }),
    ...(d.responseBody !== undefined && { responseBody: d.responseBody }),
    createdAt: iso(d.createdAt)!,
    ...(d.lastAttemptAt !== undefined && { lastAttemptAt: iso(d.lastAttemptAt) }),
    ...(d.nextAttemptAt !== undefined && { nextAttemptAt: iso(d.nextAttemptAt) }),
    resends: d.resends,
    payload: JSON.parse(d.body) as WebhookPayload,
  };
}

/** Each endpoint's delivery log: one record per message, updated after every attempt. */
export class DeliveryStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly k: Keys,
  ) {
    defineScripts(redis, ['deliveryCreate']);
  }

  async create(d: { id: string; endpointId: string; type: WebhookEventType; body: string }, now: number) {
    const [created, status, attempts] = await this.redis.decorumDeliveryCreate(
      this.k.webhookDelivery(d.id),
      this.k.webhookDeliveries(d.endpointId),
      now,
      d.id,
      DELIVERY_LOG_MAX,
      DELIVERY_TTL_S,
      ...['id', d.id, 'endpointId', d.endpointId, 'type', d.type, 'status', 'pending', 'attempts', 0, 'body', d.body, 'createdAt', now, 'resends', 0],
    );
    return { created: created === 1, status: status as DeliveryStatus, attempts: Number(attempts) };
  }

  async get(id: string): Promise<DeliveryRecord | null> {
    return fromHash(await this.redis.hgetall(this.k.webhookDelivery(id)));
  }

  async recordAttempt(id: string, o: AttemptOutcome): Promise<void> {
    const key = this.k.webhookDelivery(id);
    const set: (string | number)[] = ['status', o.status, 'attempts', o.attempts, 'lastAttemptAt', o.at, 'latencyMs', o.latencyMs];
    const del: string[] = [];
    for (const [field, value] of [
      ['responseCode', o.responseCode],
      ['error', o.error],
      ['responseBody', o.responseBody],
      ['nextAttemptAt', o.nextAttemptAt],
    ] as const) {
      if (value === undefined) del.push(field);
      else set.push(field, value);
    }
    // The record may have expired or its endpoint been deleted: don't bring a partial one back.
    if (!(await this.redis.exists(key))) return;
    const tx = this.redis.multi().hset(key, ...set);
    if (del.length) tx.hdel(key, ...del);
    await tx.exec();
  }

  /** A manual re-send: the log shows it pending again, with the attempts made so far kept. */
  async markResent(id: string): Promise<number> {
    const key = this.k.webhookDelivery(id);
    const res = await this.redis.multi().hset(key, 'status', 'pending').hdel(key, 'nextAttemptAt').hincrby(key, 'resends', 1).exec();
    return Number(res?.[2]?.[1] ?? 0);
  }

  /**
   * The endpoint's log as positions (creation time in ms, zero-padded, then id), so a page can
   * start after any of them; the log holds at most DELIVERY_LOG_MAX.
   */
  async indexOf(endpointId: string): Promise<{ id: string; position: string }[]> {
    const flat = await this.redis.zrange(this.k.webhookDeliveries(endpointId), 0, -1, 'WITHSCORES');
    const out: { id: string; position: string }[] = [];
    for (let i = 0; i < flat.length; i += 2) out.push({ id: flat[i], position: `${flat[i + 1].padStart(15, '0')} ${flat[i]}` });
    return out;
  }

  /** The records of these ids, in this order; an expired one is left out. */
  async getMany(ids: string[]): Promise<DeliveryRecord[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.k.webhookDelivery(id));
    const results = (await pipeline.exec()) ?? [];
    return results.map(([, h]) => fromHash((h ?? {}) as Record<string, string>)).filter((d): d is DeliveryRecord => d !== null);
  }

}
