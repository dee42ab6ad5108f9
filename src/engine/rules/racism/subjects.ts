import { endingAt, type Marked, startingAt } from './marks';

/**
 * Who a stretch of the comment names: a people (a possible target), or an institution (which
 * may be criticised as such, and stops a later "they" from reaching a people named before it).
 */
export interface Subject {
  kind: 'people' | 'institution';
  /** Tokens [from, to). */
  from: number;
  to: number;
  /**
   * A people named so that a claim about it is not about all of it: the writer's own ("as a
   * Russian"), a handful ("two Syrians"), or a possessor ("Russians' demands").
   */
  notAll: boolean;
  /** Named as one member after a stereotype marker ("Typical Jew"). */
  stereotyped: boolean;
  /**
   * One word standing for its people ("every Chechen", "typical Russian"): a noun right after
   * it with no pause describes a person ("any Catholic rapist"), it is not said of the people.
   */
  single: boolean;
}

const DIGIT = /^\d/;

/** The group and institution mentions of the comment, in order, none overlapping. */
export function findSubjects(m: Marked): Subject[] {
  const out: Subject[] = [];
  const n = m.tokens.length;
  let i = 0;
  while (i < n) {
    // A subject starts with a vocabulary hit: a token where none starts is skipped.
    if (m.byFrom[i] === undefined) {
      i++;
      continue;
    }
    const s = subjectAt(m, i);
    if (s) {
      out.push(s);
      i = s.to;
    } else i++;
  }
  return out;
}

function subjectAt(m: Marked, i: number): Subject | null {
  const adjective = startingAt(m, i, 'adjective');
  if (adjective) {
    // "Syrian Muslim men": adjectives in a row, then the noun decides what they name.
    let j = adjective.to;
    for (let next = startingAt(m, j, 'adjective'); next; next = startingAt(m, j, 'adjective')) j = next.to;
    const institution = startingAt(m, j, 'institutionNoun');
    if (institution) return make(m, 'institution', i, institution.to);
    const noun = startingAt(m, j, 'people') ?? startingAt(m, j, 'group');
    if (noun) return make(m, 'people', i, noun.to);
    // "the Russian mentality": the adjective alone names the people the trait is pinned on.
    if (startingAt(m, j, 'essentialising')) return make(m, 'people', i, j);
  }
  const group = startingAt(m, i, 'group');
  if (group) return make(m, 'people', i, group.to);
  const member = startingAt(m, i, 'member') ?? adjective;
  if (member && (endingAt(m, 'quantifier', i) || endingAt(m, 'stereotype', i))) return { ...make(m, 'people', i, member.to), single: true };
  const institution = startingAt(m, i, 'institution');
  if (institution) return make(m, 'institution', i, institution.to);
  return null;
}

function make(m: Marked, kind: Subject['kind'], from: number, to: number): Subject {
  const before = from > 0 ? m.words[from - 1] : '';
  const specific =
    endingAt(m, 'specifier', from) !== undefined ||
    DIGIT.test(before) ||
    // "the two Syrians": a specifier one word back, over an article.
    (from > 1 && endingAt(m, 'specifier', from - 1) !== undefined && (before === 'the' || before === 'these' || before === 'those'));
  const self = endingAt(m, 'self', from) !== undefined;
  const stereotyped = endingAt(m, 'stereotype', from) !== undefined;
  return { kind, from, to, notAll: specific || self || isPossessor(m, to), stereotyped, single: false };
}

/** "Russians' demands", "Syria's": the group owns the noun after it, it is not the subject. */
function isPossessor(m: Marked, to: number): boolean {
  const last = m.tokens[to - 1];
  if (last.text.endsWith("'s")) return true;
  const after = m.text[last.end];
  return (after === "'" || after === '’') && !/\p{L}/u.test(m.text[last.end + 1] ?? '');
}
