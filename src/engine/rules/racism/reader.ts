import type { Finding } from '../../analyze';
import { maxSeverity, type Severity } from '../../categories';
import { negatedBetween, negatedGroup, reportedOrCondemned } from './exemptions';
import { endingAt, type Hit, type Marked, startingAt } from './marks';
import { findSubjects, type Subject } from './subjects';
import { type CompiledIdentity, type Mark, PREDICATE_KINDS, type PredicateKind } from './vocabulary';

/** A predicate found in the comment, with the kind it counts as. */
interface Predicate extends Hit {
  kind: PredicateKind;
  leading: boolean;
}

/** What the reader pins on one group: the predicates said of it. */
interface Claim {
  subject: Subject;
  predicates: Predicate[];
}

const KIND_OF = new Map<Mark, { kind: PredicateKind; leading: boolean }>([
  ...PREDICATE_KINDS.map((k) => [k, { kind: k, leading: false }] as const),
  ...PREDICATE_KINDS.map((k) => [`lead:${k}` as Mark, { kind: k, leading: true }] as const),
  ['vice', { kind: 'sweeping', leading: false }],
]);

/** How far after a leading predicate ("deport all", "never trust an") its group may come. */
const LEAD_REACH = 4;

/**
 * One comment's reading: its marks, predicates and subjects, and lookups by token so that each
 * predicate is paired in a few steps (a long comment can hold thousands of predicates).
 */
interface Reading {
  m: Marked;
  v: CompiledIdentity;
  predicates: Predicate[];
  /** Per token, the furthest end of a predicate covering it (-1: none). */
  coverEnd: number[];
  /** Per predicate start token, the longest predicate starting there. */
  predicateAt: (Predicate | undefined)[];
  subjects: Subject[];
  /** Per token index k, the last subject ending at or before k (-1: none). */
  lastSubjectBefore: number[];
  /** Per token index k, the first subject starting at or after k (-1: none). */
  firstSubjectFrom: number[];
}

/**
 * Identity attacks without slurs: a people (nationality, ethnicity, religion, gender, sexuality,
 * disability, migrants) and, in the same sentence, something dehumanising, essentialising,
 * sweeping or exclusionary said of all of it, also through "they" for a people named a sentence
 * or two before. Each attack gives two spans: the group's words and the predicate's words.
 */
export function readIdentityAttacks(m: Marked, v: CompiledIdentity): Finding[] {
  const r = prepare(m, v);
  const claims = new Map<Subject, Claim>();
  const add = (subject: Subject, p: Predicate) => {
    let c = claims.get(subject);
    if (!c) claims.set(subject, (c = { subject, predicates: [] }));
    c.predicates.push(p);
  };
  for (const p of r.predicates) {
    const subject = p.leading ? subjectAfter(r, p) : subjectBefore(r, p);
    if (subject) add(subject, p);
  }
  // "Typical Jew." needs no predicate: the stereotype marker and the pause are the claim.
  for (const s of r.subjects) {
    if (s.kind === 'people' && s.stereotyped && !s.notAll && pauseAfter(m, s.to) && !claims.has(s)) {
      const stereotype: Predicate = { mark: 'essentialising', from: s.from, to: s.from, kind: 'essentialising', leading: false };
      if (!reportedOrCondemned(m, m.sentence[s.from], s.from, s.from, s.to)) add(s, stereotype);
    }
  }
  const out: Finding[] = [];
  for (const c of claims.values()) toFindings(m, c, v, out);
  return out;
}

function prepare(m: Marked, v: CompiledIdentity): Reading {
  const n = m.tokens.length;
  const predicates = predicatesOf(m);
  const coverEnd = new Array<number>(n + 1).fill(-1);
  const predicateAt: (Predicate | undefined)[] = new Array(n + 1).fill(undefined);
  let reach = -1;
  let k = 0;
  for (const p of predicates) {
    for (; k < p.from; k++) coverEnd[k] = k < reach ? reach : -1;
    reach = Math.max(reach, p.to);
    const at = predicateAt[p.from];
    if (!at || p.to > at.to) predicateAt[p.from] = p;
  }
  for (; k < n; k++) coverEnd[k] = k < reach ? reach : -1;
  const subjects = findSubjects(m);
  const lastSubjectBefore = new Array<number>(n + 1).fill(-1);
  const firstSubjectFrom = new Array<number>(n + 1).fill(-1);
  for (let i = 0; i < subjects.length; i++) {
    lastSubjectBefore[subjects[i].to] = i;
    firstSubjectFrom[subjects[i].from] = i;
  }
  for (let t = 1; t <= n; t++) if (lastSubjectBefore[t] < 0) lastSubjectBefore[t] = lastSubjectBefore[t - 1];
  for (let t = n - 1; t >= 0; t--) if (firstSubjectFrom[t] < 0) firstSubjectFrom[t] = firstSubjectFrom[t + 1];
  return { m, v, predicates, coverEnd, predicateAt, subjects, lastSubjectBefore, firstSubjectFrom };
}

/**
 * The predicate hits in order, dropping one inside a longer one; vices only where two or more
 * are listed in the sentence.
 */
function predicatesOf(m: Marked): Predicate[] {
  const vicesIn = new Map<number, number>();
  for (const h of m.hits) if (h.mark === 'vice') vicesIn.set(m.sentence[h.from], (vicesIn.get(m.sentence[h.from]) ?? 0) + 1);
  const raw: Predicate[] = [];
  for (const h of m.hits) {
    const k = KIND_OF.get(h.mark);
    if (!k || (h.mark === 'vice' && (vicesIn.get(m.sentence[h.from]) ?? 0) < 2)) continue;
    raw.push({ mark: h.mark, from: h.from, to: h.to, kind: k.kind, leading: k.leading });
  }
  // By start, longest first: a predicate ending within one sorted before it lies inside it.
  raw.sort((a, b) => a.from - b.from || b.to - a.to);
  const kept: Predicate[] = [];
  let furthest = -1;
  let last: Predicate | undefined;
  for (const p of raw) {
    const same = last !== undefined && last.from === p.from && last.to === p.to;
    if (p.to <= furthest && !same) continue;
    if (same && last!.kind === p.kind) continue;
    kept.push(p);
    last = p;
    furthest = Math.max(furthest, p.to);
  }
  return kept;
}

/**
 * The people a trailing predicate is said of: the nearest group before it in its sentence, or,
 * when a pronoun is nearer (or inside the predicate: "in their blood"), the group that pronoun
 * refers back to. Null when the nearest is an institution, a group not meant whole, or the claim
 * is negated, interrupted, reported or condemned.
 */
function subjectBefore(r: Reading, p: Predicate): Subject | null {
  const { m, v } = r;
  const s = m.sentence[p.from];
  const si = r.lastSubjectBefore[p.from];
  let subject: Subject | null = si >= 0 ? r.subjects[si] : null;
  if (subject && (m.sentence[subject.from] !== s || p.from - subject.to > v.reach)) subject = null;
  const pronoun = pronounBefore(r, p, subject ? subject.to : Math.max(m.sentenceStart[s], p.from - v.reach)) ?? (subject ? null : ofThemAfter(r, p));
  if (pronoun) {
    if (pronoun.to <= p.from && (interrupted(r, pronoun.to, p.from) || !linked(r, pronoun.to, p))) return null;
    const referent = referentOf(r, pronoun);
    if (!referent || reportedOrCondemned(m, s, pronoun.from, p.from, p.to)) return null;
    return referent;
  }
  if (!subject || subject.kind !== 'people' || subject.notAll) return null;
  if (interrupted(r, subject.to, p.from) || negatedGroup(m, subject.from)) return null;
  if (!linked(r, subject.to, p)) return null;
  if (subject.single && p.from === subject.to && p.kind !== 'essentialising' && !pauseAfter(m, subject.to)) return null;
  if (reportedOrCondemned(m, s, subject.from, p.from, p.to)) return null;
  return subject;
}

/**
 * The last pronoun starting at or after token `from` and ending by the predicate's end. "their"
 * is the group inside a predicate ("in their blood") and before an inborn trait ("their
 * mentality"); before anything else it only owns it ("their slaves").
 */
function pronounBefore(r: Reading, p: Predicate, from: number): Hit | null {
  const { m } = r;
  for (let k = p.to - 1; k >= from; k--) {
    const list = m.byFrom[k];
    if (!list) continue;
    for (const h of list) {
      if (h.to > p.to) continue;
      if (h.mark === 'pronoun') return h;
      if (h.mark === 'possessive' && (h.from >= p.from || (h.to === p.from && p.kind === 'essentialising'))) return h;
    }
  }
  return null;
}

/** How far after a predicate "every one of them" may end. */
const OF_THEM_REACH = 4;

/**
 * A pronoun after "of" just after a predicate that has no group before it: "The Kurds?
 * Backstabbing snakes, every one of them." It refers back like one before the predicate.
 */
function ofThemAfter(r: Reading, p: Predicate): Hit | null {
  const { m } = r;
  const s = m.sentence[p.from];
  for (let k = p.to + 1; k <= p.to + OF_THEM_REACH && k < m.tokens.length && m.sentence[k] === s; k++) {
    if (m.words[k - 1] !== 'of') continue;
    const pronoun = startingAt(m, k, 'pronoun');
    if (pronoun) return pronoun;
  }
  return null;
}

/** A negation or a break ("who", "fleeing") between the group and the predicate. */
function interrupted(r: Reading, from: number, to: number): boolean {
  const { m, coverEnd } = r;
  if (negatedBetween(m, from, to, coverEnd)) return true;
  for (let k = from; k < to; k++) {
    const list = m.byFrom[k];
    if (!list) continue;
    for (const h of list) if (h.mark === 'break' && h.to <= to && coverEnd[h.from] < h.to) return true;
  }
  return false;
}

/**
 * Whether a sweeping or one-word dehumanising predicate is said of what stands before it: only
 * link words ("are all", "nothing but"), names, numbers and other predicates in between, or
 * such words after a copula ("Ukrainians flooding Poland are parasites"). Phrases ("breed
 * like", "mentally ill") and the other kinds need no link.
 */
function linked(r: Reading, from: number, p: Predicate): boolean {
  if (p.kind !== 'sweeping' && !(p.kind === 'dehumanising' && p.to - p.from === 1)) return true;
  if (linksUpTo(r, from, p.from)) return true;
  for (let c = p.from - 1; c >= from; c--) {
    const copula = startingAt(r.m, c, 'copula');
    if (copula) return linksUpTo(r, copula.to, p.from);
  }
  return false;
}

function linksUpTo(r: Reading, from: number, to: number): boolean {
  const { m } = r;
  let k = from;
  while (k < to) {
    const covered = startingAt(m, k, 'link') ?? r.predicateAt[k];
    if (covered) k = covered.to;
    else if (m.tokens[k].capitalized || /^\d/.test(m.words[k])) k++;
    else return false;
  }
  return true;
}

/** The people a pronoun refers back to: the last group or institution named before it, if a people. */
function referentOf(r: Reading, pronoun: Hit): Subject | null {
  const { m, v } = r;
  const i = r.lastSubjectBefore[pronoun.from];
  if (i < 0) return null;
  const last = r.subjects[i];
  if (m.sentence[pronoun.from] - m.sentence[last.from] > v.pronounReach) return null;
  if (last.kind !== 'people' || last.notAll || negatedGroup(m, last.from)) return null;
  return last;
}

/** The people a leading predicate ("deport all", "never trust an") is said of: the group just after it. */
function subjectAfter(r: Reading, p: Predicate): Subject | null {
  const { m } = r;
  const s = m.sentence[p.from];
  let target: Subject | null = null;
  const i = r.firstSubjectFrom[p.to];
  if (i >= 0) {
    const c = r.subjects[i];
    if (c.from - p.to <= LEAD_REACH && m.sentence[c.from] === s && onlyDeterminers(m, p.to, c.from)) target = c;
  }
  if (!target) {
    for (let k = p.to; k <= p.to + LEAD_REACH && k < m.tokens.length && m.sentence[k] === s; k++) {
      const pronoun = startingAt(m, k, 'pronoun');
      if (pronoun) {
        target = referentOf(r, pronoun);
        break;
      }
    }
  }
  if (!target || target.kind !== 'people' || target.notAll) return null;
  if (reportedOrCondemned(m, s, p.from, p.from, p.to)) return null;
  return target;
}

/** "deport all the", "never trust an": only quantifiers and link words between a leading predicate and its group. */
function onlyDeterminers(m: Marked, from: number, to: number): boolean {
  let k = from;
  while (k < to) {
    const covered = startingAt(m, k, 'quantifier') ?? startingAt(m, k, 'link');
    if (!covered) return false;
    k = covered.to;
  }
  return true;
}

/** Whether the group is followed by a pause (, : ; . ! ?) or the end of the comment. */
function pauseAfter(m: Marked, to: number): boolean {
  const text = m.text;
  let k = m.tokens[to - 1].end;
  while (k < text.length && text[k] === ' ') k++;
  return k === text.length || ',:;.!?…'.includes(text[k]);
}

/** The claim's spans: the group's words, then each run of predicate words, under the strongest kind. */
function toFindings(m: Marked, c: Claim, v: CompiledIdentity, out: Finding[]): void {
  let kind: PredicateKind = 'sweeping';
  let severity: Severity | null = null;
  for (const p of c.predicates) {
    if (PREDICATE_KINDS.indexOf(p.kind) < PREDICATE_KINDS.indexOf(kind)) kind = p.kind;
    severity = maxSeverity(severity, v.severity[p.kind]);
  }
  const rule = `identity/${kind}`;
  const at = (from: number, to: number): Finding => ({
    category: 'racism',
    severity: severity!,
    start: m.tokens[from].start,
    end: m.tokens[to - 1].end,
    rule,
  });
  const { subject } = c;
  // A stereotype marker is part of the claim's words: "Typical Jew".
  const marker = c.predicates.some((p) => p.to === p.from) ? endingAt(m, 'stereotype', subject.from) : undefined;
  out.push(at(marker ? marker.from : subject.from, subject.to));
  const runs = c.predicates.filter((p) => p.to > p.from).sort((a, b) => a.from - b.from);
  let run: [number, number] | null = null;
  for (const p of runs) {
    if (run && p.from - run[1] <= 2 && m.sentence[p.from] === m.sentence[run[0]]) run[1] = Math.max(run[1], p.to);
    else {
      if (run) out.push(at(run[0], run[1]));
      run = [p.from, p.to];
    }
  }
  if (run) out.push(at(run[0], run[1]));
}
