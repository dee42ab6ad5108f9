import type { RedisClient } from '../redis';
import type { ApiKey, ApiKeyStore } from '../store/api-keys';
import type { Keys } from '../store/keys';
import type { ModeratorStore, StoredModerator } from '../store/moderators';

/** Who a bearer key belongs to: a moderator's personal key, a scoped API key, or neither. */
export interface KeyOwner {
  moderator: StoredModerator | null;
  apiKey: ApiKey | null;
}

export interface BearerKeySettings {
  /** How long a process goes without asking whether any key or account changed: the most a revocation can take to reach it. */
  recheckMs: number;
  /** Keys remembered per process; past it the cache starts over. */
  maxEntries: number;
  clock: () => number;
}

const DEFAULTS: BearerKeySettings = { recheckMs: 500, maxEntries: 10_000, clock: () => performance.now() };

/**
 * Looks up bearer keys for every request, remembering the owners it found, so a busy client
 * costs a round trip every `recheckMs` instead of two lookups per request. Every change to a key
 * or an account (revoked, rotated, deleted, disabled, a new role) moves a version counter in
 * the same Redis script that makes it; a process reads the counter at most every `recheckMs`
 * and forgets everything when it moved, so a revoked key stops working in every process within
 * that time, and at once in the process that revoked it. Unknown keys are not remembered: a key
 * created a moment ago works at once.
 */
export class BearerKeys {
  private readonly settings: BearerKeySettings;
  private readonly owners = new Map<string, KeyOwner>();
  private version: string | null = null;
  private checkedAt = -Infinity;
  private checking: Promise<void> | null = null;
  /** Moves on each time the cache is emptied, so a lookup that began before can't refill it with what it read. */
  private generation = 0;

  constructor(
    private readonly redis: RedisClient,
    private readonly k: Keys,
    private readonly moderators: ModeratorStore,
    private readonly apiKeys: ApiKeyStore,
    settings: Partial<BearerKeySettings> = {},
  ) {
    this.settings = { ...DEFAULTS, ...settings };
    // This process's own changes take effect at once; others' within recheckMs.
    moderators.onChange(() => this.forget());
    apiKeys.onChange(() => this.forget());
  }

  private forget(): void {
    this.owners.clear();
    this.generation++;
  }

  async owner(key: string): Promise<KeyOwner> {
    if (this.settings.clock() - this.checkedAt >= this.settings.recheckMs) {
      this.checking ??= this.recheck().finally(() => {
        this.checking = null;
      });
      await this.checking;
    }
    const known = this.owners.get(key);
    if (known) return known;
    const generation = this.generation;
    // Both kinds at once: a CMS's scoped key shouldn't wait for the moderator lookup to miss.
    const [moderator, apiKey] = await Promise.all([this.moderators.getByApiKey(key), this.apiKeys.getByKey(key)]);
    const found = { moderator, apiKey };
    if ((moderator || apiKey) && generation === this.generation) {
      if (this.owners.size >= this.settings.maxEntries) this.owners.clear();
      this.owners.set(key, found);
    }
    return found;
  }

  private async recheck(): Promise<void> {
    const version = await this.redis.get(this.k.credentialsVersion);
    this.checkedAt = this.settings.clock();
    if (version !== this.version) {
      this.version = version;
      this.forget();
    }
  }
}
