import type { CommentStatus } from '../domain/comment';

/**
 * Every Redis key the service creates, built in one place and all under the configured prefix,
 * so two deployments (or two test runs) can share one Redis without touching each other.
 */
export function keys(prefix: string) {
  const p = `${prefix}:`;
  return {
    prefix,
    /** BullMQ's own prefix: its queues live under ours. */
    bull: `${p}bull`,
    /**
     * A comment is a small hash (ids, status, times: short enough for Redis's compact listpack
     * encoding) plus one string for what is long: the body (text, author name, metadata, as JSON),
     * then, once decided, a newline and the packed verdict (store/verdict-codec.ts). Earlier
     * verdicts go to a history string. One long value would turn the whole hash into a hashtable
     * at about 100 bytes per field, and every key costs about 90 bytes of its own.
     */
    comment: (id: string) => `${p}comment:${id}`,
    commentBody: (id: string) => `${p}body:${id}`,
    commentHistory: (id: string) => `${p}history:${id}`,
    /**
     * Sorted sets, scored by submission time (ms), for the review queue and later listings. Every
     * comment is in exactly one status index; together they list all comments.
     */
    byStatus: (status: CommentStatus) => `${p}idx:status:${status}`,
    byArticle: (articleId: string) => `${p}idx:article:${articleId}`,
    byAuthor: (authorId: string) => `${p}idx:author:${authorId}`,
    /**
     * The dictionary of rule names (verdict evidence names rules by number): name to number and
     * number to name. Only ever grows, by the decide scripts; one entry per rule that ever fired.
     */
    ruleNumbers: `${p}rules:numbers`,
    ruleNames: `${p}rules:names`,
    /**
     * Automatic flags per category, counted per UTC day of submission (day number since the
     * epoch): the activity chart.
     */
    flagsPerDay: (day: number) => `${p}stats:flags:${day}`,
    /** Automatic decisions ever made: admission control reads the workers' rate from it. */
    autoDecisions: `${p}stats:auto-decisions`,
    /** Counts of one normalised text, for the spam rule's "posted again and again". */
    repeat: (digest: string) => `${p}repeat:${digest}`,
    /** Every decision, automatic or a moderator's, in order: webhooks and the dashboard read it. */
    events: `${p}events`,
    /** Pub/sub channel announcing decided comment ids, for `?wait=`. */
    decided: `${p}decided`,
    /** Webhook endpoints: a sorted set of ids by creation time, and one hash each (secrets included). */
    webhookEndpoints: `${p}webhooks:endpoints`,
    webhookEndpoint: (id: string) => `${p}webhooks:endpoint:${id}`,
    /** One endpoint's delivery log: delivery ids by creation time, newest kept. */
    webhookDeliveries: (endpointId: string) => `${p}webhooks:endpoint:${endpointId}:deliveries`,
    webhookDelivery: (id: string) => `${p}webhooks:delivery:${id}`,
    /** Every moderator decision (who, when, what, why): a stream never trimmed, the audit log. */
    audit: `${p}audit`,
    /** Moderator accounts: one hash each, plus lookups by email and by API key digest. */
    moderator: (id: string) => `${p}moderator:${id}`,
    moderatorsByEmail: `${p}moderators:by-email`,
    moderatorsByKey: `${p}moderators:by-key`,
    /** Moved on by every change to a key or an account, so caches of who a bearer key is can tell theirs is stale. */
    credentialsVersion: `${p}credentials:version`,
    /**
     * Scoped API keys: one hash each (name, scopes, site, createdAt and the key's SHA-256, never
     * the key), their ids by creation time, and the lookup from a key's digest to its id.
     */
    apiKey: (id: string) => `${p}apikey:${id}`,
    apiKeys: `${p}apikeys`,
    apiKeysByDigest: `${p}apikeys:by-digest`,
    /** A dashboard session, keyed by the SHA-256 of its cookie value (a dump of Redis holds no usable cookie). */
    session: (digest: string) => `${p}session:${digest}`,
    /** Failed sign-ins counted per email and per client address. */
    loginFailures: (scope: 'email' | 'ip', digest: string) => `${p}login-failures:${scope}:${digest}`,
    /** Comment submissions counted in the current rate-limit window, per key, author or address. */
    rateLimit: (scope: 'key' | 'author' | 'ip', id: string) => `${p}rate:${scope}:${id}`,
  };
}

export type Keys = ReturnType<typeof keys>;
