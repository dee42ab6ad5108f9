import { randomBytes } from 'node:crypto';
import type { Result } from 'ioredis';
import { fieldsOf, type RedisClient } from '../redis';
import { z } from 'zod';
import { randomToken, sha256 } from '../auth/tokens';
import { Secret } from '../domain/secret';
import { SiteSchema } from './api-keys';
import type { Keys } from './keys';
import { defineScripts } from './lua';

export const ROLES = ['moderator', 'admin'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** A moderator as every surface shows one: never the password hash. */
export const ModeratorSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: RoleSchema,
  /** The one site the account acts in; absent: every site. */
  site: SiteSchema.optional(),
  /** A disabled account can't sign in, and its key and sessions are refused. */
  disabled: z.boolean(),
  createdAt: z.string(),
});
export type Moderator = z.infer<typeof ModeratorSchema>;

/** The answer to creating an account or rotating its key: the personal API key (`secret`) is shown here and nowhere else. */
export const CreatedModeratorSchema = ModeratorSchema.extend({ secret: Secret('dk_') });
export type CreatedModerator = z.infer<typeof CreatedModeratorSchema>;

export interface StoredModerator extends Moderator {
  passwordHash: string;
  /**
   * Sessions remember the epoch they were created in; disabling the account or setting its
   * password moves it on, which ends every session from before.
   */
  epoch: number;
}

declare module 'ioredis' {
  interface RedisCommander<Context> {
    decorumCreateModerator(...args: (string | number)[]): Result<number, Context>;
    decorumRecordByLookup(...args: string[]): Result<string[], Context>;
    decorumReplaceModeratorKey(...args: string[]): Result<number, Context>;
    decorumDeleteModerator(...args: string[]): Result<number, Context>;
    decorumUpdateModerator(...args: string[]): Result<number, Context>;
    decorumUpgradePasswordHash(...args: string[]): Result<number, Context>;
  }
}

export class EmailTakenError extends Error {}

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export interface ModeratorChange {
  role?: Role;
  disabled?: boolean;
  passwordHash?: string;
}

/** Moderator accounts and their personal API keys. */
export class ModeratorStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly k: Keys,
  ) {
    defineScripts(redis, ['createModerator', 'recordByLookup', 'replaceModeratorKey', 'deleteModerator', 'updateModerator', 'upgradePasswordHash']);
  }

  /** Creates an account; returns it and its API key, which exists nowhere else afterwards. */
  async create(input: { email: string; role: Role; passwordHash: string; site?: string }, now = new Date()): Promise<CreatedModerator> {
    const id = `mod_${randomBytes(9).toString('base64url')}`;
    const apiKey = `dk_${randomToken()}`;
    const email = normaliseEmail(input.email);
    const moderator: Moderator = { id, email, role: input.role, ...(input.site !== undefined && { site: input.site }), disabled: false, createdAt: now.toISOString() };
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
      input.site ?? '',
    );
    if (created !== 1) throw new EmailTakenError(`a moderator with email ${email} exists`);
    return { ...moderator, secret: apiKey };
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

  /** Oldest first; only `site`'s accounts when it is given. */
  async list(site?: string): Promise<Moderator[]> {
    const ids = await this.redis.hvals(this.k.moderatorsByEmail);
    const all = await Promise.all(ids.map((id) => this.get(id)));
    return all
      .filter((m): m is StoredModerator => m !== null && (site === undefined || m.site === site))
      .map(publicModerator)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /**
   * Changes role, disabled state or password. Disabling or a new password ends the account's
   * sessions in the same step. False when there is no such account.
   */
  async update(id: string, change: ModeratorChange): Promise<boolean> {
    const set: string[] = [];
    if (change.role !== undefined) set.push('role', change.role);
    if (change.disabled !== undefined) set.push('disabled', change.disabled ? '1' : '0');
    if (change.passwordHash !== undefined) set.push('passwordHash', change.passwordHash);
    const endSessions = change.disabled === true || change.passwordHash !== undefined;
    return this.notify((await this.redis.decorumUpdateModerator(this.k.moderator(id), this.k.credentialsVersion, endSessions ? '1' : '0', ...set)) === 1);
  }

  /**
   * Stores a rehashed password without ending sessions: the same password under stronger
   * parameters, after a successful sign-in. Only if the hash is still the one that was checked,
   * so it can't undo a password change made in between.
   */
  async upgradePasswordHash(id: string, checked: string, upgraded: string): Promise<void> {
    const key = this.k.moderator(id);
    await this.redis.decorumUpgradePasswordHash(key, checked, upgraded);
  }

  /** A new personal key; the old one is refused from the next request on. Null when there is no such account. */
  async rotateKey(id: string): Promise<string | null> {
    const apiKey = `dk_${randomToken()}`;
    const done = await this.redis.decorumReplaceModeratorKey(this.k.moderator(id), this.k.moderatorsByKey, this.k.credentialsVersion, id, sha256(apiKey));
    return this.notify(done === 1) ? apiKey : null;
  }

  /** Removes the account: its key and sessions stop working from the next request on. */
  async delete(id: string): Promise<boolean> {
    return this.notify((await this.redis.decorumDeleteModerator(this.k.moderator(id), this.k.moderatorsByEmail, this.k.moderatorsByKey, this.k.credentialsVersion, id)) === 1);
  }

  private readonly changed: (() => void)[] = [];

  /** Called after this process changes an account or its key (other processes learn it from the credentials version). */
  onChange(fn: () => void): void {
    this.changed.push(fn);
  }

  private notify(done: boolean): boolean {
    if (done) this.changed.forEach((fn) => fn());
    return done;
  }
}

export const publicModerator = ({ passwordHash: _, epoch: __, ...m }: StoredModerator): Moderator => m;

function fromHash(h: Record<string, string>): StoredModerator | null {
  if (!h.id) return null;
  return {
    id: h.id,
    email: h.email,
    role: h.role as Role,
    ...(h.site && { site: h.site }),
    disabled: h.disabled === '1',
    createdAt: h.createdAt,
    passwordHash: h.passwordHash,
    epoch: Number(h.epoch ?? 0),
  };
}
