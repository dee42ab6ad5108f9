import { readFileSync } from 'node:fs';
import path from 'node:path';
import { OPENAI_CATEGORIES, toOpenAIResult } from '../../src/compat/openai';
import { AnalyzeRequestSchema, PERSPECTIVE_ATTRIBUTES, PERSPECTIVE_MAPPING, toAnalyzeResponse } from '../../src/compat/perspective';
import { compatScore } from '../../src/compat/score';
import { CATEGORIES, moderate } from '../../src/engine';
import { defaultPolicy } from '../helpers/policy';

const suite: { text: string }[] = readFileSync(path.join(__dirname, '..', 'fixtures', 'suite.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l));

describe('compatible scores put the policy decision at 0.5', () => {
  it('scores a category at least 0.5 exactly when Decorum flags it, on every suite case', () => {
    let flagged = 0;
    for (const { text } of suite) {
      const a = moderate(text, defaultPolicy());
      for (const c of CATEGORIES) {
        const r = a.categories[c];
        expect([text, c, compatScore(r) >= 0.5]).toEqual([text, c, r.flagged]);
        if (r.flagged) flagged++;
      }
    }
    expect(flagged).toBeGreaterThan(300);
  });

  it('flags an OpenAI category only when all the Decorum categories it reads are flagged', () => {
    for (const { text } of suite.slice(0, 200)) {
      const a = moderate(text, defaultPolicy());
      const r = toOpenAIResult(a);
      expect(r.flagged).toBe(CATEGORIES.some((c) => a.categories[c].flagged));
      for (const name of OPENAI_CATEGORIES) expect(r.categories[name]).toBe(r.category_scores[name] >= 0.5);
    }
  });

  it('summarises each Perspective attribute as the strongest of its categories', () => {
    for (const { text } of suite.slice(0, 200)) {
      const a = moderate(text, defaultPolicy());
      const request = AnalyzeRequestSchema.parse({
        comment: { text },
        requestedAttributes: Object.fromEntries(PERSPECTIVE_ATTRIBUTES.map((n) => [n, {}])),
      });
      const res = toAnalyzeResponse(request, a);
      for (const name of PERSPECTIVE_ATTRIBUTES) {
        const anyFlagged = PERSPECTIVE_MAPPING[name].some((c) => a.categories[c].flagged);
        const value = res.attributeScores[name]!.summaryScore.value;
        // SEVERE_TOXICITY halves what isn't severe, so only the other attributes are exact.
        if (name !== 'SEVERE_TOXICITY') expect([text, name, value >= 0.5]).toEqual([text, name, anyFlagged]);
        else expect(value).toBeLessThanOrEqual(res.attributeScores.TOXICITY!.summaryScore.value);
      }
    }
  });
});
