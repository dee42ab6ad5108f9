import { randomBytes } from 'node:crypto';
import type { Result } from 'ioredis';
import type { RedisClient } from '../redis';
import { z } from 'zod';
import { randomToken, sha256 } from '../auth/tokens';
import type { Keys } from './keys';
import { fieldsOf, RECORD_BY_LOOKUP } from './scripts';

export const ROLES = ['moderator', 'admin'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** A moderator as every surface shows one: never the password hash. */
export const ModeratorSchema = z.object({ id: z.string(), email: z.string(), role: RoleSchema, createdAt: z.string() });
export type Moderator = z.infer<typeof ModeratorSchema>;

/** The answer to creating an account: the personal API key is shown here and nowhere else. */
export const CreatedModeratorSchema = z.object({ moderator: ModeratorSchema, apiKey: z.string().regex(/^dk_/) });
export type CreatedModerator = z.infer<typeof CreatedModeratorSchema>;

export interface StoredModerator extends Moderator {
  passwordHash: string;
}

/** Claims the email, then writes the account and its key digest: all or nothing. Returns 0 when the email is taken. */
const CREATE_MODERATOR = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('HSET', KEYS[2], 'id', ARGV[2], 'email', ARGV[1], 'role', ARGV[3], 'passwordHash', ARGV[4], 'createdAt', ARGV[5])
redis.call('HSET', KEYS[3], ARGV[6], ARGV[2])
return 1
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    decorumCreateModerator(...args: (string | number)[]): Result<number, Context>;
    decorumRecordByLookup(...args: string[]): Result<string[], Context>;
  }
}

export class EmailTakenError extends Error {}

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** Moderator accounts and their personal API keys. */
export class ModeratorStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly k: Keys,
  ) {
    redis.defineCommand('decorumCreateModerator', { numberOfKeys: 3, lua: CREATE_MODERATOR });
    redis.defineCommand('decorumRecordByLookup', { numberOfKeys: 1, lua: RECORD_BY_LOOKUP });
  }

  /** Creates an account; returns it and its API key, which exists nowhere else afterwards. */
  async create(input: { email: string; role: Role; passwordHash: string }, now = new Date()): Promise<CreatedModerator> {
    const id = `mod_${randomBytes(9).toString('base64url')}`;
    const apiKey = `dk_${randomToken()}`;
    const email = normaliseEmail(input.email);
    const moderator: Moderator = { id, email, role: input.role, createdAt: now.toISOString() };
    const created = await this.redis.decorumCreateModerator(
      this.k.moderatorsByEmail,
      this.k.moderator(id),
      this.k.moderatorsByKey,
      email,
      id,
      input.role,
      input.passwordHash,
      moderator.createdAt,
      sha256(apiKey),
    );
    if (created !== 1) throw new EmailTakenError(`a moderator with email ${email} exists`);
    return { moderator, apiKey };
  }

  async get(id: string): Promise<StoredModerator | null> {
    return fromHash(await this.redis.hgetall(this.k.moderator(id)));
  }

  async getByEmail(email: string): Promise<StoredModerator | null> {
    const id = await this.redis.hget(this.k.moderatorsByEmail, normaliseEmail(email));
    return id ? this.get(id) : null;
  }

  /** In one round trip: auth asks on every request. */
  async getByApiKey(apiKey: string): Promise<StoredModerator | null> {
    return fromHash(fieldsOf(await this.redis.decorumRecordByLookup(this.k.moderatorsByKey, sha256(apiKey), this.k.moderator(''))));
  }

  async list(): Promise<Moderator[]> {
    const ids = await this.redis.hvals(this.k.moderatorsByEmail);
    const all = await Promise.all(ids.map((id) => this.get(id)));
    return all
      .filter((m): m is StoredModerator => m !== null)
      .map(({ passwordHash: _, ...m }) => m)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }
}

export const publicModerator = ({ passwordHash: _, ...m }: StoredModerator): Moderator => m;

function fromHash(h: Record<string, string>): StoredModerator | null {
  if (!h.id) return null;
  return { id: h.id, email: h.email, role: h.role as Role, createdAt: h.createdAt, passwordHash: h.passwordHash };
}
