import { randomBytes } from 'node:crypto';
import type { Result } from 'ioredis';
import { z } from 'zod';
import { randomToken, sha256 } from '../auth/tokens';
import { Secret } from '../domain/secret';
import { fieldsOf, type RedisClient } from '../redis';
import type { Keys } from './keys';
import { defineScripts } from './lua';

export const SCOPES = ['comments:write', 'comments:read', 'moderate', 'admin'] as const;
export const ScopeSchema = z.enum(SCOPES);
export type Scope = z.infer<typeof ScopeSchema>;

/** A site id: the same alphabet as comment ids (it ends up in Redis values and URLs). */
export const SiteSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:@-]+$/, 'use letters, digits and . _ : @ - only');

/** An API key as every surface shows one: never the key, never its digest. */
export const ApiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(ScopeSchema),
  site: SiteSchema,
  createdAt: z.string(),
});
export type ApiKey = z.infer<typeof ApiKeySchema>;

/** The answer to creating a key: the key itself (`secret`) is shown here and nowhere else. */
export const CreatedApiKeySchema = ApiKeySchema.extend({ secret: Secret('dk_') });
export type CreatedApiKey = z.infer<typeof CreatedApiKeySchema>;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    decorumCreateApiKey(...args: (string | number)[]): Result<number, Context>;
    decorumRevokeApiKey(...args: (string | number)[]): Result<number, Context>;
  }
}

/** Scoped API keys, each bound to one site, stored by SHA-256 digest only. */
export class ApiKeyStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly k: Keys,
  ) {
    defineScripts(redis, ['createApiKey', 'revokeApiKey', 'recordByLookup']);
  }

  async create(input: { name: string; scopes: Scope[]; site: string }, now = new Date()): Promise<CreatedApiKey> {
    const id = `key_${randomBytes(9).toString('base64url')}`;
    const key = `dk_${randomToken()}`;
    const scopes = [...new Set(input.scopes)];
    const record: ApiKey = { id, name: input.name, scopes, site: input.site, createdAt: now.toISOString() };
    await this.redis.decorumCreateApiKey(
      this.k.apiKey(id),
      this.k.apiKeysByDigest,
      this.k.apiKeys,
      id,
      record.name,
      scopes.join(','),
      record.site,
      record.createdAt,
      sha256(key),
      now.getTime(),
    );
    return { ...record, secret: key };
  }

  async get(id: string): Promise<ApiKey | null> {
    return fromHash(await this.redis.hgetall(this.k.apiKey(id)));
  }

  /** The key's record, looked up by the key's digest (a hash lookup: nothing to time), in one round trip. */
  async getByKey(key: string): Promise<ApiKey | null> {
    return fromHash(fieldsOf(await this.redis.decorumRecordByLookup(this.k.apiKeysByDigest, sha256(key), this.k.apiKey(''))));
  }

  /** Oldest first. */
  async list(): Promise<ApiKey[]> {
    const ids = await this.redis.zrange(this.k.apiKeys, 0, -1);
    const all = await Promise.all(ids.map((id) => this.get(id)));
    return all.filter((k): k is ApiKey => k !== null);
  }

  /** Revokes a key: from the next request on, it is unknown. False when there was no such key. */
  async revoke(id: string): Promise<boolean> {
    const done = (await this.redis.decorumRevokeApiKey(this.k.apiKey(id), this.k.apiKeysByDigest, this.k.apiKeys, this.k.credentialsVersion, id)) === 1;
    if (done) this.changed.forEach((fn) => fn());
    return done;
  }

  private readonly changed: (() => void)[] = [];

  /** Called after this process revokes a key (other processes learn it from the credentials version). */
  onChange(fn: () => void): void {
    this.changed.push(fn);
  }
}

function fromHash(h: Record<string, string>): ApiKey | null {
  if (!h.id) return null;
  return { id: h.id, name: h.name, scopes: h.scopes ? (h.scopes.split(',') as Scope[]) : [], site: h.site, createdAt: h.createdAt };
}
