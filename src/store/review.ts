import type { RedisClient } from '../redis';
import type { Comment, CommentStatus } from '../domain/comment';
import type { Category, Severity } from '../engine/categories';
import { CATEGORIES } from '../engine/categories';
import { COMMENT_STATUSES } from '../domain/comment';
import type { CommentStore } from './comments';
import type { Keys } from './keys';

export const REVIEW_ORDERS = ['oldest', 'newest', 'severity'] as const;

export interface ReviewFilter {
  status: CommentStatus | 'all';
  category?: Category;
  articleId?: string;
  authorId?: string;
  /** Only this site's comments (a key bound to a site); undefined: every site. */
  site?: string;
  /** Case-insensitive substring of the text. */
  q?: string;
  /** severity: the most severe flagged category first (high, medium, low, none), oldest first within each. */
  order: (typeof REVIEW_ORDERS)[number];
}

/**
 * Where a page ended: the last item's submission time and id (ties are ordered by id), and for
 * the severity order, the severity rank being walked.
 */
export interface Position {
  score: number;
  id: string;
  rank?: number;
}

export const encodeCursor = (p: Position) =>
  Buffer.from(JSON.stringify(p.rank === undefined ? [p.score, p.id] : [p.score, p.id, p.rank])).toString('base64url');

export function decodeCursor(cursor: string): Position | null {
  try {
    const [score, id, rank] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof score !== 'number' || !Number.isFinite(score) || typeof id !== 'string') return null;
    if (rank === undefined) return { score, id };
    return Number.isInteger(rank) && rank >= 0 && rank <= MAX_RANK ? { score, id, rank } : null;
  } catch {
    return null;
  }
}

const BATCH = 100;
/** A page with narrow filters may scan this many comments and stop, returning fewer items and a cursor to go on from. */
const MAX_SCANNED = 2000;

const RANK: Record<Severity, number> = { low: 1, medium: 2, high: 3 };
const MAX_RANK = 3;

/** 3 for a comment with a high-severity flag, 2 medium, 1 low, 0 none (held because a detector failed). */
export function severityRank(c: Comment): number {
  let rank = 0;
  for (const r of Object.values(c.verdict?.categories ?? {})) if (r.flagged && r.severity) rank = Math.max(rank, RANK[r.severity]);
  return rank;
}

interface Walk {
  items: { comment: Comment; at: Position }[];
  /** Where to go on from when the walk stopped early (enough items, or the scan budget spent); null when the index ran out. */
  next: Position | null;
  scanned: number;
}

/**
 * The review queue and the other listings: comments from one index in submission order, filtered.
 * The narrowest index drives the walk (an author's or an article's comments, else one status),
 * and the rest of the filter is checked on each comment. The cursor is a position (time, id), not
 * an offset, so decisions taken while a moderator pages through don't make items skip or repeat.
 * The severity order walks the index once per severity rank, most severe first.
 */
export class ReviewQuery {
  constructor(
    private readonly redis: RedisClient,
    private readonly k: Keys,
    private readonly store: CommentStore,
  ) {}

  async page(filter: ReviewFilter, limit: number, after: Position | null): Promise<{ items: Comment[]; next: Position | null }> {
    const key = filter.authorId
      ? this.k.byAuthor(filter.authorId)
      : filter.articleId
        ? this.k.byArticle(filter.articleId)
        : filter.status !== 'all'
          ? this.k.byStatus(filter.status)
          : COMMENT_STATUSES.map((st) => this.k.byStatus(st));
    const q = filter.q?.toLowerCase();
    const matches = (c: Comment) =>
      (filter.status === 'all' || c.status === filter.status) &&
      (!filter.site || c.site === filter.site) &&
      (!filter.articleId || c.articleId === filter.articleId) &&
      (!filter.authorId || c.author.id === filter.authorId) &&
      (!filter.category || c.verdict?.categories[filter.category]?.flagged === true) &&
      (!q || c.text.toLowerCase().includes(q));

    if (filter.order !== 'severity') {
      const w = await this.walk(key, filter.order === 'oldest', after, matches, limit, MAX_SCANNED);
      return { items: w.items.map((x) => x.comment), next: w.next };
    }
    // A cursor from another order has no rank: start from the top.
    const items: Comment[] = [];
    let budget = MAX_SCANNED;
    for (let rank = after?.rank ?? MAX_RANK; rank >= 0; rank--) {
      const from = after?.rank === rank ? after : null;
      const w = await this.walk(key, true, from, (c) => matches(c) && severityRank(c) === rank, limit - items.length, budget);
      items.push(...w.items.map((x) => x.comment));
      budget -= w.scanned;
      if (w.next) return { items, next: { ...w.next, rank } };
      // This rank is done; if the page is full, the next page starts at the next rank.
      if (items.length === limit && rank > 0) return { items, next: { score: 0, id: '', rank: rank - 1 } };
      if (budget <= 0 && rank > 0) return { items, next: { score: 0, id: '', rank: rank - 1 } };
    }
    return { items, next: null };
  }

  /** Up to `limit` matching comments after `after`; stops early when `budget` comments were scanned. */
  private async walk(key: string | string[], oldest: boolean, after: Position | null, matches: (c: Comment) => boolean, limit: number, budget: number): Promise<Walk> {
    const items: Walk['items'] = [];
    let scanned = 0;
    let lastSeen: Position | null = after;
    // An empty id means the start of a severity rank, not a position in it.
    const start = after && after.id !== '' ? after : null;
    const index = new MergedIndex(this.redis, typeof key === 'string' ? [key] : key, oldest, start ? String(start.score) : oldest ? '-inf' : '+inf');
    // A comment that changes status while the walk reads the status indexes may be met twice.
    const seen = new Set<string>();
    for (;;) {
      const positions: Position[] = [];
      const batch = await index.next();
      if (batch.length === 0) return { items, next: null, scanned };
      for (const p of batch) {
        // Same time as the cursor: Redis orders ties by id, so skip those at or before it.
        if (start && p.score === start.score && (oldest ? p.id <= start.id : p.id >= start.id)) continue;
        if (seen.has(p.id)) continue;
        seen.add(p.id);
        positions.push(p);
      }
      const comments = await this.store.getMany(positions.map((p) => p.id));
      for (let i = 0; i < positions.length; i++) {
        scanned++;
        lastSeen = positions[i];
        const c = comments[i];
        if (c && matches(c)) {
          items.push({ comment: c, at: positions[i] });
          // One more than asked says whether there is a next page.
          if (items.length > limit) return { items: items.slice(0, limit), next: items[limit - 1].at, scanned };
        }
      }
      if (scanned >= budget) return { items, next: lastSeen, scanned };
    }
  }

  async counts(): Promise<Record<CommentStatus, number>> {
    const pipeline = this.redis.pipeline();
    for (const s of COMMENT_STATUSES) pipeline.zcard(this.k.byStatus(s));
    const res = (await pipeline.exec()) ?? [];
    return Object.fromEntries(COMMENT_STATUSES.map((s, i) => [s, Number(res[i]?.[1] ?? 0)])) as Record<CommentStatus, number>;
  }

  /**
   * Comments per UTC day of submission over the last `days` days: by current status (ZCOUNT per
   * day on the status indexes) and flagged per category (the per-day counters the automatic decide
   * scripts keep), so it costs the same whatever the volume.
   */
  async perDay(days: number, now = Date.now()): Promise<{ days: string[]; byDecision: Record<string, number[]>; byCategory: Record<string, number[]> }> {
    const DAY = 86_400_000;
    const firstDay = Math.floor(now / DAY) * DAY - (days - 1) * DAY;
    const starts = Array.from({ length: days }, (_, i) => firstDay + i * DAY);
    const decisions = ['approved', 'held', 'rejected'] as const;
    const pipeline = this.redis.pipeline();
    for (const d of decisions) for (const s of starts) pipeline.zcount(this.k.byStatus(d), s, `(${s + DAY}`);
    for (const s of starts) pipeline.hmget(this.k.flagsPerDay(s / DAY), ...CATEGORIES);
    const res = ((await pipeline.exec()) ?? []).map(([err, n]) => {
      if (err) throw err;
      return n;
    });
    let i = 0;
    const take = () => starts.map(() => Number(res[i++]));
    const byDecision = Object.fromEntries(decisions.map((d) => [d, take()]));
    const perDay = res.slice(i) as (string | null)[][];
    const byCategory = Object.fromEntries(CATEGORIES.map((c, ci) => [c, perDay.map((counts) => Number(counts[ci] ?? 0))]));
    return { days: starts.map((s) => new Date(s).toISOString().slice(0, 10)), byDecision, byCategory };
  }
}

/**
 * Positions from one or more sorted sets in one order (time, then id, as Redis orders ties), read
 * BATCH at a time from each: the "all" listing merges the status indexes, which together hold
 * every comment once.
 */
class MergedIndex {
  private readonly sources: { key: string; buffer: Position[]; offset: number; done: boolean }[];

  constructor(
    private readonly redis: RedisClient,
    keys: string[],
    private readonly oldest: boolean,
    private readonly bound: string,
  ) {
    this.sources = keys.map((key) => ({ key, buffer: [], offset: 0, done: false }));
  }

  /** The next (up to) BATCH positions; empty when every index has run out. */
  async next(): Promise<Position[]> {
    const out: Position[] = [];
    while (out.length < BATCH) {
      // Refill before taking: an index read further could hold something earlier than the rest.
      for (const s of this.sources) if (s.buffer.length === 0 && !s.done) await this.fill(s);
      let best: (typeof this.sources)[number] | null = null;
      for (const s of this.sources) if (s.buffer.length > 0 && (best === null || this.precedes(s.buffer[0], best.buffer[0]))) best = s;
      if (best === null) break;
      out.push(best.buffer.shift()!);
    }
    return out;
  }

  private precedes(a: Position, b: Position): boolean {
    if (a.score !== b.score) return this.oldest ? a.score < b.score : a.score > b.score;
    return this.oldest ? a.id < b.id : a.id > b.id;
  }

  private async fill(s: (typeof this.sources)[number]): Promise<void> {
    const raw = this.oldest
      ? await this.redis.zrangebyscore(s.key, this.bound, '+inf', 'WITHSCORES', 'LIMIT', s.offset, BATCH)
      : await this.redis.zrevrangebyscore(s.key, this.bound, '-inf', 'WITHSCORES', 'LIMIT', s.offset, BATCH);
    s.offset += BATCH;
    for (let i = 0; i + 1 < raw.length; i += 2) s.buffer.push({ id: raw[i], score: Number(raw[i + 1]) });
    if (raw.length < BATCH * 2) s.done = true;
  }
}
