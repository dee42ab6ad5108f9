import { createHash } from 'node:crypto';
import type { Result } from 'ioredis';
import { fieldsOf, masters, type RedisClient } from '../redis';
import { type Comment, type CommentInput, type CommentStatus, DEFAULT_SITE } from '../domain/comment';
import type { Verdict } from '../engine/verdict';
import type { Keys } from './keys';
import { defineScripts } from './lua';
import { packVerdict, type StoredVerdict, unpackVerdict } from './verdict-codec';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    decorumCreateComment(...args: (string | number)[]): Result<[number, string, string], Context>;
    decorumDecideAuto(...args: (string | number)[]): Result<[number, string], Context>;
    decorumDecideAsModerator(...args: (string | number)[]): Result<[number, string], Context>;
    decorumRedecideUnderPolicy(...args: (string | number)[]): Result<[number, string], Context>;
    decorumReadComment(...args: string[]): Result<[string[], string | null, string | null, string[], (string | null)[]], Context>;
    decorumReadForModeration(...args: string[]): Result<[string | null, string | null, string | null, string | null], Context>;
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

/**
 * Who decides. 'auto': the worker, only on a queued comment. 'moderator': a person, at any time.
 * 'policy': a re-moderation under a new policy, only where the comment still has the automatic
 * verdict decided at `replaces` (never over a moderator's decision). The automatic kinds count
 * flags on the day the comment was submitted, so they carry `submittedAt` (ISO or epoch ms).
 */
export type Decider =
  | { mode: 'auto'; submittedAt: string | number }
  | { mode: 'moderator' }
  | { mode: 'policy'; replaces: string; submittedAt: string | number };

/** The decide scripts' reply codes (src/store/lua/decide*.lua). */
const APPLIED = 1;
const MISSING = -1;

const DAY_MS = 86_400_000;

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
    defineScripts(redis, ['createComment', 'decideAuto', 'decideAsModerator', 'redecideUnderPolicy', 'readComment', 'readForModeration']);
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
  async forModeration(id: string): Promise<{ text: string; status: CommentStatus; repeats: number; submittedAt: number } | null> {
    const [status, repeats, submittedAt, doc] = await this.redis.decorumReadForModeration(this.k.comment(id), this.k.commentBody(id));
    return status !== null && doc !== null
      ? { text: splitBody(doc).body.text, status: status as CommentStatus, repeats: Number(repeats ?? 0), submittedAt: Number(submittedAt) }
      : null;
  }

  /** Records a verdict, as `by` may (Decider). */
  async decide(id: string, verdict: Verdict, by: Decider): Promise<DecideResult> {
    const packed = packVerdict(verdict);
    const flagged = Object.entries(verdict.categories)
      .filter(([, r]) => r.flagged)
      .map(([c]) => c)
      .join(',');
    const byStatus = [this.k.byStatus('queued'), this.k.byStatus('approved'), this.k.byStatus('held'), this.k.byStatus('rejected')];
    const head = [verdict.decision, packed.json, Date.parse(verdict.decidedAt), id, this.k.decided, EVENTS_MAXLEN];
    const dictionary = [this.k.ruleNumbers, this.k.ruleNames];
    let reply: [number, string];
    if (by.mode === 'auto') {
      reply = await this.redis.decorumDecideAuto(
        this.k.comment(id), this.k.commentBody(id), this.k.events, ...byStatus, ...dictionary, this.dayCounters(by.submittedAt), this.k.autoDecisions,
        ...head, flagged, ...packed.names,
      );
    } else if (by.mode === 'moderator') {
      reply = await this.redis.decorumDecideAsModerator(
        this.k.comment(id), this.k.commentBody(id), this.k.commentHistory(id), this.k.events, ...byStatus, ...dictionary, this.k.audit,
        ...head, verdict.decidedBy, verdict.reason ?? '', ...packed.names,
      );
    } else {
      reply = await this.redis.decorumRedecideUnderPolicy(
        this.k.comment(id), this.k.commentBody(id), this.k.commentHistory(id), this.k.events, ...byStatus, ...dictionary, this.dayCounters(by.submittedAt),
        ...head, Date.parse(by.replaces), flagged, ...packed.names,
      );
    }
    const [code, status] = reply;
    if (code === MISSING) return { outcome: 'missing' };
    if (code !== APPLIED) return { outcome: 'already-decided', status: status as CommentStatus };
    return { outcome: 'applied', previous: status as CommentStatus };
  }

  /** The activity chart's counters for the day (since the epoch, UTC) a comment was submitted. */
  private dayCounters(submittedAt: string | number): string {
    const ms = typeof submittedAt === 'number' ? submittedAt : Date.parse(submittedAt);
    return this.k.flagsPerDay(Math.floor(ms / DAY_MS));
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
