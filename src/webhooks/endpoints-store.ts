import { randomBytes } from 'node:crypto';
import type { Result } from 'ioredis';
import type { RedisClient } from '../redis';
import { z } from 'zod';
import type { Keys } from '../store/keys';
import { defineScripts } from '../store/lua';
import { type CommentEventType, CommentEventTypeSchema } from './events';
import { generateSecret } from './signing';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    decorumWebhookUpdate(key: string, setCount: number, ...args: string[]): Result<number, Context>;
    decorumWebhookFailed(key: string, now: number, disableAfterMs: number, reason: string): Result<number, Context>;
  }
}

export interface EndpointRecord {
  id: string;
  url: string;
  /** Only this site's events; absent: every site's. */
  site?: string;
  events: CommentEventType[];
  description?: string;
  enabled: boolean;
  /** Why the service disabled it (absent when an admin did, or when it is enabled). */
  disabledReason?: string;
  disabledAt?: number;
  /** First failed attempt since the last success; what auto-disabling measures from. */
  failingSince?: number;
  createdAt: number;
  updatedAt: number;
  secret: string;
  /** The secret before the last rotation, still signed with until it expires. */
  previousSecret?: string;
  previousSecretExpiresAt?: number;
}

/** An endpoint as the API shows it: never with its secrets; times as ISO strings. */
export const EndpointSchema = z.object({
  id: z.string().regex(/^ep_[0-9a-f]{20}$/),
  url: z.string(),
  /** Only this site's events are delivered to it; absent: every site's. */
  site: z.string().optional(),
  events: z.array(CommentEventTypeSchema),
  description: z.string().optional(),
  enabled: z.boolean(),
  /** Why the service disabled it (absent when an admin did, or when it is enabled). */
  disabledReason: z.string().optional(),
  disabledAt: z.string().optional(),
  /** First failed attempt since the last success. */
  failingSince: z.string().optional(),
  /** While a rotated-out secret still signs deliveries: until when. */
  previousSecretExpiresAt: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PublicEndpoint = z.infer<typeof EndpointSchema>;

/** How an endpoint is shown: never with its secrets (the secret is shown once, at creation or rotation). */
export function publicEndpoint(e: EndpointRecord, now = Date.now()): PublicEndpoint {
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  const rotating = e.previousSecretExpiresAt !== undefined && e.previousSecretExpiresAt > now;
  return {
    id: e.id,
    url: e.url,
    ...(e.site !== undefined && { site: e.site }),
    events: e.events,
    ...(e.description !== undefined && { description: e.description }),
    enabled: e.enabled,
    ...(e.disabledReason !== undefined && { disabledReason: e.disabledReason }),
    ...(e.disabledAt !== undefined && { disabledAt: iso(e.disabledAt) }),
    ...(e.failingSince !== undefined && { failingSince: iso(e.failingSince) }),
    ...(rotating && { previousSecretExpiresAt: iso(e.previousSecretExpiresAt) }),
    createdAt: iso(e.createdAt)!,
    updatedAt: iso(e.updatedAt)!,
  };
}

/** Whether the endpoint receives events of comments of `site`. */
export const coversSite = (e: EndpointRecord, site: string) => e.site === undefined || e.site === site;

/** Secrets to sign with now: the current one, and the previous one during its grace period. */
export function activeSecrets(e: EndpointRecord, now: number): string[] {
  const secrets = [e.secret];
  if (e.previousSecret && e.previousSecretExpiresAt !== undefined && e.previousSecretExpiresAt > now) secrets.push(e.previousSecret);
  return secrets;
}

const num = (s: string | undefined) => (s === undefined || s === '' ? undefined : Number(s));

function fromHash(h: Record<string, string>): EndpointRecord | null {
  if (!h.id) return null;
  return {
    id: h.id,
    url: h.url,
    ...(h.site !== undefined && { site: h.site }),
    events: JSON.parse(h.events),
    ...(h.description !== undefined && { description: h.description }),
    enabled: h.enabled === '1',
    ...(h.disabledReason !== undefined && { disabledReason: h.disabledReason }),
    ...(h.disabledAt !== undefined && { disabledAt: num(h.disabledAt) }),
    ...(h.failingSince !== undefined && { failingSince: num(h.failingSince) }),
    createdAt: Number(h.createdAt),
    updatedAt: Number(h.updatedAt),
    secret: h.secret,
    ...(h.previousSecret !== undefined && { previousSecret: h.previousSecret }),
    ...(h.previousSecretExpiresAt !== undefined && { previousSecretExpiresAt: num(h.previousSecretExpiresAt) }),
  };
}

export interface EndpointPatch {
  url?: string;
  events?: CommentEventType[];
  description?: string | null;
  enabled?: boolean;
}

/**
 * Webhook endpoints in Redis. Secrets are stored as they are, not hashed: every delivery is
 * signed with them, so the service must be able to read them back.
 */
export class EndpointStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly k: Keys,
  ) {
    defineScripts(redis, ['webhookUpdate', 'webhookFailed']);
  }

  async create(input: { url: string; site?: string; events: CommentEventType[]; description?: string }, now: number): Promise<EndpointRecord> {
    const id = `ep_${randomBytes(10).toString('hex')}`;
    const record: EndpointRecord = {
      id,
      url: input.url,
      ...(input.site !== undefined && { site: input.site }),
      events: input.events,
      ...(input.description !== undefined && { description: input.description }),
      enabled: true,
      createdAt: now,
      updatedAt: now,
      secret: generateSecret(),
    };
    const fields = ['id', id, 'url', input.url, 'events', JSON.stringify(input.events), 'enabled', '1', 'createdAt', String(now), 'updatedAt', String(now), 'secret', record.secret];
    if (input.description !== undefined) fields.push('description', input.description);
    if (input.site !== undefined) fields.push('site', input.site);
    await this.redis.multi().hset(this.k.webhookEndpoint(id), ...fields).zadd(this.k.webhookEndpoints, now, id).exec();
    return record;
  }

  async get(id: string): Promise<EndpointRecord | null> {
    return fromHash(await this.redis.hgetall(this.k.webhookEndpoint(id)));
  }

  async list(): Promise<EndpointRecord[]> {
    const ids = await this.redis.zrange(this.k.webhookEndpoints, 0, -1);
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.k.webhookEndpoint(id));
    const results = (await pipeline.exec()) ?? [];
    return results.map(([, h]) => fromHash((h ?? {}) as Record<string, string>)).filter((e): e is EndpointRecord => e !== null);
  }

  async update(id: string, patch: EndpointPatch, now: number): Promise<EndpointRecord | null> {
    const set: string[] = ['updatedAt', String(now)];
    const del: string[] = [];
    if (patch.url !== undefined) set.push('url', patch.url);
    if (patch.events !== undefined) set.push('events', JSON.stringify(patch.events));
    if (patch.description === null) del.push('description');
    else if (patch.description !== undefined) set.push('description', patch.description);
    if (patch.enabled !== undefined) {
      set.push('enabled', patch.enabled ? '1' : '0');
      // Enabling (again) gives the endpoint a fresh start: no reason left over, no failure streak.
      if (patch.enabled) del.push('disabledReason', 'disabledAt', 'failingSince');
      else del.push('disabledReason');
      if (!patch.enabled) set.push('disabledAt', String(now));
    }
    const applied = await this.redis.decorumWebhookUpdate(this.k.webhookEndpoint(id), set.length, ...set, ...del);
    return applied ? this.get(id) : null;
  }

  /** Removes the endpoint and its log index; the log entries themselves expire on their own. */
  async delete(id: string): Promise<boolean> {
    const res = await this.redis
      .multi()
      .del(this.k.webhookEndpoint(id))
      .zrem(this.k.webhookEndpoints, id)
      .del(this.k.webhookDeliveries(id))
      .exec();
    return Number(res?.[0]?.[1] ?? 0) > 0;
  }

  /** A new secret; the one it replaces keeps signing (alongside) for `graceMs`. */
  async rotateSecret(id: string, now: number, graceMs: number): Promise<{ secret: string; previousSecretExpiresAt: number } | null> {
    const current = await this.get(id);
    if (!current) return null;
    const secret = generateSecret();
    const expiresAt = now + graceMs;
    const applied = await this.redis.decorumWebhookUpdate(
      this.k.webhookEndpoint(id),
      8,
      'secret',
      secret,
      'previousSecret',
      current.secret,
      'previousSecretExpiresAt',
      String(expiresAt),
      'updatedAt',
      String(now),
    );
    return applied ? { secret, previousSecretExpiresAt: expiresAt } : null;
  }

  async recordSuccess(id: string): Promise<void> {
    await this.redis.hdel(this.k.webhookEndpoint(id), 'failingSince');
  }

  /** Returns true when this failure is the one that disabled the endpoint. */
  async recordFailure(id: string, now: number, disableAfterMs: number, reason: string): Promise<boolean> {
    return (await this.redis.decorumWebhookFailed(this.k.webhookEndpoint(id), now, disableAfterMs, reason)) === 1;
  }
}
