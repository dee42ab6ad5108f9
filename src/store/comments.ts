import { createHash } from 'node:crypto';
import type { Result } from 'ioredis';
import { masters, type RedisClient } from '../redis';
import { type Comment, type CommentInput, type CommentStatus, DEFAULT_SITE } from '../domain/comment';
import type { Verdict } from '../engine/verdict';
import type { Keys } from './keys';
import { CREATE_COMMENT, DECIDE, fieldsOf, READ_COMMENT, READ_FOR_MODERATION } from './scripts';
import { packVerdict, type StoredVerdict, unpackVerdict } from './verdict-codec';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    decorumCreateComment(...args: (string | number)[]): Result<[number, string, string], Context>;
    decorumDecide(...args: (string | number)[]): Result<[number, string], Context>;
    decorumReadComment(...args: string[]): Result<[string[], string | null, string | null, string[], (string | null)[]], Context>;
    decorumReadForModeration(...args: string[]): Result<[string | null, string | null, string | null], Context>;
  }
}

export type CreateResult =
  | { outcome: 'created'; status: 'queued' }
  | { outcome: 'exists'; status: CommentStatus }
  | { outcome: 'conflict'; status: CommentStatus };

export type DecideResult =
  | { outcome: 'applied'; previous: CommentStatus }
  | { outcome: 'already-decided'; status: CommentStatus }
  | { outcome: 'missing' };

/** How many events the stream keeps (approximately); consumers must keep up within that. */
const EVENTS_MAXLEN = 100_000;
const REPEAT_WINDOW_S = 24 * 60 * 60;

/** The same content, whatever order the client's JSON keys came in. */
function fingerprint(input: CommentInput): string {
  // The site joins the fingerprint only when it isn't the default, so comments stored before
  // sites existed keep their fingerprints (and their replays stay replays).
  const site = input.site !== undefined && input.site !== DEFAULT_SITE ? [input.site] : [];
  const canonical = JSON.stringify([
    ...site,
    input.articleId,
    input.author.id,
    input.author.name ?? null,
    input.text,
    input.parentId ?? null,
    input.lang ?? null,
    input.metadata ? Object.entries(input.metadata).sort(([a], [b]) => a.localeCompare(b)) : null,
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 22);
}

/**
 * Which texts count as the same for the spam rule's "posted again and again": normalised loosely
 * (case, spacing), so trivial edits don't dodge it.
 */
function repeatDigest(text: string): string {
  return createHash('sha256').update(text.toLowerCase().replace(/\s+/g, ' ').trim()).digest('base64url').slice(0, 22);
}

function iso(ms: string | undefined): string | undefined {
  return ms ? new Date(Number(ms)).toISOString() : undefined;
}

/** The long parts of a comment, stored beside its hash as one JSON string. */
interface Body {
  text: string;
  authorName?: string;
  metadata?: Comment['metadata'];
}

/** The body string holds the body JSON, then, once decided, a newline and the packed verdict. */
function splitBody(doc: string): { body: Body; verdict: StoredVerdict | null } {
  const nl = doc.indexOf('\n');
  return nl < 0
    ? { body: JSON.parse(doc) as Body, verdict: null }
    : { body: JSON.parse(doc.slice(0, nl)) as Body, verdict: JSON.parse(doc.slice(nl + 1)) as StoredVerdict };
}

/** A comment as READ_COMMENT returns it (null when it doesn't exist). */
function assemble(id: string, read: [string[], string | null, string | null, string[], (string | null)[]]): Comment | null {
  const [flat, doc, history, numbers, names] = read;
  const h = fieldsOf(flat);
  if (!h.status || doc === null) return null;
  const { body, verdict } = splitBody(doc);
  const dictionary = new Map(numbers.map((n, i) => [Number(n), names[i]]));
  // Only a dictionary emptied by hand can lack a name: show that rather than fail the read.
  const ruleName = (n: number) => dictionary.get(n) ?? `unknown-${n}`;
  const decidedAt = h.decidedAt !== undefined ? Number(h.decidedAt) : undefined;
  return {
    id,
    site: h.site ?? DEFAULT_SITE,
    articleId: h.articleId,
    author: body.authorName !== undefined ? { id: h.authorId, name: body.authorName } : { id: h.authorId },
    text: body.text,
    ...(h.parentId !== undefined && { parentId: h.parentId }),
    ...(h.lang !== undefined && { lang: h.lang }),
    ...(body.metadata !== undefined && { metadata: body.metadata }),
    status: h.status as CommentStatus,
    submittedAt: iso(h.submittedAt)!,
    ...(decidedAt !== undefined && { decidedAt: new Date(decidedAt).toISOString() }),
    ...(verdict !== null && { verdict: unpackVerdict(verdict, body.text, decidedAt, ruleName) }),
    ...(history !== null && { history: (JSON.parse(history) as StoredVerdict[]).map((v) => unpackVerdict(v, body.text, undefined, ruleName)) }),
  };
}

/** Thrown at start when the prefix holds comments in a layout this version can't read. */
export class StoreLayoutError extends Error {}

/** Comments, their verdicts and their indexes in Redis. The only module that knows the layout. */
export class CommentStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly k: Keys,
  ) {
    redis.defineCommand('decorumCreateComment', { numberOfKeys: 6, lua: CREATE_COMMENT });
    redis.defineCommand('decorumDecide', { lua: DECIDE });
    redis.defineCommand('decorumReadComment', { numberOfKeys: 4, lua: READ_COMMENT });
    redis.defineCommand('decorumReadForModeration', { numberOfKeys: 2, lua: READ_FOR_MODERATION });
  }

  /**
   * Refuses a prefix written by Decorum 0.1 before 6 December 2026 (its `idx:all` index is the
   * mark): its verdicts are in strings this version doesn't read, so its comments would show
   * as decided without a verdict. Better one clear error at start than wrong answers later.
   */
  async checkLayout(): Promise<void> {
    if ((await this.redis.exists(`${this.k.prefix}:idx:all`)) === 1) {
      throw new StoreLayoutError(
        `Redis prefix "${this.k.prefix}" holds comments stored in an earlier layout (${this.k.prefix}:idx:all exists) that this version can't read; ` +
          'start with a new REDIS_PREFIX, or delete the old keys if they are not needed',
      );
    }
  }

  async create(id: string, input: CommentInput, now: number): Promise<CreateResult> {
    const fp = fingerprint(input);
    // The default site is the absence of one (a field less in every hash of a one-site deployment).
    const fields: string[] = ['fingerprint', fp, 'articleId', input.articleId, 'authorId', input.author.id];
    if (input.site !== undefined && input.site !== DEFAULT_SITE) fields.push('site', input.site);
    if (input.parentId !== undefined) fields.push('parentId', input.parentId);
    if (input.lang !== undefined) fields.push('lang', input.lang);
    const body: Body = {
      text: input.text,
      ...(input.author.name !== undefined && { authorName: input.author.name }),
      ...(input.metadata !== undefined && { metadata: input.metadata }),
    };
    const [created, existingFp, status] = await this.redis.decorumCreateComment(
      this.k.comment(id),
      this.k.byStatus('queued'),
      this.k.byArticle(input.articleId),
      this.k.byAuthor(input.author.id),
      this.k.commentBody(id),
      this.k.repeat(repeatDigest(input.text)),
      now,
      id,
      JSON.stringify(body),
      REPEAT_WINDOW_S,
      ...fields,
    );
    if (created === 1) return { outcome: 'created', status: 'queued' };
    return { outcome: existingFp === fp ? 'exists' : 'conflict', status: status as CommentStatus };
  }

  async get(id: string): Promise<Comment | null> {
    return (await this.getMany([id]))[0];
  }

  /** Several comments in one round trip, in the order asked; null where one is missing. */
  async getMany(ids: string[]): Promise<(Comment | null)[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.decorumReadComment(this.k.comment(id), this.k.commentBody(id), this.k.commentHistory(id), this.k.ruleNames);
    const res = (await pipeline.exec()) ?? [];
    return res.map(([err, read], i) => {
      if (err) throw err;
      return assemble(ids[i], read as Parameters<typeof assemble>[1]);
    });
  }

  /** What a moderation job needs, in one round trip: the text, the status, and how many others posted the same text (spam's "again and again"). */
  async forModeration(id: string): Promise<{ text: string; status: CommentStatus; repeats: number } | null> {
    const [status, repeats, doc] = await this.redis.decorumReadForModeration(this.k.comment(id), this.k.commentBody(id));
    return status !== null && doc !== null ? { text: splitBody(doc).body.text, status: status as CommentStatus, repeats: Number(repeats ?? 0) } : null;
  }

  /**
   * Records a verdict. 'auto': the worker's, only on a queued comment. 'moderator': a person's,
   * at any time. 'policy': a re-moderation under a new policy, only where the comment still has
   * the automatic verdict decided at `replaces` (never over a moderator's decision).
   */
  async decide(id: string, verdict: Verdict, mode: 'auto' | 'moderator' | 'policy', replaces?: string): Promise<DecideResult> {
    if (mode === 'policy' && replaces === undefined) throw new Error('a policy re-decision names the verdict it replaces');
    const flagged = Object.entries(verdict.categories)
      .filter(([, r]) => r.flagged)
      .map(([c]) => c);
    const keys = [
      this.k.comment(id),
      this.k.events,
      this.k.byStatus('queued'),
      this.k.byStatus('approved'),
      this.k.byStatus('held'),
      this.k.byStatus('rejected'),
      this.k.audit,
      this.k.commentBody(id),
      this.k.commentHistory(id),
      this.k.ruleNumbers,
      this.k.ruleNames,
    ];
    const packed = packVerdict(verdict);
    const [applied, status] = await this.redis.decorumDecide(
      keys.length,
      ...keys,
      mode,
      verdict.decision,
      packed.json,
      Date.parse(verdict.decidedAt),
      id,
      this.k.decided,
      EVENTS_MAXLEN,
      verdict.decidedBy,
      verdict.reason ?? '',
      replaces === undefined ? '' : Date.parse(replaces),
      this.k.flagsPerDay(''),
      packed.names.length,
      ...packed.names,
      ...flagged,
    );
    if (applied === -1) return { outcome: 'missing' };
    if (applied === 0) return { outcome: 'already-decided', status: status as CommentStatus };
    return { outcome: 'applied', previous: status as CommentStatus };
  }

  /**
   * Every comment id, a page at a time, in no particular order (re-moderation walks them all). A
   * SCAN of the comment hashes: it returns every comment that exists throughout, however many
   * change status meanwhile, which paging through the status indexes would not.
   */
  async *allIds(): AsyncGenerator<string[]> {
    const head = this.k.comment('');
    const pattern = `${head.replace(/[*?[\]\\]/g, '\\$&')}*`;
    for (const node of masters(this.redis)) {
      let cursor = '0';
      do {
        const [next, found] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        cursor = next;
        if (found.length > 0) yield found.map((key) => key.slice(head.length));
      } while (cursor !== '0');
    }
  }

  /**
   * Ids of comments in a status, oldest first (the review queue and the sweeper use this).
   * `offset` pages on, so comments the sweeper can't help (failed jobs) don't hide the rest.
   */
  async idsByStatus(status: CommentStatus, olderThan: number, limit: number, offset = 0): Promise<string[]> {
    return this.redis.zrangebyscore(this.k.byStatus(status), '-inf', olderThan, 'LIMIT', offset, limit);
  }
}
