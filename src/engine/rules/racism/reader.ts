import type { Finding } from '../../analyze';
import { maxSeverity, type Severity } from '../../categories';
import { negatedBetween, negatedGroup, reportedOrCondemned } from './exemptions';
import { type Hit, hitsOf, type Marked } from './marks';
import { findSubjects, type Subject } from './subjects';
import { type CompiledIdentity, type Mark, PREDICATE_KINDS, type PredicateKind } from './vocabulary';

/** A predicate found in the comment, with the kind it counts as. */
interface Predicate extends Hit {
  kind: PredicateKind;
  leading: boolean;
}

/** What the reader pins on one group: the predicates and where the claim starts in each sentence. */
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
 * Identity attacks without slurs: a people (nationality, ethnicity, religion, gender, sexuality,
 * disability, migrants) and, in the same sentence, something dehumanising, essentialising,
 * sweeping or exclusionary said of all of it, also through "they" for a people named a sentence
 * or two before. Each attack gives two spans: the group's words and the predicate's words.
 */
export function readIdentityAttacks(m: Marked, vocabulary: CompiledIdentity): Finding[] {
  const predicates = predicatesOf(m);
  const subjects = findSubjects(m);
  const claims = new Map<Subject, Claim>();
  const add = (subject: Subject, p: Predicate) => {
    let c = claims.get(subject);
    if (!c) claims.set(subject, (c = { subject, predicates: [] }));
    c.predicates.push(p);
  };
  for (const p of predicates) {
    const subject = p.leading ? subjectAfter(m, p, subjects, vocabulary) : subjectBefore(m, p, predicates, subjects, vocabulary);
    if (subject) add(subject, p);
  }
  // "Typical Jew." needs no predicate: the stereotype marker and the pause are the claim.
  for (const s of subjects) {
    if (s.kind === 'people' && s.stereotyped && !s.notAll && pauseAfter(m, s.to) && !claims.has(s)) {
      const stereotype: Predicate = { mark: 'essentialising', from: s.from, to: s.from, kind: 'essentialising', leading: false };
      if (!reportedOrCondemned(m, m.sentence[s.from], s.from, s.from, s.to)) add(s, stereotype);
    }
  }
  const out: Finding[] = [];
  for (const c of claims.values()) toFindings(m, c, vocabulary, out);
  return out;
}

/** The predicate hits, longest first where they overlap; vices only where two or more are listed. */
function predicatesOf(m: Marked): Predicate[] {
  const raw: Predicate[] = [];
  for (const h of m.hits) {
    const k = KIND_OF.get(h.mark);
    if (k) raw.push({ ...h, ...k });
  }
  const vicesIn = new Map<number, number>();
  for (const v of hitsOf(m, 'vice')) vicesIn.set(m.sentence[v.from], (vicesIn.get(m.sentence[v.from]) ?? 0) + 1);
  const kept: Predicate[] = [];
  for (const p of raw) {
    if (p.mark === 'vice' && (vicesIn.get(m.sentence[p.from]) ?? 0) < 2) continue;
    if (raw.some((o) => o !== p && o.from <= p.from && o.to >= p.to && o.to - o.from > p.to - p.from)) continue;
    if (kept.some((o) => o.from === p.from && o.to === p.to)) continue;
    kept.push(p);
  }
  return kept;
}

/**
 * The people a trailing predicate is said of: the nearest group before it in its sentence, or,
 * when a pronoun is nearer (or inside the predicate: "in their blood"), the group that pronoun
 * refers back to. Null when the nearest is an institution, a group not meant whole, or the claim
 * is negated, interrupted, reported or condemned.
 */
function subjectBefore(m: Marked, p: Predicate, predicates: readonly Predicate[], subjects: readonly Subject[], v: CompiledIdentity): Subject | null {
  const s = m.sentence[p.from];
  let subject: Subject | null = null;
  for (const c of subjects) {
    if (c.to > p.from) break;
    if (m.sentence[c.from] === s && p.from - c.to <= v.reach) subject = c;
  }
  let pronoun: Hit | null = null;
  for (const h of m.hits) {
    // "their" is the group inside a predicate ("in their blood") and before an inborn trait
    // ("their mentality"); before anything else it only owns it ("their slaves").
    if (h.mark !== 'pronoun' && !(h.mark === 'possessive' && (h.from >= p.from || (h.to === p.from && p.kind === 'essentialising')))) continue;
    if (m.sentence[h.from] !== s || h.to > p.to || p.from - h.to > v.reach) continue;
    if (!subject || h.from >= subject.to) pronoun = h;
  }
  if (pronoun) {
    if (pronoun.to <= p.from && (interrupted(m, pronoun.to, p.from, predicates) || !linked(m, pronoun.to, p, predicates))) return null;
    const referent = referentOf(m, pronoun, subjects, v);
    if (!referent || reportedOrCondemned(m, s, pronoun.from, p.from, p.to)) return null;
    return referent;
  }
  if (!subject || subject.kind !== 'people' || subject.notAll) return null;
  if (interrupted(m, subject.to, p.from, predicates) || negatedGroup(m, subject.from)) return null;
  if (!linked(m, subject.to, p, predicates)) return null;
  if (subject.single && p.from === subject.to && p.kind !== 'essentialising' && !pauseAfter(m, subject.to)) return null;
  if (reportedOrCondemned(m, s, subject.from, p.from, p.to)) return null;
  return subject;
}

/** A negation or a break ("who", "fleeing") between the group and the predicate. */
function interrupted(m: Marked, from: number, to: number, predicates: readonly Predicate[]): boolean {
  if (negatedBetween(m, from, to, predicates)) return true;
  for (const h of m.hits) {
    if (h.mark !== 'break' || h.from < from || h.to > to) continue;
    if (!predicates.some((p) => p.from <= h.from && p.to >= h.to)) return true;
  }
  return false;
}

/**
 * Whether a sweeping or one-word dehumanising predicate is said of what stands before it: only
 * link words ("are all", "nothing but"), names, numbers and other predicates in between, or
 * such words after a copula ("Ukrainians flooding Poland are parasites"). Phrases ("breed
 * like", "mentally ill") and the other kinds need no link.
 */
function linked(m: Marked, from: number, p: Predicate, predicates: readonly Predicate[]): boolean {
  if (p.kind !== 'sweeping' && !(p.kind === 'dehumanising' && p.to - p.from === 1)) return true;
  if (linksUpTo(m, from, p.from, predicates)) return true;
  for (let c = p.from - 1; c >= from; c--) {
    const copula = covering(m.hits, c, 'copula');
    if (copula) return linksUpTo(m, copula.to, p.from, predicates);
  }
  return false;
}

function linksUpTo(m: Marked, from: number, to: number, predicates: readonly Predicate[]): boolean {
  let k = from;
  while (k < to) {
    const covered = covering(m.hits, k, 'link') ?? covering(predicates, k);
    if (covered) k = covered.to;
    else if (m.tokens[k].capitalized || /^\d/.test(m.words[k])) k++;
    else return false;
  }
  return true;
}

/** The longest hit (of the mark, if given) starting at token k. */
function covering(hits: readonly Hit[], k: number, mark?: Mark): Hit | undefined {
  let best: Hit | undefined;
  for (const h of hits) if (h.from === k && (mark === undefined || h.mark === mark) && (!best || h.to > best.to)) best = h;
  return best;
}

/** The people a pronoun refers back to: the last group or institution named before it, if a people. */
function referentOf(m: Marked, pronoun: Hit, subjects: readonly Subject[], v: CompiledIdentity): Subject | null {
  let last: Subject | null = null;
  for (const c of subjects) {
    if (c.to > pronoun.from) break;
    if (m.sentence[pronoun.from] - m.sentence[c.from] <= v.pronounReach) last = c;
  }
  if (!last || last.kind !== 'people' || last.notAll || negatedGroup(m, last.from)) return null;
  return last;
}

/** The people a leading predicate ("deport all", "never trust an") is said of: the group just after it. */
function subjectAfter(m: Marked, p: Predicate, subjects: readonly Subject[], v: CompiledIdentity): Subject | null {
  const s = m.sentence[p.from];
  let target: Subject | null = null;
  for (const c of subjects) {
    if (c.from < p.to) continue;
    if (c.from - p.to <= LEAD_REACH && m.sentence[c.from] === s && onlyDeterminers(m, p.to, c.from)) target = c;
    break;
  }
  if (!target) {
    const pronoun = m.hits.find((h) => h.mark === 'pronoun' && h.from >= p.to && h.from - p.to <= LEAD_REACH && m.sentence[h.from] === s);
    if (pronoun) target = referentOf(m, pronoun, subjects, v);
  }
  if (!target || target.kind !== 'people' || target.notAll) return null;
  if (reportedOrCondemned(m, s, p.from, p.from, p.to)) return null;
  return target;
}

/** "deport all the", "never trust an": only quantifiers and link words between a leading predicate and its group. */
function onlyDeterminers(m: Marked, from: number, to: number): boolean {
  let k = from;
  while (k < to) {
    const covered = covering(m.hits, k, 'quantifier') ?? covering(m.hits, k, 'link');
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
  const stereotypeFrom = c.predicates.some((p) => p.to === p.from) ? subjectStart(m, subject) : subject.from;
  out.push(at(stereotypeFrom, subject.to));
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

function subjectStart(m: Marked, s: Subject): number {
  const marker = m.hits.find((h) => h.mark === 'stereotype' && h.to === s.from);
  return marker ? marker.from : s.from;
}
