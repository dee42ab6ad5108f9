import path from 'node:path';
import { type Category, CATEGORIES, moderate } from '../../../src/engine';
import { countPairs, precision, recall } from '../../../scripts/eval/metrics';
import { loadSuite } from '../../../scripts/eval/data';
import { defaultPolicy } from '../../helpers/policy';

/**
 * A regression guard over the labelled suite (tests/fixtures/suite.jsonl): the floors sit a
 * little under today's figures (docs/EVALUATION.md), so a change that makes the engine
 * worse fails here. The full evaluation, with the npm filters beside it, is `npm run eval`.
 */
const cases = loadSuite(path.join(__dirname, '..', '..', 'fixtures', 'suite.jsonl'));
const policy = defaultPolicy();
const results = cases.map((c) => ({ c, v: moderate(c.text, policy) }));

const FLOORS: Record<Category, { precision: number; recall: number }> = {
  violence: { precision: 0.95, recall: 0.65 },
  racism: { precision: 0.93, recall: 0.88 },
  profanity: { precision: 0.97, recall: 0.95 },
  vulgarity: { precision: 0.9, recall: 0.8 },
  all_caps: { precision: 1, recall: 1 },
  discourtesy: { precision: 0.95, recall: 0.65 },
  spam: { precision: 0.9, recall: 0.7 },
};

it('has at least 400 cases', () => {
  expect(cases.length).toBeGreaterThanOrEqual(400);
});

describe.each(CATEGORIES)('%s', (category) => {
  const counts = countPairs(results.map(({ c, v }) => [c.labels.includes(category), v.categories[category].flagged] as const));
  it(`precision ≥ ${FLOORS[category].precision}`, () => {
    expect(precision(counts)).toBeGreaterThanOrEqual(FLOORS[category].precision);
  });
  it(`recall ≥ ${FLOORS[category].recall}`, () => {
    expect(recall(counts)).toBeGreaterThanOrEqual(FLOORS[category].recall);
  });
});

it('flags nothing in the innocent words that contain bad ones (Scunthorpe, Dick Cheney, хлеба)', () => {
  const wrong = results
    .filter(({ c }) => c.tags.includes('scunthorpe') && c.labels.length === 0)
    .filter(({ v }) => CATEGORIES.some((cat) => v.categories[cat].flagged))
    .map(({ c }) => c.id);
  expect(wrong).toEqual([]);
});

it('sees through at least 90% of the obfuscated spellings', () => {
  const obfuscated = results.filter(({ c }) => c.tags.includes('obfuscation') && c.labels.length > 0);
  const caught = obfuscated.filter(({ c, v }) => c.labels.every((l) => v.categories[l].flagged));
  expect(caught.length / obfuscated.length).toBeGreaterThanOrEqual(0.9);
});

it('every piece of evidence slices the original text exactly', () => {
  for (const { c, v } of results) {
    for (const cat of CATEGORIES) {
      for (const e of v.categories[cat].evidence) expect(c.text.slice(e.start, e.end)).toBe(e.text);
    }
  }
});
