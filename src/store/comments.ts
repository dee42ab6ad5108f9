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
  // The site joins the fingerprint only when it isn't the default, so comments stored before
  // sites existed keep their fingerprints (and their replays stay replays).
  const site = input.site !== undefined && input.site !== 'default' ? [input.site] : [];
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

function iso(ms: string | undefined): string | undefined {
  return ms ? new Date(Number(ms)).toISOString() : undefined;
}

/** The long parts of a comment, stored beside its hash as one JSON string. */
interface Body {
  text: string;
  authorName?: string;
  metadata?: Comment['metadata'];
}

/** A comment from its hash, body, verdict and history, as read together (null when it doesn't exist). */
function assemble(h: Record<string, string>, bodyJson: string | null, verdict: string | null, history: string | null): Comment | null {
  if (!h.status || bodyJson === null) return null;
  const body = JSON.parse(bodyJson) as Body;
  return {
    id: h.id,
    ...(h.site !== undefined && { site: h.site }),
    articleId: h.articleId,
    author: body.authorName !== undefined ? { id: h.authorId, name: body.authorName } : { id: h.authorId },
    text: body.text,
    ...(h.parentId !== undefined && { parentId: h.parentId }),
    ...(h.lang !== undefined && { lang: h.lang }),
    ...(body.metadata !== undefined && { metadata: body.metadata }),
    status: h.status as CommentStatus,
    submittedAt: iso(h.submittedAt)!,
    ...(h.decidedAt !== undefined && { decidedAt: iso(h.decidedAt) }),
    ...(verdict !== null && { verdict: unpackVerdict(verdict, body.text) }),
    ...(history !== null && { history: (JSON.parse(history) as unknown[]).map((v) => unpackVerdict(JSON.stringify(v), body.text)) }),
  };
}

/** Comments, their verdicts and their indexes in Redis. The only module that knows the layout. */
export class CommentStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly k: Keys,
  ) {
    redis.defineCommand('decorumCreateComment', { numberOfKeys: 6, lua: CREATE_COMMENT });
    redis.defineCommand('decorumDecide', { lua: DECIDE });
  }

  async create(id: string, input: CommentInput, now: number): Promise<CreateResult> {
    const fp = fingerprint(input);
    const fields: string[] = ['id', id, 'site', input.site ?? 'default', 'fingerprint', fp, 'articleId', input.articleId, 'authorId', input.author.id];
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
      this.k.all,
      this.k.commentBody(id),
      now,
      id,
      JSON.stringify(body),
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
    for (const id of ids) {
      pipeline.hgetall(this.k.comment(id)).get(this.k.commentBody(id)).get(this.k.commentVerdict(id)).get(this.k.commentHistory(id));
    }
    const res = (await pipeline.exec()) ?? [];
    for (const [err] of res) if (err) throw err;
    return ids.map((_, i) => {
      const [h, body, verdict, history] = res.slice(i * 4, i * 4 + 4).map(([, v]) => v);
      return assemble(h as Record<string, string>, body as string | null, verdict as string | null, history as string | null);
    });
  }

  /** What a moderation job needs, in one round trip. */
  async forModeration(id: string): Promise<{ text: string; status: CommentStatus } | null> {
    const res = (await this.redis.pipeline().hget(this.k.comment(id), 'status').get(this.k.commentBody(id)).exec()) ?? [];
    for (const [err] of res) if (err) throw err;
    const [status, body] = res.map(([, v]) => v as string | null);
    return status !== null && body !== null ? { text: (JSON.parse(body) as Body).text, status: status as CommentStatus } : null;
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
      this.k.commentVerdict(id),
      this.k.commentHistory(id),
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
