/**
 * The threat and identity suites (tests/fixtures/threats.jsonl, identity.jsonl): attacks written
 * like news comments (tags "threat", "identity", labelled violence or racism) beside clean
 * sentences on the same subjects (tag "news-clean", no labels).
 */
import { cell, code, percent, table } from './markdown';
import type { SuiteCase } from './data';
import { notMeasured, type Section, type Target } from './section';
import { describeEvidence, flaggedCategories, type Outputs, type Systems } from './systems';

export interface AttackSuite {
  /** The file as the report shows it. */
  file: string;
  /** Null when the file is absent. */
  cases: SuiteCase[] | null;
}

interface Scored {
  c: SuiteCase;
  out: Outputs;
}

const isAttack = (c: SuiteCase) => (c.tags.includes('threat') || c.tags.includes('identity')) && c.labels.length > 0;
const isClean = (c: SuiteCase) => c.tags.includes('news-clean') && c.labels.length === 0;
/** An attack is caught when every category it is labelled with is flagged. */
const caught = (s: Scored) => s.c.labels.every((l) => s.out.decorum.categories[l].flagged);
const flagged = (s: Scored) => flaggedCategories(s.out.decorum).length > 0;

function rows(name: string, attacks: readonly Scored[], clean: readonly Scored[]): string[][] {
  const n = (f: (s: Scored) => boolean, list: readonly Scored[]) => list.filter(f).length;
  return [
    [name, 'Decorum', `${n(caught, attacks)} of ${attacks.length}`, percent(n(caught, attacks), attacks.length), percent(clean.length - n(flagged, clean), clean.length)],
    [name, 'bad-words', `${n((s) => s.out.badWords, attacks)} of ${attacks.length}`, percent(n((s) => s.out.badWords, attacks), attacks.length), percent(n((s) => !s.out.badWords, clean), clean.length)],
    [name, 'obscenity', `${n((s) => s.out.obscenity, attacks)} of ${attacks.length}`, percent(n((s) => s.out.obscenity, attacks), attacks.length), percent(n((s) => !s.out.obscenity, clean), clean.length)],
  ];
}

export function attackSection(suites: readonly AttackSuite[], systems: Systems): Section {
  const present = suites.filter((s): s is AttackSuite & { cases: SuiteCase[] } => s.cases !== null);
  const absent = suites.filter((s) => s.cases === null).map((s) => code(s.file));
  const names = ['Threat and identity suite recall (Decorum, every labelled category flagged)', 'Threat and identity suite clean sentences not flagged (Decorum)'];
  if (present.length === 0) {
    return {
      markdown: `## Threat and identity suites\n\nSkipped: ${absent.join(' and ')} not found.`,
      targets: [notMeasured(names[0], '≥ 95%', 'suite files not found', [16]), notMeasured(names[1], '≥ 98%', 'suite files not found', [16])],
    };
  }
  const scored = present.map((s) => ({ file: s.file, cases: s.cases.map((c) => ({ c, out: systems.run(c.text) })) }));
  const all = scored.flatMap((s) => s.cases);
  const attacks = all.filter((s) => isAttack(s.c));
  const clean = all.filter((s) => isClean(s.c));
  const tableRows = [
    ...scored.flatMap((s) => rows(code(s.file), s.cases.filter((x) => isAttack(x.c)), s.cases.filter((x) => isClean(x.c)))),
    ...(scored.length > 1 ? rows('both', attacks, clean) : []),
  ];
  const missed = attacks.filter((s) => !caught(s));
  const wrong = clean.filter(flagged);
  const list = (title: string, xs: readonly Scored[], what: (s: Scored) => string) =>
    xs.length === 0 ? `${title}: none.` : `${title}:\n\n${table(['id', 'text', 'Decorum'], xs.map((s) => [code(s.c.id), cell(s.c.text), cell(what(s))]))}`;
  const recallShare = attacks.length === 0 ? null : (attacks.length - missed.length) / attacks.length;
  const cleanShare = clean.length === 0 ? null : (clean.length - wrong.length) / clean.length;
  const targets: Target[] = [
    {
      name: names[0],
      issues: [16],
      threshold: '≥ 95%',
      measured: percent(attacks.length - missed.length, attacks.length),
      pass: recallShare === null ? null : recallShare >= 0.95,
      ...(recallShare === null ? { why: 'no attack cases' } : {}),
    },
    {
      name: names[1],
      issues: [16],
      threshold: '≥ 98%',
      measured: percent(clean.length - wrong.length, clean.length),
      pass: cleanShare === null ? null : cleanShare >= 0.98,
      ...(cleanShare === null ? { why: 'no news-clean cases' } : {}),
    },
  ];
  const markdown = [
    `## Threat and identity suites (${attacks.length} attacks, ${clean.length} clean sentences)`,
    `Attacks are tagged threat or identity and labelled violence or racism; Decorum catches one when every labelled category is flagged, the npm filters when they flag it at all. Clean sentences (tag news-clean, no labels) must not be flagged in any category.${absent.length > 0 ? ` Not found, so not counted: ${absent.join(', ')}.` : ''}`,
    table(['file', 'system', 'attacks caught', 'recall', 'clean not flagged'], tableRows),
    list('Attacks Decorum misses', missed, (s) => `got: ${flaggedCategories(s.out.decorum).join(', ') || 'nothing'}`),
    list('Clean sentences Decorum flags', wrong, (s) => describeEvidence(s.out.decorum).join('; ')),
  ].join('\n\n');
  return { markdown, targets };
}
