import { analyze } from '../../../src/engine/analyze';
import { compilePolicy, type CompiledPolicy, moderate } from '../../../src/engine';
import { learnedWords, narrowFindings } from '../../../src/engine/evidence';
import { spanKey } from '../../../src/engine/span-lexicon';
import { defaultPolicy } from '../../helpers/policy';

const word = (marked: number, types: Record<string, number>, n = 50) => ({ n, marked, toxic: 0.8, types });

/** A small learned lexicon, so the expectations follow from numbers written here. */
const SPAN_LEXICON = {
  description: 'test',
  trainedOn: {},
  words: {
    idiot: word(0.83, { discourtesy: 0.95 }, 800),
    brainwashed: word(0.45, { discourtesy: 0.9 }),
    sheep: word(0.5, { discourtesy: 0.9 }),
    mild: word(0.35, { discourtesy: 0.9 }),
    gay: word(0.5, { racism: 0.6, discourtesy: 0.1 }),
    muslims: word(0.36, { racism: 0.77, discourtesy: 0.13 }),
    ridiculous: word(0.68, { discourtesy: 0.94 }, 180),
    rare: word(0.9, { discourtesy: 0.9 }, 5),
  },
};

const LEXICON = {
  lang: 'en',
  phrases: [{ id: 'discourtesy/believer', category: 'discourtesy', severity: 'medium', pattern: 'only an? (?:\\w+ ){1,3}would believe this' }],
};

const base = defaultPolicy().doc;
const SPANS = { lexicon: 'spans.json', narrowAt: 0.3, relative: 0.6, floor: 0.1 };
const FLAG = { marked: 0.6, minCount: 20, typeShare: 0.8, categories: ['discourtesy', 'vulgarity'], severity: 'low', exclude: ['ridiculous'] };

function policyWith(spans: object | undefined): CompiledPolicy {
  const { classifier: _none, spans: _default, ...doc } = base;
  return compilePolicy({ ...doc, ...(spans ? { spans } : {}) }, [LEXICON], undefined, undefined, SPAN_LEXICON);
}

const evidenceOf = (text: string, policy: CompiledPolicy) =>
  moderate(text, policy).categories.discourtesy.evidence.map((e) => ({ text: e.text, rule: e.rule }));

describe('evidence narrowed by the learned span lexicon', () => {
  const narrowing = policyWith(SPANS);
  const plain = policyWith(undefined);

  it('cites the insult words of a flagged phrase, not the whole phrase', () => {
    const text = 'Only a brainwashed sheep would believe this.';
    expect(evidenceOf(text, plain)).toEqual([{ text: 'Only a brainwashed sheep would believe this', rule: 'phrase/discourtesy/believer' }]);
    // Next to each other, the two words make one span, as people mark them.
    expect(evidenceOf(text, narrowing)).toEqual([{ text: 'brainwashed sheep', rule: 'phrase/discourtesy/believer#spans' }]);
  });

  it('leaves out words marked much less than the worst one', () => {
    // mild (0.35) is under 0.6 × idiot (0.83).
    expect(evidenceOf('Only a mild idiot would believe this.', narrowing)).toEqual([{ text: 'idiot', rule: 'phrase/discourtesy/believer#spans' }]);
  });

  it("keeps the phrase's span when no learned word of the category's kind is inside", () => {
    // gay is marked mostly as identity, which does not explain an insult.
    expect(evidenceOf('Only a gay man would believe this.', narrowing)).toEqual([{ text: 'Only a gay man would believe this', rule: 'phrase/discourtesy/believer' }]);
  });

  it("replaces a classifier flag's whole-comment evidence with the learned words in it", () => {
    const text = 'Honestly, what kind of idiot writes this article?';
    const analysis = analyze(text, narrowing.lexicon);
    const whole = { category: 'discourtesy' as const, severity: 'medium' as const, start: 0, end: text.length, rule: 'classifier/offensive' };
    const top = { ...whole, start: 0, end: 8 };
    const out = narrowFindings([whole, top], 'discourtesy', analysis, narrowing.spans!, learnedWords(analysis, narrowing.spans!));
    expect(out.map((f) => [text.slice(f.start, f.end), f.rule])).toEqual([['idiot', 'classifier/offensive#spans']]);
  });

  it("explains a classifier flag by the comment's most-marked words, of the category's kind when they are among them", () => {
    const text = 'A gay sheep and an idiot.';
    const analysis = analyze(text, narrowing.lexicon);
    const learned = learnedWords(analysis, narrowing.spans!);
    const whole = (category: 'racism' | 'discourtesy') => ({ category, severity: 'medium' as const, start: 0, end: text.length, rule: 'classifier/offensive' });
    const cited = (category: 'racism' | 'discourtesy') =>
      narrowFindings([whole(category)], category, analysis, narrowing.spans!, learned).map((f) => text.slice(f.start, f.end));
    // idiot (0.83) sets the cut at 0.5: gay and sheep (0.5) are chosen with it.
    expect(cited('discourtesy')).toEqual(['sheep', 'idiot']);
    expect(cited('racism')).toEqual(['gay']);
    // Under the cut (muslims 0.36 < 0.5) an identity word does not explain the racism flag: the
    // comment's most-marked words do, whatever their kind.
    const other = 'Muslims and an idiot.';
    const a2 = analyze(other, narrowing.lexicon);
    const out = narrowFindings([{ ...whole('racism'), end: other.length }], 'racism', a2, narrowing.spans!, learnedWords(a2, narrowing.spans!));
    expect(out.map((f) => other.slice(f.start, f.end))).toEqual(['idiot']);
  });
});

describe('learned words flagging on their own', () => {
  const flagging = policyWith({ ...SPANS, flag: FLAG });

  it('flags a strong learned insult at the configured severity, citing the word without its exclamation marks', () => {
    const text = 'What an idiot!!!';
    const v = moderate(text, flagging);
    expect(v.categories.discourtesy.flagged).toBe(true);
    expect(v.categories.discourtesy.severity).toBe('low');
    expect(evidenceOf(text, flagging)).toEqual([{ text: 'idiot', rule: 'spans/discourtesy/idiot' }]);
    // Without the flag settings the same policy only narrows.
    expect(moderate(text, policyWith(SPANS)).categories.discourtesy.flagged).toBe(false);
  });

  it('cites the other marked words of the comment beside the one that flagged it, down to the relative cut', () => {
    // sheep (0.5) reaches 0.6 × idiot (0.83); brainwashed (0.45) does not.
    expect(evidenceOf('A brainwashed sheep, an idiot.', flagging)).toEqual([
      { text: 'sheep', rule: 'spans/discourtesy/sheep' },
      { text: 'idiot', rule: 'spans/discourtesy/idiot' },
    ]);
  });

  it('takes a weaker learned word as evidence in a comment a rule already flags, without flagging one that had no flag', () => {
    const alongside = policyWith({ ...SPANS, flag: { ...FLAG, alongside: 0.3 } });
    // sheep (0.5) is under `marked` (0.6): alone it flags nothing; beside the phrase below it is cited.
    expect(moderate('Brainwashed sheep.', alongside).categories.discourtesy.flagged).toBe(false);
    const text = 'Only a gay man would believe this, sheep.';
    expect(evidenceOf(text, flagging).map((e) => e.text)).toEqual(['Only a gay man would believe this']);
    expect(evidenceOf(text, alongside)).toEqual([
      { text: 'Only a gay man would believe this', rule: 'phrase/discourtesy/believer' },
      { text: 'sheep', rule: 'spans/discourtesy/sheep' },
    ]);
  });

  it('does not flag for excluded, rare or weakly marked words', () => {
    expect(moderate('This plan is ridiculous.', flagging).categories.discourtesy.flagged).toBe(false);
    expect(moderate('A rare sight.', flagging).categories.discourtesy.flagged).toBe(false);
    expect(moderate('Brainwashed sheep.', flagging).categories.discourtesy.flagged).toBe(false);
  });
});

describe('spanKey', () => {
  it('drops trailing exclamation marks and a possessive', () => {
    expect(spanKey('idiots!!!')).toBe('idiots');
    expect(spanKey("narcissist's")).toBe('narcissist');
    expect(spanKey('sh!t')).toBe('sh!t');
    expect(spanKey('!')).toBe('!');
  });
});

describe('the default policy', () => {
  it('loads the committed span lexicon and narrows a classifier or phrase flag to the insult', () => {
    const policy = defaultPolicy();
    expect(policy.spans).not.toBeNull();
    const text = 'You are a delusional fool. Not even an entertaining one.';
    const ev = moderate(text, policy).categories.discourtesy.evidence;
    expect(ev.length).toBeGreaterThan(0);
    for (const e of ev) expect(e.text.length).toBeLessThan('You are a delusional fool'.length);
    expect(ev.map((e) => e.text)).toContain('fool');
  });
});
