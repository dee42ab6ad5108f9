import { createHash } from 'node:crypto';
import type { Result } from 'ioredis';
import type { RedisClient } from '../redis';
import type { Comment, CommentInput, CommentStatus } from '../domain/comment';
import type { Verdict } from '../engine/verdict';
import type { Keys } from './keys';
import { CREATE_COMMENT, DECIDE } from './scripts';
import { packVerdict, unpackVerdict } from './verdict-codec';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    decorumCreateComment(...args: (string | number)[]): Result<[number, string, string], Context>;
    decorumDecide(...args: (string | number)[]): Result<[number, string], Context>;
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
  const canonical = JSON.stringify([
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

function iso(ms: string | undefined): string | undefined {
  return ms ? new Date(Number(ms)).toISOString() : undefined;
}

function fromHash(h: Record<string, string>): Comment | null {
  if (!h.status) return null;
  return {
    id: h.id,
    articleId: h.articleId,
    author: h.authorName !== undefined ? { id: h.authorId, name: h.authorName } : { id: h.authorId },
    text: h.text,
    ...(h.parentId !== undefined && { parentId: h.parentId }),
    ...(h.lang !== undefined && { lang: h.lang }),
    ...(h.metadata !== undefined && { metadata: JSON.parse(h.metadata) }),
    status: h.status as CommentStatus,
    submittedAt: iso(h.submittedAt)!,
    ...(h.decidedAt !== undefined && { decidedAt: iso(h.decidedAt) }),
    ...(h.verdict !== undefined && { verdict: unpackVerdict(h.verdict, h.text) }),
    ...(h.history !== undefined && { history: (JSON.parse(h.history) as unknown[]).map((v) => unpackVerdict(JSON.stringify(v), h.text)) }),
  };
}

/** Comments, their verdicts and their indexes in Redis. The only module that knows the layout. */
export class CommentStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly k: Keys,
  ) {
    redis.defineCommand('decorumCreateComment', { numberOfKeys: 5, lua: CREATE_COMMENT });
    redis.defineCommand('decorumDecide', { lua: DECIDE });
  }

  async create(id: string, input: CommentInput, now: number): Promise<CreateResult> {
    const fp = fingerprint(input);
    const fields: string[] = ['id', id, 'fingerprint', fp, 'articleId', input.articleId, 'authorId', input.author.id, 'text', input.text];
    if (input.author.name !== undefined) fields.push('authorName', input.author.name);
    if (input.parentId !== undefined) fields.push('parentId', input.parentId);
    if (input.lang !== undefined) fields.push('lang', input.lang);
    if (input.metadata !== undefined) fields.push('metadata', JSON.stringify(input.metadata));
    const [created, existingFp, status] = await this.redis.decorumCreateComment(
      this.k.comment(id),
      this.k.byStatus('queued'),
      this.k.byArticle(input.articleId),
      this.k.byAuthor(input.author.id),
      this.k.all,
      now,
      id,
      ...fields,
    );
    if (created === 1) return { outcome: 'created', status: 'queued' };
    return { outcome: existingFp === fp ? 'exists' : 'conflict', status: status as CommentStatus };
  }

  async get(id: string): Promise<Comment | null> {
    return fromHash(await this.redis.hgetall(this.k.comment(id)));
  }

  /** Several comments in one round trip, in the order asked; null where one is missing. */
  async getMany(ids: string[]): Promise<(Comment | null)[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.k.comment(id));
    const res = (await pipeline.exec()) ?? [];
    return res.map(([err, h]) => {
      if (err) throw err;
      return fromHash(h as Record<string, string>);
    });
  }

  /** What a moderation job needs, in one round trip. */
  async forModeration(id: string): Promise<{ text: string; status: CommentStatus } | null> {
    const [text, status] = await this.redis.hmget(this.k.comment(id), 'text', 'status');
    return text !== null && status !== null ? { text, status: status as CommentStatus } : null;
  }

  /**
   * Counts other comments with the same text in the last day (site-wide), recording this one.
   * Counts distinct comment ids (a HyperLogLog: small, and a retried job doesn't count twice).
   * Normalised loosely (case, spacing) so trivial edits don't dodge it.
   */
  async countRepeats(commentId: string, text: string): Promise<number> {
    const norm = text.toLowerCase().replace(/\s+/g, ' ').trim();
    const key = this.k.repeat(createHash('sha256').update(norm).digest('base64url').slice(0, 22));
    const res = await this.redis.multi().pfadd(key, commentId).pfcount(key).expire(key, REPEAT_WINDOW_S).exec();
    const count = Number(res?.[1]?.[1] ?? 1);
    return Math.max(0, count - 1);
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
    ];
    const [applied, status] = await this.redis.decorumDecide(
      keys.length,
      ...keys,
      mode,
      verdict.decision,
      packVerdict(verdict),
      Date.parse(verdict.decidedAt),
      id,
      this.k.decided,
      EVENTS_MAXLEN,
      verdict.decidedBy,
      verdict.reason ?? '',
      replaces ?? '',
      this.k.flagsPerDay(''),
      ...flagged,
    );
    if (applied === -1) return { outcome: 'missing' };
    if (applied === 0) return { outcome: 'already-decided', status: status as CommentStatus };
    return { outcome: 'applied', previous: status as CommentStatus };
  }

  /** Every comment id, oldest first, a page at a time (re-moderation walks them all). */
  async allIds(offset: number, limit: number): Promise<string[]> {
    return this.redis.zrange(this.k.all, offset, offset + limit - 1);
  }

  /**
   * Ids of comments in a status, oldest first (the review queue and the sweeper use this).
   * `offset` pages on, so comments the sweeper can't help (failed jobs) don't hide the rest.
   */
  async idsByStatus(status: CommentStatus, olderThan: number, limit: number, offset = 0): Promise<string[]> {
    return this.redis.zrangebyscore(this.k.byStatus(status), '-inf', olderThan, 'LIMIT', offset, limit);
  }
}
