/**
 * What a phrase pattern's matches must contain and start with, read from the pattern itself: a
 * pattern whose required strings are absent from a comment cannot match, so it is not run, and
 * one that can is tried only where a match can start (phrases.ts). Understands the subset the
 * lexicons use: literals, groups, alternation, quantifiers, character classes, escapes and
 * lookarounds; anything else makes the answer "unknown", which only costs speed, never a
 * missed match.
 */

type Node = (
  | { t: 'lit'; s: string }
  /** Any one character of a class too large to list; `space` if a space could be one. */
  | { t: 'any'; space: boolean }
  /** A character class small enough to list ([cs], [её]). */
  | { t: 'set'; chars: string[] }
  | { t: 'assert' }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; options: Node[] }
  | { t: 'rep'; node: Node; min: number; max: number }
) & {
  /** Computed once, when phraseFilter first needs it. */
  shape?: Shape;
  /** analyse() of the node, per context (before and after as two bits). */
  infos?: (Info | undefined)[];
};

/** Classes with more members than this ([a-z]) are read as "any character". */
const MAX_CLASS = 10;

/**
 * Groups already parsed, by their source: the macros of a lexicon expand to the same long
 * alternations in many patterns, and a shared node is analysed once per context.
 */
export type ParseCache = Map<string, Node>;

class Parser {
  private i = 0;
  /** For each "(", the index of its ")": a group already in the cache is not parsed again. */
  private readonly closing: Int32Array;

  constructor(
    private readonly src: string,
    private readonly cache: ParseCache = new Map(),
  ) {
    this.closing = closingParens(src);
  }

  parse(): Node {
    const node = this.alternation();
    if (this.i !== this.src.length) throw new Error('unbalanced');
    return node;
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0] : { t: 'alt', options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const item = this.quantified(this.atom());
      const last = items[items.length - 1];
      // Runs of plain characters are one node ("kill you"), which keeps the trees small.
      if (item.t === 'lit' && last?.t === 'lit' && !last.shape) last.s += item.s;
      else items.push(item.t === 'lit' ? { t: 'lit', s: item.s } : item);
    }
    return { t: 'seq', items };
  }

  private atom(): Node {
    const c = this.src[this.i++];
    if (c === '(') {
      const close = this.closing[this.i - 1];
      if (close < 0) throw new Error('unbalanced');
      let zeroWidth = false;
      if (this.src[this.i] === '?') {
        const ahead = this.src.slice(this.i, this.i + 3);
        if (ahead.startsWith('?:')) this.i += 2;
        else if (ahead.startsWith('?=') || ahead.startsWith('?!')) (this.i += 2), (zeroWidth = true);
        else if (ahead === '?<=' || ahead === '?<!') (this.i += 3), (zeroWidth = true);
        else throw new Error('unsupported group');
      }
      // A look-around only asserts; a group seen before is taken from the cache unparsed.
      const source = this.src.slice(this.i, close);
      const seen = zeroWidth ? undefined : this.cache.get(source);
      if (zeroWidth || seen) {
        this.i = close + 1;
        return seen ?? { t: 'assert' };
      }
      const inner = this.alternation();
      if (this.i !== close) throw new Error('unbalanced');
      this.i++;
      if (source.length >= 32) this.cache.set(source, inner);
      return inner;
    }
    if (c === '[') return this.charClass();
    if (c === '\\') {
      const e = this.src[this.i++];
      if (e === 'b' || e === 'B') return { t: 'assert' };
      if (e === 'p' || e === 'P') {
        this.i = this.src.indexOf('}', this.i) + 1;
        return { t: 'any', space: true };
      }
      if (/[dwS]/.test(e)) return { t: 'any', space: false };
      if (/[DWsnrtu0-9]/.test(e)) return { t: 'any', space: true };
      return { t: 'lit', s: e };
    }
    if (c === '.') return { t: 'any', space: true };
    if (c === '^' || c === '$') return { t: 'assert' };
    return { t: 'lit', s: c };
  }

  /** A class of plain characters and ranges ([cs], [0-9]) is listed; negations and escapes are "any". */
  private charClass(): Node {
    const from = this.i;
    while (this.i < this.src.length && this.src[this.i] !== ']') this.i += this.src[this.i] === '\\' ? 2 : 1;
    const body = this.src.slice(from, this.i);
    this.i++;
    if (body[0] === '^') return { t: 'any', space: !body.includes(' ') };
    if (body === '' || /[\\^\[\]]/.test(body) || [...body].some(isSurrogate)) return { t: 'any', space: true };
    const chars = new Set<string>();
    let space = false;
    for (let k = 0; k < body.length; k++) {
      if (body[k + 1] === '-' && k + 2 < body.length) {
        const [from, to] = [body.charCodeAt(k), body.charCodeAt(k + 2)];
        if (from <= 32 && to >= 32) space = true;
        for (let c = from; c <= to && chars.size <= MAX_CLASS; c++) chars.add(String.fromCharCode(c));
        k += 2;
      } else {
        chars.add(body[k]);
        if (body[k] === ' ') space = true;
      }
    }
    return chars.size <= MAX_CLASS ? { t: 'set', chars: [...chars] } : { t: 'any', space };
  }

  private quantified(node: Node): Node {
    const c = this.src[this.i];
    let min: number | null = null;
    let max = Infinity;
    if (c === '?') (min = 0), (max = 1);
    else if (c === '*') min = 0;
    else if (c === '+') min = 1;
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) return node;
      this.i += m[0].length - 1;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] ? Number(m[3]) : Infinity;
    }
    if (min === null) return node;
    this.i++;
    if (this.src[this.i] === '?') this.i++; // lazy
    return { t: 'rep', node, min, max };
  }
}

/** The index of the ")" closing each "(" (-1 where none does), read the way Parser reads. */
function closingParens(src: string): Int32Array {
  const closing = new Int32Array(src.length).fill(-1);
  const open: number[] = [];
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === '[') {
      i++;
      while (i < src.length && src[i] !== ']') i += src[i] === '\\' ? 2 : 1;
    } else if (c === '(') open.push(i);
    else if (c === ')' && open.length > 0) closing[open.pop()!] = i;
  }
  return closing;
}

function isSurrogate(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return c >= 0xd800 && c <= 0xdfff;
}

// ---------------------------------------------------------------------------------------------
// requiredLiterals: one set of strings, one of which every match contains.

const MAX_SET = 120;

function better(a: Set<string>, b: Set<string>): Set<string> {
  if (a.size !== b.size) return a.size < b.size ? a : b;
  const minLen = (s: Set<string>) => Math.min(...[...s].map((x) => x.length));
  return minLen(a) >= minLen(b) ? a : b;
}

function required(node: Node): Set<string> | null {
  switch (node.t) {
    case 'lit':
      return new Set([node.s]);
    case 'any':
    case 'set':
    case 'assert':
      return null;
    case 'rep':
      return node.min >= 1 ? required(node.node) : null;
    case 'alt': {
      const out = new Set<string>();
      for (const o of node.options) {
        const r = required(o);
        if (!r) return null;
        for (const s of r) out.add(s);
      }
      return out.size > MAX_SET ? null : out;
    }
    case 'seq': {
      // Adjacent literal characters are one string; any other item is a candidate on its own.
      let best: Set<string> | null = null;
      let run = '';
      const consider = (r: Set<string> | null) => {
        if (r && [...r].every((s) => s.trim().length >= 2)) best = best ? better(best, r) : r;
      };
      for (const item of node.items) {
        if (item.t === 'lit') {
          run += item.s;
          continue;
        }
        consider(run ? new Set([run]) : null);
        run = '';
        if (item.t !== 'assert') consider(required(item));
      }
      consider(run ? new Set([run]) : null);
      return best;
    }
  }
}

/** Strings one of which any match of `source` contains, or null when that can't be told. */
export function requiredLiterals(source: string): string[] | null {
  try {
    const r = required(new Parser(source).parse());
    return r ? [...r] : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// phraseFilter: what a phrase pattern needs, for the literal scan in phrases.ts. Several sets, all
// of which a match contains (an AND of ORs), and the strings a match can start with. Where a part
// of the pattern can only match a few strings ("(?:i|we) will"), they are spelled out whole, so
// "i will" is required rather than the weaker " will".

/** A part of a pattern is spelled out whole while it has at most this many strings. */
const MAX_EXACT = 64;
/** Shorter strings than this are not worth looking for. */
const MIN_LITERAL = 3;
/** Required strings are cut to this length. */
const MAX_LITERAL = 10;
/** A set of strings to look for with more members than this (a long list of names) is dropped. */
const MAX_GROUP = 240;

interface Info {
  /** Every string the part can match, when there are few; null otherwise. */
  exact: Set<string> | null;
  /** Sets of which every match of the part contains a member of each (with its context, see Context). */
  groups: Set<string>[];
  /** Strings one of which every match of the part starts with (see prefixOf); null when unknown. */
  prefix: Set<string> | null;
}

/**
 * Whether the character just before (after) a part's match is certainly a space. A required
 * string then gets that space, so "kill" inside "(?:i|we) will @harm_verb you" is looked for as
 * " kill ", a whole word, which is rarer than the letters and can be found from a word boundary.
 */
interface Context {
  before: boolean;
  after: boolean;
}

/** What every match of a part looks like at its edges. */
interface Shape {
  /** It can match the empty string. */
  empty: boolean;
  /** Every non-empty match starts (ends) with a space. */
  startsSpace: boolean;
  endsSpace: boolean;
}

function shape(node: Node): Shape {
  return (node.shape ??= computeShape(node));
}

function computeShape(node: Node): Shape {
  switch (node.t) {
    case 'lit':
      return { empty: node.s === '', startsSpace: node.s[0] === ' ', endsSpace: node.s.endsWith(' ') };
    case 'set': {
      const spaces = node.chars.every((c) => c === ' ');
      return { empty: false, startsSpace: spaces, endsSpace: spaces };
    }
    case 'any':
      return { empty: false, startsSpace: false, endsSpace: false };
    case 'assert':
      return { empty: true, startsSpace: true, endsSpace: true };
    case 'rep': {
      const inner = shape(node.node);
      return { ...inner, empty: node.min === 0 || inner.empty };
    }
    case 'alt': {
      const all = node.options.map(shape);
      return { empty: all.some((s) => s.empty), startsSpace: all.every((s) => s.startsSpace), endsSpace: all.every((s) => s.endsSpace) };
    }
    case 'seq': {
      const all = node.items.map(shape);
      const edge = (list: Shape[], key: 'startsSpace' | 'endsSpace') => {
        for (const s of list) {
          if (!s[key]) return false;
          if (!s.empty) return true;
        }
        return true;
      };
      return { empty: all.every((s) => s.empty), startsSpace: edge(all, 'startsSpace'), endsSpace: edge([...all].reverse(), 'endsSpace') };
    }
  }
}

/** The strings with the spaces their context guarantees. */
function inContext(strings: Set<string>, ctx: Context): Set<string> {
  if (!ctx.before && !ctx.after) return strings;
  const out = new Set<string>();
  for (const s of strings) out.add(`${ctx.before && s[0] !== ' ' ? ' ' : ''}${s}${ctx.after && !s.endsWith(' ') ? ' ' : ''}`);
  return out;
}

function product(a: Set<string>, b: Set<string>, max = MAX_EXACT): Set<string> | null {
  if (a.size * b.size > max) return null;
  const out = new Set<string>();
  for (const x of a) for (const y of b) out.add(x + y);
  return out;
}

/** The strings `lang` repeated min to max times, when there are few. */
function repeated(lang: Set<string>, min: number, max: number): Set<string> | null {
  if (max === Infinity) return null;
  const out = new Set<string>();
  let power: Set<string> | null = new Set(['']);
  for (let k = 0; k <= max; k++) {
    if (k >= min) for (const s of power) out.add(s);
    if (out.size > MAX_EXACT) return null;
    if (k < max) power = product(power, lang);
    if (!power) return null;
  }
  return out;
}

/** A set helps only when each member has something to look for besides spaces. */
function usable(group: Set<string> | null): group is Set<string> {
  if (!group || group.size === 0 || group.size > MAX_GROUP) return false;
  for (const s of group) if (s.replace(CUT, '').trim() === '') return false;
  return true;
}

/** The part's groups and its exact strings as one more; a new array (infos are shared). */
function groupsOf(info: Info, ctx: Context): Set<string>[] {
  const exact = info.exact && inContext(info.exact, ctx);
  return usable(exact) ? [...info.groups, exact] : [...info.groups];
}

/**
 * Strings every match of the part starts with. Those spelled out to their end (its exact
 * strings, short of a cut) can still be followed by what comes next; the others end in CUT.
 */
function prefixOf(info: Info): Set<string> | null {
  if (info.exact) return new Set([...info.exact].map(cut));
  if (!info.prefix) return null;
  return new Set([...info.prefix].map((s) => (s.endsWith(CUT) ? s : s + CUT)));
}

/** Marks a prefix that stops short of the match's end: nothing may be appended to it. */
const CUT = '\u0000';

/**
 * The string up to the end of its first word, or of its second when the first is short ("the",
 * "he", "you": a start that common would be tried everywhere), marked CUT; unchanged if it has
 * no such end yet. A prefix of a prefix is still one, and the sets stay small.
 */
function cut(s: string): string {
  const end = wordsEnd(s.endsWith(CUT) ? s.slice(0, -1) : s);
  return end === -1 ? s : s.slice(0, end + 1) + CUT;
}

/** A first word this short is followed by the next in a start. */
const SHORT_WORD = 4;

/** Index of the space that ends the start's word(s) in `s` (see cut), or -1. */
function wordsEnd(s: string): number {
  let i = 0;
  while (i < s.length && s[i] === ' ') i++;
  const first = i === s.length ? -1 : s.indexOf(' ', i);
  if (first === -1 || first - i > SHORT_WORD) return first;
  const second = first + 1 < s.length && s[first + 1] !== ' ' ? s.indexOf(' ', first + 1) : -1;
  return second;
}

/** The set cut back to first words only, when two words each made too many. */
function firstWords(set: Set<string>): Set<string> {
  const out = new Set<string>();
  for (const s of set) {
    const raw = s.endsWith(CUT) ? s.slice(0, -1) : s;
    let i = 0;
    while (i < raw.length && raw[i] === ' ') i++;
    const end = i === raw.length ? -1 : raw.indexOf(' ', i);
    out.add(end === -1 ? s : raw.slice(0, end + 1) + CUT);
  }
  return out;
}

function uncut(set: Set<string> | null): Set<string> | null {
  return set && new Set([...set].map((s) => (s.endsWith(CUT) ? s.slice(0, -1) : s)));
}

/** The group most likely to be absent from a comment: long members, then few of them. */
function strongest(groups: Set<string>[]): Set<string> {
  let best = groups[0];
  let bestLen = -1;
  for (const g of groups) {
    let len = Infinity;
    for (const s of g) len = Math.min(len, s.trim().length);
    if (len > bestLen || (len === bestLen && g.size < best.size)) {
      best = g;
      bestLen = len;
    }
  }
  return best;
}

function smallest(groups: Set<string>[]): Set<string> {
  return groups.reduce((a, b) => (b.size < a.size ? b : a));
}

/**
 * What a part of a pattern tells about its matches, in a context. Memoised on the node: shared
 * nodes (ParseCache) are analysed once, and nothing returned is changed afterwards.
 */
function analyse(node: Node, ctx: Context): Info {
  const key = (ctx.before ? 2 : 0) + (ctx.after ? 1 : 0);
  node.infos ??= [];
  return (node.infos[key] ??= analyseNode(node, ctx));
}

function analyseNode(node: Node, ctx: Context): Info {
  switch (node.t) {
    case 'lit':
      return { exact: new Set([node.s]), groups: [], prefix: null };
    case 'set':
      return { exact: new Set(node.chars), groups: [], prefix: null };
    case 'any':
      return { exact: null, groups: [], prefix: null };
    case 'assert':
      // Zero-width: it consumes nothing, so as a string it is the empty one.
      return { exact: new Set(['']), groups: [], prefix: null };
    case 'rep':
      return analyseRep(node, ctx);
    case 'alt':
      return analyseAlt(node.options, ctx);
    case 'seq':
      return analyseSeq(node.items, ctx);
  }
}

function analyseRep(node: Node & { t: 'rep' }, ctx: Context): Info {
  // Later repetitions follow earlier ones: their edges are the context there.
  const s = shape(node.node);
  const innerCtx = {
    before: ctx.before && (node.max <= 1 || (s.endsSpace && !s.empty)),
    after: ctx.after && (node.max <= 1 || (s.startsSpace && !s.empty)),
  };
  const inner = analyse(node.node, innerCtx);
  const exact = inner.exact && repeated(inner.exact, node.min, node.max);
  if (node.min === 0) return { exact, groups: [], prefix: null };
  return { exact, groups: groupsOf(inner, innerCtx), prefix: prefixOf(inner) };
}

function analyseAlt(nodes: Node[], ctx: Context): Info {
  const options = nodes.map((n) => analyse(n, ctx));
  let exact: Set<string> | null = new Set();
  let prefix: Set<string> | null = new Set();
  for (const o of options) {
    if (!o.exact || !exact) exact = null;
    else for (const s of o.exact) exact.add(s);
    const p = prefixOf(o);
    if (!p || !prefix || p.has('') || p.has(CUT)) prefix = null;
    else for (const s of p) prefix.add(s);
  }
  if (exact && exact.size > MAX_EXACT) exact = null;
  if (prefix && prefix.size > MAX_GROUP) prefix = firstWords(prefix);
  if (prefix && prefix.size > MAX_GROUP) prefix = null;
  return { exact, groups: altGroups(options, ctx), prefix };
}

/**
 * A match is a match of one option, so it has a member of one group of each option: the
 * strongest, unless together they are too many to look for.
 */
function altGroups(options: Info[], ctx: Context): Set<string>[] {
  const perOption = options.map((o) => groupsOf(o, ctx));
  if (perOption.some((groups) => groups.length === 0)) return [];
  for (const pick of [strongest, smallest]) {
    const union = new Set<string>();
    for (const groups of perOption) for (const s of pick(groups)) union.add(s);
    if (usable(union)) return [union];
  }
  return [];
}

/** The context of each item of a sequence, from its neighbours' edges and the sequence's own. */
function itemContexts(nodes: Node[], ctx: Context): Context[] {
  const shapesOf = nodes.map(shape);
  const before: boolean[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const prev = shapesOf[i - 1];
    before.push(i === 0 ? ctx.before : prev.endsSpace && (!prev.empty || before[i - 1]));
  }
  const after: boolean[] = new Array(nodes.length);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const next = shapesOf[i + 1];
    after[i] = i === nodes.length - 1 ? ctx.after : next.startsSpace && (!next.empty || after[i + 1]);
  }
  return nodes.map((_, i) => ({ before: before[i], after: after[i] }));
}

function analyseSeq(nodes: Node[], ctx: Context): Info {
  const contexts = itemContexts(nodes, ctx);
  const items = nodes.map((n, i) => analyse(n, contexts[i]));
  const groups: Set<string>[] = [];
  // Strings of consecutive spelled-out items [from, i), joined while there are few enough.
  let run: Set<string> = new Set(['']);
  let from = 0;
  let whole = true;
  const flush = (to: number) => {
    const strings = from < to ? inContext(run, { before: contexts[from].before, after: contexts[to - 1].after }) : run;
    if (usable(strings)) groups.push(strings);
    whole = false;
  };
  items.forEach((item, i) => {
    if (item.exact) {
      const joined = product(run, item.exact);
      if (joined) run = joined;
      else {
        flush(i);
        run = item.exact;
        from = i;
      }
      return;
    }
    flush(i);
    run = new Set(['']);
    from = i + 1;
    groups.push(...item.groups);
  });
  if (whole) return { exact: run, groups: [], prefix: null };
  flush(items.length);
  return { exact: null, groups, prefix: seqPrefix(items) };
}

/** Strings a match of the items starts with: spelled out from the left up to a cut. */
function seqPrefix(items: Info[]): Set<string> | null {
  let prefix: Set<string> = new Set(['']);
  for (const item of items) {
    const next = prefixOf(item);
    const joined = next && extend(prefix, next);
    if (!joined) break;
    prefix = joined;
    if ([...prefix].every((s) => s.endsWith(CUT))) break;
  }
  return prefix.has('') || prefix.has(CUT) ? null : prefix;
}

/** Each string not yet cut, followed by each of `next`, up to a cut. */
function extend(prefix: Set<string>, next: Set<string>): Set<string> | null {
  let open = 0;
  for (const x of prefix) if (!x.endsWith(CUT)) open++;
  // Past this many pairs the result would be cut back to first words anyway, if not dropped.
  if (open * next.size > MAX_PAIRS) return null;
  let out = new Set<string>();
  for (const x of prefix) {
    if (x.endsWith(CUT)) out.add(x);
    else for (const y of next) out.add(cut(x + y));
  }
  if (out.size > MAX_GROUP) out = firstWords(out);
  return out.size > MAX_GROUP ? null : out;
}

const MAX_PAIRS = 4 * MAX_GROUP;

/**
 * The group as strings that start at a word boundary (the scan walks from each space), cut to
 * MAX_LITERAL: "i will kill" becomes " will kill"; both are parts of a required string, so
 * required too. Null when some member has no space to start from.
 */
function aligned(group: Set<string>): string[] | null {
  const out = new Set<string>();
  for (const s of group) {
    const space = s.indexOf(' ');
    if (space === -1 || s.slice(space).trim() === '') return null;
    out.add(s.slice(space, space + MAX_LITERAL));
  }
  return [...out].sort();
}

/**
 * A part that matches nothing, or one word and the space after it: "(?:^|[^ ]+ )", "(?:[a-z']+ )?".
 * A pattern that starts with one is anchored on what follows, one word further on at most.
 */
function skipsOneWord(node: Node): boolean {
  switch (node.t) {
    case 'assert':
      return true;
    case 'lit':
      return node.s === '';
    case 'alt':
      return node.options.every(skipsOneWord);
    case 'rep':
      return node.min === 0 && node.max === 1 && skipsOneWord(node.node);
    case 'seq': {
      if (node.items.length === 0) return true;
      if (node.items.length === 1) return skipsOneWord(node.items[0]);
      const [word, space] = node.items;
      return node.items.length === 2 && space.t === 'lit' && space.s === ' ' && word.t === 'rep' && word.min >= 1 && isWordChar(word.node);
    }
    default:
      return false;
  }
}

function isWordChar(node: Node): boolean {
  if (node.t === 'any') return !node.space;
  if (node.t === 'set') return !node.chars.includes(' ');
  return false;
}

/** What phrases.ts looks for before it runs a phrase pattern. */
export interface PhraseFilter {
  /** Every match contains a member of each group. All strings start with a space. */
  groups: string[][];
  /** Every match starts with one of these (after the space before it), or null when that can't be told. */
  starts: string[] | null;
  /** How many words may come before the start: 0, or 1 for "(?:^|[^ ]+ )anchor". */
  lead: number;
}

/**
 * The filter of a phrase pattern, for a text padded with a space on each side. The spaces stand
 * for the token boundaries the phrase patterns are wrapped in, (?<![^ ]) and (?![^ ]), so "u"
 * becomes " u ", which "you" does not contain, and every start begins with the space before the
 * match. A pattern the parser can't read gets an empty filter: nothing is known.
 */
export function phraseFilter(source: string, cache?: ParseCache): PhraseFilter {
  let root: Node;
  try {
    root = new Parser(source, cache).parse();
  } catch {
    return { groups: [], starts: null, lead: 0 };
  }
  const edge: Node = { t: 'lit', s: ' ' };
  const top: Context = { before: false, after: false };
  const info = analyse({ t: 'seq', items: [edge, root, edge] }, top);
  const groups = groupsOf(info, top);
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const g of groups) {
    const members = aligned(g);
    // "in" or "'s" is in nearly every comment: such a group costs more to look for than it saves.
    if (!members || members.some((s) => s.length < MIN_LITERAL)) continue;
    const key = members.join('\u0000');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(members);
  }
  const starts = uncut(prefixOf(info));
  if (usable(starts)) return { groups: out, starts: [...starts].sort(), lead: 0 };
  const items = root.t === 'seq' ? root.items : [root];
  if (items.length > 1 && skipsOneWord(items[0])) {
    // The skipped word ends with a space, or there is none and the boundary is the space.
    const anchors = uncut(prefixOf(analyse({ t: 'seq', items: [edge, ...items.slice(1), edge] }, top)));
    if (usable(anchors)) return { groups: out, starts: [...anchors].sort(), lead: 1 };
  }
  return { groups: out, starts: null, lead: 0 };
}
