import { z } from 'zod';
import { HttpProblem } from './problem';
import { CursorSeal } from './sealed-cursor';

/**
 * The one envelope of every list this API answers: a page of items, and the cursor of the next
 * page, null on the last. Cursors are opaque and sealed to the caller's scope (sealed-cursor.ts);
 * a client passes one back as ?cursor= and nothing else about it is promised.
 */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() }).strict();
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

// Empty query values (`?cursor=`) mean "not given", as a form with a blank field sends them.
const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);
export const OptionalQuery = <T extends z.ZodType>(t: T) => z.preprocess(blankToUndefined, t.optional());

/** ?limit= and ?cursor=, the same on every list; lists differ only in how many a page may hold. */
export function pageParams(limits: { default: number; max: number }) {
  return {
    limit: OptionalQuery(z.coerce.number().int().min(1).max(limits.max)).transform((l) => l ?? limits.default),
    cursor: OptionalQuery(z.string().max(600)),
  };
}

export function invalidCursor(): HttpProblem {
  const message = 'not a cursor this API returned to this key or account for this list';
  return new HttpProblem(422, 'Invalid request', `query cursor: ${message}`, { errors: [{ path: 'cursor', message }] });
}

/**
 * Issues and reads the cursors of one list. A cursor holds a position in the list (what the
 * list sorts by, ending in the item's id), so deleting or adding items between two pages makes
 * none skip or repeat.
 */
export class Pager {
  private readonly seal: CursorSeal;

  constructor(secret: string, purpose: string) {
    this.seal = new CursorSeal(secret, purpose);
  }

  /** The position a client's cursor names (null: the first page); a 422 for one not issued to `scope`. */
  open(cursor: string | undefined, scope: string): string | null {
    if (cursor === undefined) return null;
    const position = this.seal.open(cursor, scope);
    if (position === null) throw invalidCursor();
    return position;
  }

  cursor(position: string | null, scope: string): string | null {
    return position === null ? null : this.seal.seal(position, scope);
  }

  /** A page of a list held whole (a few hundred items at most), in `order` of `position`, after `after`. */
  page<T>(all: readonly T[], position: (item: T) => string, order: 'asc' | 'desc', limit: number, after: string | null, scope: string): Page<T> {
    const sign = order === 'asc' ? 1 : -1;
    const ranked = all.map((item) => ({ item, at: position(item) })).sort((a, b) => sign * (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    const rest = after === null ? ranked : ranked.filter((r) => sign * (r.at < after ? -1 : r.at > after ? 1 : 0) > 0);
    const taken = rest.slice(0, limit);
    const more = rest.length > limit;
    return { items: taken.map((r) => r.item), nextCursor: this.cursor(more ? taken[taken.length - 1].at : null, scope) };
  }
}

/** A position that sorts by creation time, then id: ISO times of one format compare as text. */
export const byCreation = (item: { createdAt: string; id: string }) => `${item.createdAt} ${item.id}`;

/** What a cursor is sealed to: the caller's site (one for every site that no site id can spell: ids have no '*'), and the list's parent when it has one. */
export const pageScope = (site: string | undefined, parent?: string) => (parent === undefined ? (site ?? '*') : `${site ?? '*'}/${parent}`);
