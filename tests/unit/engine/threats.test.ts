import path from 'node:path';
import { moderate } from '../../../src/engine';
import { matchAt, parsePattern, type Sentence } from '../../../src/engine/rules/violence/pattern';
import { ThreatLexiconSchema } from '../../../src/engine/rules/violence/schema';
import { loadSuite } from '../../../scripts/eval/data';
import { defaultPolicy } from '../../helpers/policy';

/**
 * The violence rule's clause reader against its own labelled cases (tests/fixtures/threats.jsonl):
 * threats in comments under news of the war in Ukraine, Syria and the US–Russia summits, and
 * clean sentences that discuss the same violence (reporting, past narration, negation, quotes
 * of others, idioms, policy calls). Half of each was written before the reader, half after
 * (tags written-before / written-after).
 */
const cases = loadSuite(path.join(__dirname, '..', '..', 'fixtures', 'threats.jsonl'));
const policy = defaultPolicy();
const violence = (text: string) => moderate(text, policy).categories.violence;

const threats = cases.filter((c) => c.tags.includes('threat'));
const clean = cases.filter((c) => c.tags.includes('news-clean'));

it('has at least 120 threats and 120 clean news sentences, each labelled to match its tag', () => {
  expect(threats.length).toBeGreaterThanOrEqual(120);
  expect(clean.length).toBeGreaterThanOrEqual(120);
  for (const c of threats) expect(c.labels).toEqual(['violence']);
  for (const c of clean) expect(c.labels).toEqual([]);
});

it('flags at least 95% of the threats as violence', () => {
  const missed = threats.filter((c) => !violence(c.text).flagged).map((c) => c.id);
  expect((threats.length - missed.length) / threats.length).toBeGreaterThanOrEqual(0.95);
});

it('leaves at least 98% of the clean news sentences unflagged for violence', () => {
  const wrong = clean.filter((c) => violence(c.text).flagged).map((c) => c.id);
  expect((clean.length - wrong.length) / clean.length).toBeGreaterThanOrEqual(0.98);
});

describe("the issue's examples", () => {
  /** The one piece of evidence, checked to be the words of the threat and nothing more. */
  const evidenceOf = (text: string) => {
    const v = violence(text);
    expect(v.flagged).toBe(true);
    for (const e of v.evidence) expect(text.slice(e.start, e.end)).toBe(e.text);
    return v;
  };

  it('"watch his back" and "accidents happen to people like him" are veiled threats', () => {
    const text = "He'd better watch his back. Accidents happen to people like him.";
    const v = evidenceOf(text);
    expect(v.evidence.map((e) => [e.text, e.rule])).toEqual([
      ['watch his back', 'threat/euphemism'],
      ['Accidents happen to people', 'threat/euphemism'],
    ]);
    expect(v.severity).toBe('medium');
  });

  it('"takes Putin out" under a wish is a threat, from the wish to the target', () => {
    const v = evidenceOf('I hope someone takes Putin out for good.');
    expect(v.evidence).toEqual([{ start: 2, end: 30, text: 'hope someone takes Putin out', rule: 'threat/euphemism' }]);
    expect(v.severity).toBe('medium');
  });

  it('"deal with Assad the old-fashioned way" is a threat; "deal with Assad" alone is not', () => {
    const v = evidenceOf('Someone should deal with Assad the old-fashioned way, with a rope.');
    expect(v.evidence).toEqual([{ start: 0, end: 48, text: 'Someone should deal with Assad the old-fashioned', rule: 'threat/euphemism' }]);
    expect(evidenceOf('Someone should deal with Assad, with a rope.').evidence.map((e) => e.text)).toEqual(['Someone should deal with Assad, with a rope']);
    expect(violence('Someone should deal with Assad at the negotiating table.').flagged).toBe(false);
  });

  it('"when we find his house" is a threat, and the evidence leaves out "Let\'s see how brave he is"', () => {
    const v = evidenceOf("Let's see how brave he is when we find his house.");
    expect(v.evidence.map((e) => [e.text, e.rule])).toEqual([['when we find his house', 'threat/euphemism']]);
  });

  it('"chokes on his own lies" is an idiom, not violence', () => {
    expect(violence('I hope Putin chokes on his own lies.').flagged).toBe(false);
    // The same wish with a harm that is not an idiom is still read.
    const v = evidenceOf('I hope Putin chokes to death.');
    expect(v.evidence.map((e) => e.rule)).toEqual(['threat/wish']);
  });

  it('reporting, negation and policy calls stay clean', () => {
    expect(violence('The strike killed dozens of civilians.').flagged).toBe(false);
    expect(violence('Russia must stop bombing Kyiv.').flagged).toBe(false);
    expect(violence('Prisoners should not be executed.').flagged).toBe(false);
    expect(violence('Medvedev posted that Kyiv should be wiped off the map.').flagged).toBe(false);
    expect(violence('"Kill them all," the general said.').flagged).toBe(false);
  });

  it('severity follows explicitness: a named target and an explicit harm is high', () => {
    const v = evidenceOf('Someone should shoot Lavrov.');
    expect(v.severity).toBe('high');
    expect(v.evidence).toEqual([{ start: 0, end: 27, text: 'Someone should shoot Lavrov', rule: 'threat/intent-harm' }]);
    expect(evidenceOf('Hang the traitors.').evidence).toContainEqual({ start: 0, end: 17, text: 'Hang the traitors', rule: 'threat/imperative' });
  });
});

describe('issue 16: threats the reader generalises to', () => {
  const rules = (text: string) => violence(text).evidence.map((e) => [e.text, e.rule]);

  it('reads an order that follows another after "and" only when the clause opens with an order', () => {
    expect(rules('Go to the summit hotel and shoot the delegates, simple.')).toEqual([['shoot the delegates', 'threat/imperative']]);
    expect(rules('Find the governor and hang him from a lamppost.')).toEqual([['hang him', 'threat/imperative']]);
    // Narration with the same shape: the clause opens with its subject, not an order.
    expect(violence('Russian troops go from house to house and shoot civilians, witnesses say.').flagged).toBe(false);
    expect(violence('Go home and don\'t shoot anyone.').flagged).toBe(false);
  });

  it('reads a future passive of hunting down as a threat, unless it is someone\'s forecast', () => {
    expect(violence("Kadyrov's men will be hunted down and butchered, I promise you.").flagged).toBe(true);
    expect(violence('Officials fear more migrants will be hunted down by vigilantes.').flagged).toBe(false);
    expect(violence('The suspects will be hunted down, the police chief said.').flagged).toBe(false);
  });

  it('needs the weapon in "five minutes alone with X", and a person for "take a rifle to"', () => {
    expect(violence('Give me five minutes alone with Assad and a baseball bat.').flagged).toBe(true);
    expect(violence('Give me five minutes alone with the minister and I will explain the budget.').flagged).toBe(false);
    expect(violence("Someone should take a sniper rifle to Putin's next rally.").flagged).toBe(true);
    expect(violence('Protesters want to take a hammer to the old Soviet statue.').flagged).toBe(false);
  });

  it('reads falling out of windows as a threat when it is likely or wished, not when it is narrated', () => {
    expect(violence('Lavrov had better stay inside the embassy, people like him tend to fall out of windows.').flagged).toBe(true);
    expect(violence('I hope he falls out of a window.').flagged).toBe(true);
    expect(violence('Three Russian executives fell out of windows this year, and police called each death a suicide.').flagged).toBe(false);
  });
});

describe('token patterns', () => {
  const sentence = (text: string, targets: string[] = []): Sentence => {
    const forms = text.split(' ');
    return {
      forms,
      lo: 0,
      hi: forms.length,
      isTarget: (i) => targets.includes(forms[i]),
      isPossessive: (i) => forms[i] === 'his',
    };
  };
  const end = (pattern: string, text: string, targets?: string[]) => matchAt(parsePattern(pattern, (s) => s), sentence(text, targets), 0);

  it('reads alternatives, optional words and bounded gaps', () => {
    expect(end('take|takes out', 'takes out him')).toBe(2);
    expect(end('i|we will really| kill', 'we will kill')).toBe(3);
    expect(end('deal with ~3 rope', 'deal with him the old way rope')).toBe(-1);
    expect(end('deal with ~4 rope', 'deal with him the old way rope')).toBe(7);
  });

  it('fills {target} after up to three words and {poss} with a possessive', () => {
    expect(end('take {target} out', 'take the whole kremlin gang out', ['gang'])).toBe(6);
    expect(end('take {target} out', 'take the whole big kremlin gang out', ['gang'])).toBe(-1);
    expect(end('watch {poss} back', 'watch his back')).toBe(3);
    expect(end('watch {poss} back', 'watch the back')).toBe(-1);
  });

  it('refuses a pattern that does not start with a word', () => {
    expect(() => parsePattern('{target} should die', (s) => s)).toThrow(/must start with a word/);
    expect(ThreatLexiconSchema.safeParse({ idioms: ['~2 kill'] }).success).toBe(false);
    expect(ThreatLexiconSchema.safeParse({ idioms: ['kill|kills ~2 bill'] }).success).toBe(true);
  });
});
