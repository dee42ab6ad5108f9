/**
 * Sentences of the seed news articles (../shared/seeds): on-topic news text about strikes, wars and
 * summits, which a comment saying the same thing must not be stopped for.
 */
import type { Category } from '../../src/engine';
import type { SeedSentence } from './data';
import { cell, code, percent, table } from './markdown';
import type { Section, Target } from './section';
import { describeEvidence, flaggedCategories, type Outputs, type Systems } from './systems';

/**
 * Two things in the seed files are flags docs/POLICY.md asks for, not false positives: the "Get Free
 * Netflix Logins" ad pasted into one article (docs/POLICY.md's own spam example), and Trump's quoted
 * "bulls—" (a masked swear, which the profanity section says to flag). A flag in the listed
 * category on those sentences is allowed; not flagging them is not counted here either.
 */
const POLICY_EXPECTED: readonly { pattern: RegExp; categories: readonly Category[] }[] = [
  {
    pattern: /Netflix|Limited slots available|No subscription required|Works on mobile, PC|Updated login details/,
    categories: ['spam'],
  },
  { pattern: /\bbulls—/, categories: ['profanity'] },
];

function allowedCategories(text: string): Set<Category> {
  return new Set(POLICY_EXPECTED.filter((e) => e.pattern.test(text)).flatMap((e) => e.categories));
}

interface ScoredSentence {
  s: SeedSentence;
  out: Outputs;
  allowed: Set<Category>;
}

/** Flags that are errors: Decorum's outside the allowed categories; a filter's unless profanity is allowed. */
const wronglyFlagged = {
  decorum: (x: ScoredSentence) => flaggedCategories(x.out.decorum).some((c) => !x.allowed.has(c)),
  badWords: (x: ScoredSentence) => x.out.badWords && !x.allowed.has('profanity'),
  obscenity: (x: ScoredSentence) => x.out.obscenity && !x.allowed.has('profanity'),
};

function where(s: SeedSentence): string {
  return code(`${s.file}:${s.line}`);
}

function flaggedList(rows: readonly [SeedSentence, string, boolean][]): string {
  if (rows.length === 0) return 'None.';
  return table(
    ['where', 'sentence', 'what fired', 'allowed by policy'],
    rows.map(([s, fired, allowed]) => [where(s), cell(s.text), cell(fired), allowed ? 'yes' : '**no**']),
  );
}

export function seedSection(sentences: readonly SeedSentence[], systems: Systems): Section {
  const scored: ScoredSentence[] = sentences.map((s) => ({ s, out: systems.run(s.text), allowed: allowedCategories(s.text) }));
  const n = scored.length;
  const systemRows = [
    { name: 'Decorum (any category flagged)', flagged: (x: ScoredSentence) => flaggedCategories(x.out.decorum).length > 0, wrong: wronglyFlagged.decorum },
    { name: 'bad-words', flagged: (x: ScoredSentence) => x.out.badWords, wrong: wronglyFlagged.badWords },
    { name: 'obscenity', flagged: (x: ScoredSentence) => x.out.obscenity, wrong: wronglyFlagged.obscenity },
  ];
  const summary = table(
    ['system', 'flagged', 'share', 'flagged wrongly', 'share wrongly'],
    systemRows.map(({ name, flagged, wrong }) => {
      const f = scored.filter(flagged).length;
      const w = scored.filter(wrong).length;
      return [name, String(f), percent(f, n), String(w), percent(w, n)];
    }),
  );

  const decorumFlagged = scored.filter((x) => flaggedCategories(x.out.decorum).length > 0);
  const expected = scored.filter((x) => x.allowed.size > 0);
  const caughtExpected = expected.filter((x) => [...x.allowed].some((c) => x.out.decorum.categories[c].flagged)).length;
  const wrong = scored.filter(wronglyFlagged.decorum).length;

  const markdown = [
    `## Seed-article sentences (${n} sentences of ${new Set(sentences.map((s) => s.file)).size} articles)`,
    `Each line of an article is split into sentences (ICU rules) and moderated alone. ${expected.length} sentences are the pasted ad or the quoted masked swear, which docs/POLICY.md says to flag; a flag in that category there is not an error (Decorum flags ${caughtExpected} of them so). The target counts the rest.`,
    summary,
    '### Decorum: flagged sentences',
    flaggedList(
      decorumFlagged.map((x) => [x.s, describeEvidence(x.out.decorum).join('; '), !wronglyFlagged.decorum(x)]),
    ),
    '### bad-words: flagged sentences',
    flaggedList(scored.filter((x) => x.out.badWords).map((x) => [x.s, systems.badWords.explain(x.s.text).join(', '), !wronglyFlagged.badWords(x)])),
    '### obscenity: flagged sentences',
    flaggedList(scored.filter((x) => x.out.obscenity).map((x) => [x.s, systems.obscenity.explain(x.s.text).join(', '), !wronglyFlagged.obscenity(x)])),
  ].join('\n\n');

  const target: Target = {
    name: 'Seed-article sentences flagged wrongly (Decorum)',
    issues: [3, 16],
    threshold: '≤ 1%',
    measured: `${percent(wrong, n)} (${wrong} of ${n}; ${decorumFlagged.length} flagged in all)`,
    pass: n === 0 ? null : wrong / n <= 0.01,
  };
  return { markdown, targets: [target] };
}
