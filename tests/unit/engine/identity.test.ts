import path from 'node:path';
import { moderate } from '../../../src/engine';
import { IdentityVocabularySchema } from '../../../src/engine/rules/racism/vocabulary';
import { loadSuite } from '../../../scripts/eval/data';
import { defaultPolicy } from '../../helpers/policy';

/**
 * Identity attacks without slurs (the racism rule's identity reader) and slur mentions, over
 * tests/fixtures/identity.jsonl: attacks tagged "identity", clean news sentences tagged
 * "news-clean". Each kind is in two halves: "first-half" was written before the reader,
 * "second-half" after it, so the second half's figure is the one the reader was not built on.
 */
const cases = loadSuite(path.join(__dirname, '..', '..', 'fixtures', 'identity.jsonl'));
const policy = defaultPolicy();
const racism = (text: string) => moderate(text, policy).categories.racism;

const attacks = cases.filter((c) => c.tags.includes('identity'));
const clean = cases.filter((c) => c.tags.includes('news-clean'));

describe('the fixture', () => {
  it('has at least 100 attacks and 100 clean sentences, labelled as tagged', () => {
    expect(attacks.length).toBeGreaterThanOrEqual(100);
    expect(clean.length).toBeGreaterThanOrEqual(100);
    for (const c of attacks) expect(c.labels).toEqual(['racism']);
    for (const c of clean) expect(c.labels).toEqual([]);
  });

  it('splits both kinds into a half written before the reader and one written after', () => {
    for (const kind of [attacks, clean]) {
      expect(kind.filter((c) => c.tags.includes('first-half')).length).toBeGreaterThanOrEqual(50);
      expect(kind.filter((c) => c.tags.includes('second-half')).length).toBeGreaterThanOrEqual(50);
    }
  });
});

describe('over the fixture', () => {
  it('flags at least 95% of the identity attacks as racism', () => {
    const missed = attacks.filter((c) => !racism(c.text).flagged).map((c) => c.id);
    expect(1 - missed.length / attacks.length).toBeGreaterThanOrEqual(0.95);
  });

  it('leaves at least 98% of the clean news sentences unflagged for racism, in each half', () => {
    for (const half of ['first-half', 'second-half']) {
      const part = clean.filter((c) => c.tags.includes(half));
      const flagged = part.filter((c) => racism(c.text).flagged).map((c) => c.id);
      expect(1 - flagged.length / part.length).toBeGreaterThanOrEqual(0.98);
    }
  });
});

/** The racism evidence of a text as [matched text, rule] pairs. */
function evidence(text: string): [string, string][] {
  return racism(text).evidence.map((e) => [e.text, e.rule]);
}

describe('the examples from the issue', () => {
  it('rejects a group named in one sentence and dehumanised through "they" in the next', () => {
    const text = 'The Syrians flooding into Europe... they breed like rats.';
    expect(moderate(text, policy).decision).toBe('rejected');
    expect(evidence(text)).toEqual([
      ['Syrians', 'identity/dehumanising'],
      ['breed like rats', 'identity/dehumanising'],
    ]);
  });

  it('rejects an inborn incapacity pinned on a nationality', () => {
    const text = 'Ukrainians are genetically incapable of running a country.';
    expect(moderate(text, policy).decision).toBe('rejected');
    expect(evidence(text)).toEqual([
      ['Ukrainians', 'identity/essentialising'],
      ['genetically incapable of', 'identity/essentialising'],
    ]);
  });

  it('rejects a "typical X mentality" followed by a list of vices', () => {
    const text = 'Typical Russian mentality: steal, drink, lie.';
    expect(moderate(text, policy).decision).toBe('rejected');
    expect(evidence(text)).toEqual([
      ['Russian', 'identity/essentialising'],
      ['mentality: steal, drink, lie', 'identity/essentialising'],
    ]);
  });

  it('holds, never rejects, a slur named in order to discuss it', () => {
    const text = "The Russian word 'хохол' is a slur and shouldn't be used.";
    const v = moderate(text, policy);
    expect(v.decision).toBe('held');
    expect(v.categories.racism.severity).toBe('low');
    expect(evidence(text)).toEqual([['хохол', 'lexicon/ru/^хох(?:ол|л)/mention']]);
  });
});

describe('slur mention and use', () => {
  it.each([
    'The word khokhol is an old slur for Ukrainians.',
    '"Moskal" means a Muscovite and is used as an insult.',
    "Calling them 'katsapy' is racist, whatever they did.",
    'Слово «хохол» оскорбительно, не надо его использовать.',
    'Называть украинцев хохлами — расизм.',
  ])('holds a mention at most: %s', (text) => {
    const v = moderate(text, policy);
    expect(v.decision).toBe('held');
    expect(v.categories.racism.evidence.every((e) => e.rule.endsWith('/mention'))).toBe(true);
  });

  it.each(['You are a khokhol and always will be.', 'Ты хохол, и этим всё сказано.', 'Those kh0khols again.', 'Go home, moskal.'])(
    'still rejects a slur used against someone, obfuscated or not: %s',
    (text) => {
      const v = moderate(text, policy);
      expect(v.decision).toBe('rejected');
      expect(v.categories.racism.evidence.some((e) => e.rule.startsWith('lexicon/') && !e.rule.endsWith('/mention'))).toBe(true);
    },
  );
});

describe('what POLICY.md says not to flag', () => {
  it.each([
    'As a Russian, I think the summit was a waste of time.',
    'Muslim leaders met in Istanbul today.',
    'I am a gay man.',
    'Ukrainian refugees need help.',
    'The Russian army is shelling cities.',
    'The Kremlin lies.',
    'The Russian government are liars and thieves.',
    'Russian troops are criminals and should face a tribunal.',
  ])('%s', (text) => {
    expect(racism(text).flagged).toBe(false);
  });
});

describe('claims the reader reports but does not make', () => {
  it.each([
    'Not all Russians are thieves.',
    'Russians are not thieves, they are people like us.',
    'Calling Syrians rats is disgusting.',
    "Slogans like 'Russians are animals' have no place on this site.",
    'The stereotype that Chechens are bandits by nature is racist nonsense.',
  ])('%s', (text) => {
    expect(racism(text).flagged).toBe(false);
  });

  it('flags the same claims made outright', () => {
    for (const text of ['All Russians are thieves.', 'Syrians are rats.', 'Russians are animals.', 'Chechens are bandits by nature.']) {
      expect(racism(text).flagged).toBe(true);
    }
  });

  it('still flags a claim when the writer says it is "not racist"', () => {
    expect(racism("I'm not racist, but Syrians are lazy parasites.").flagged).toBe(true);
  });
});

describe('pronouns', () => {
  it('reaches a group named a sentence or two earlier, not further', () => {
    expect(racism('Afghans arrived in 2015. They are parasites.').flagged).toBe(true);
    expect(racism('Afghans arrived in 2015. The camps were full. They are parasites.').flagged).toBe(true);
    expect(racism('Afghans arrived in 2015. The winter was cold. The camps were full. Then spring came. They are parasites.').flagged).toBe(false);
  });

  it('reaches back from "every one of them" after a predicate with no group before it', () => {
    expect(evidence('The Kurds? Backstabbing snakes, every one of them.')).toEqual([
      ['Kurds', 'identity/dehumanising'],
      ['Backstabbing snakes', 'identity/dehumanising'],
    ]);
    expect(racism('Kurdish fighters? Brave soldiers, every one of them.').flagged).toBe(false);
  });

  it('does not pass an institution off as its people', () => {
    expect(racism('Russians voted in March. The Kremlin counted the votes; they are liars.').flagged).toBe(false);
  });
});

describe('issue 16: sweeping predicates with adjectives', () => {
  it('reads adjectives between the copula and the predicate, and "would" before it', () => {
    expect(racism('Russians are drunk lazy serfs who deserve their tsar.').flagged).toBe(true);
    expect(racism('Transgender people are sick and need treatment, not rights.').flagged).toBe(true);
    expect(racism('Ukrainians sell their own mothers for a euro, typical.').flagged).toBe(true);
    expect(racism('Albanians would sell their own mothers for a visa.').flagged).toBe(true);
  });

  it('leaves the same words alone when they are not said of a people', () => {
    expect(racism('Many Ukrainians are sick of the war and want it to end.').flagged).toBe(false);
    expect(racism('Russians would rather sell their cars than pay the new war tax.').flagged).toBe(false);
  });

  it('reads letting a people go home as a return, and telling them to as an expulsion', () => {
    expect(racism('Russia should withdraw from Ukraine and let refugees go home.').flagged).toBe(false);
    expect(racism('Help the displaced Syrians go home before winter.').flagged).toBe(false);
    expect(racism('Refugees go home!').flagged).toBe(true);
  });
});

describe('evidence', () => {
  it('is the group words and the predicate words, never the whole comment', () => {
    for (const c of attacks) {
      const text = c.text;
      for (const e of racism(text).evidence.filter((x) => x.rule.startsWith('identity/'))) {
        expect(text.slice(e.start, e.end)).toBe(e.text);
        expect(e.text).toBe(e.text.trim());
        expect(e.text.length).toBeLessThan(text.length);
      }
    }
  });

  it('names the strongest kind of claim in its rule id', () => {
    expect(racism('Refugees should be sent back.').evidence.map((e) => e.rule)).toContain('identity/exclusion');
    expect(racism('Georgians are crooks.').evidence.map((e) => e.rule)).toContain('identity/sweeping');
    expect(racism('Georgians are crooks.').severity).toBe('medium');
    expect(racism('Georgians are vermin and crooks.').evidence.map((e) => e.rule)).toContain('identity/dehumanising');
  });
});

describe('the vocabulary schema', () => {
  it('fills in the defaults and rejects an unknown severity', () => {
    const v = IdentityVocabularySchema.parse({ groups: ['russians'] });
    expect(v.severity).toEqual({ dehumanising: 'high', exclusion: 'high', essentialising: 'high', sweeping: 'medium' });
    expect(v.reach).toBe(10);
    expect(IdentityVocabularySchema.safeParse({ severity: { sweeping: 'extreme' } }).success).toBe(false);
  });
});
