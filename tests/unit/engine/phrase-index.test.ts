import path from 'node:path';
import fc from 'fast-check';
import { loadSuite } from '../../../scripts/eval/data';
import { analyze } from '../../../src/engine/analyze';
import { buildPhraseIndex, matchEnd, phraseCandidates } from '../../../src/engine/phrases';
import { LiteralScanner } from '../../../src/engine/scan';
import { defaultPolicy } from '../../helpers/policy';

// The prefilter (prefilter.ts), the index over it (phrases.ts) and the trie scanner (scan.ts)
// promise to find exactly what a plain scan of the same patterns finds, only faster. Checked
// here against that plain scan, on generated text and on the project's own labelled comments.

const lex = defaultPolicy().lexicon;
/** Every pattern the index covers, in its order: the phrases, then the allow phrases. */
const patterns = [...lex.phrases.map((p) => p.re), ...(lex.allowPhrase ? [lex.allowPhrase] : [])];
const index = lex.phraseIndex;

const globals = new Map<RegExp, RegExp>();

/** Matches, left to right, a match's end being where the next may start: a global scan. */
function naive(re: RegExp, text: string): [number, number][] {
  let global = globals.get(re);
  if (!global) globals.set(re, (global = new RegExp(re.source, re.flags.replace('y', '') + 'g')));
  const out: [number, number][] = [];
  for (const m of text.matchAll(global)) if (m[0].length > 0) out.push([m.index, m.index + m[0].length]);
  return out;
}

/** The same, the way the engine runs a pattern: only at the candidates the index gives. */
function indexed(re: RegExp, text: string, candidates: number[] | null): [number, number][] {
  const out: [number, number][] = [];
  let from = 0;
  for (const c of candidates ?? []) {
    if (c < from) continue;
    const end = matchEnd(re, text, c);
    if (end <= c) continue;
    out.push([c, end]);
    from = end;
  }
  return out;
}

function expectSameMatches(text: string): void {
  const candidates = phraseCandidates(index, text);
  patterns.forEach((re, p) => {
    const want = naive(re, text);
    if (candidates[p] === null && want.length > 0) throw new Error(`pattern ${p} (${re.source.slice(0, 80)}) ruled out of "${text}", which it matches`);
    expect(indexed(re, text, candidates[p])).toEqual(want);
  });
}

/** Words the patterns are made of (after macro expansion), so generated text gets near matches. */
const vocabulary = [...new Set(patterns.flatMap((re) => re.source.match(/[a-z\u0430-\u044f\u0451']{2,}/g) ?? []))];
const filler = ['the', 'a', 'and', 'of', 'to', 'in', 'he', 'they', 'is', 'not', 'very', 'putin', 'syria', '.', ',', '!', '?'];
const word = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...vocabulary) },
  { weight: 3, arbitrary: fc.constantFrom(...filler) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('a', 'e', 'k', 'i', 'l', 's', "'", 'у', 'х'), minLength: 1, maxLength: 6 }) },
);
const phraseText = fc.array(word, { minLength: 1, maxLength: 30 }).map((words) => words.join(' '));

describe('the phrase index', () => {
  it('covers every pattern the policy has', () => {
    expect(patterns.length).toBeGreaterThan(50);
    expect(index.hasStarts.length).toBe(patterns.length);
    expect(vocabulary.length).toBeGreaterThan(200);
  });

  it('finds exactly the matches a plain scan finds, on generated text', () => {
    fc.assert(fc.property(phraseText, (text) => expectSameMatches(text)), { seed: 17, numRuns: 300 });
  });

  it('finds exactly the matches a plain scan finds, on the labelled comments', () => {
    const fixtures = ['suite.jsonl', 'threats.jsonl', 'identity.jsonl'].flatMap((f) => loadSuite(path.join(__dirname, '..', '..', 'fixtures', f)));
    expect(fixtures.length).toBeGreaterThan(1000);
    let matched = 0;
    for (const c of fixtures) {
      const text = analyze(c.text, lex).phraseText;
      expectSameMatches(text);
      if (patterns.some((re) => naive(re, text).length > 0)) matched++;
    }
    // The comparison means something only if many of these texts do match some pattern.
    expect(matched).toBeGreaterThan(150);
  });

  it('an index of arbitrary patterns agrees with a plain scan too', () => {
    const atom = fc.constantFrom('kill', 'you', 'him', 'go', 'home', 'back', 'x', 'yy', '[ab]', '\\w+', '[^ ]+', 'u');
    const source: fc.Arbitrary<string> = fc.letrec((tie) => ({
      node: fc.oneof(
        { weight: 4, arbitrary: atom },
        { weight: 2, arbitrary: fc.array(tie('node') as fc.Arbitrary<string>, { minLength: 2, maxLength: 3 }).map((xs) => xs.join(' ')) },
        { weight: 1, arbitrary: fc.array(tie('node') as fc.Arbitrary<string>, { minLength: 2, maxLength: 3 }).map((xs) => `(?:${xs.join('|')})`) },
        { weight: 1, arbitrary: (tie('node') as fc.Arbitrary<string>).map((x) => `(?:${x} )?`) },
      ),
    })).node;
    const text = fc.array(fc.constantFrom('kill', 'you', 'him', 'go', 'home', 'back', 'x', 'yy', 'a', 'b', 'ab', 'u', 'killyou'), { minLength: 1, maxLength: 12 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(fc.array(source, { minLength: 1, maxLength: 6 }), fc.array(text, { minLength: 1, maxLength: 5 }), (sources, texts) => {
        const idx = buildPhraseIndex(sources);
        const res = sources.map((s) => new RegExp(`(?<![^ ])(?:${s})(?![^ ])`, 'y'));
        for (const t of texts) {
          const candidates = phraseCandidates(idx, t);
          res.forEach((re, p) => expect(indexed(re, t, candidates[p])).toEqual(naive(re, t)));
        }
      }),
      { seed: 29, numRuns: 400 },
    );
  });
});

describe('the literal scanner', () => {
  it('reports every occurrence of every string, and nothing else', () => {
    const literal = fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' ', 'ё'), minLength: 1, maxLength: 5 }).map((s) => ` ${s}`);
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' ', 'ё', 'd'), maxLength: 40 });
    fc.assert(
      fc.property(fc.uniqueArray(literal, { minLength: 1, maxLength: 20 }), text, (literals, t) => {
        const scanner = new LiteralScanner(literals);
        const n = scanner.scan(t);
        const got = Array.from({ length: n }, (_, k) => `${scanner.hitIds[k]}@${scanner.hitEnds[k]}`).sort();
        const padded = ` ${t} `;
        const want: string[] = [];
        literals.forEach((l, id) => {
          for (let at = padded.indexOf(l); at !== -1; at = padded.indexOf(l, at + 1)) if (padded[at] === ' ') want.push(`${id}@${at + l.length - 1}`);
        });
        expect(got).toEqual(want.sort());
      }),
      { seed: 31, numRuns: 1000 },
    );
  });
});
