import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DECORUM_ONLY_CATEGORIES, OPENAI_CATEGORIES, RESULT_CATEGORIES, toOpenAIResult } from '../../src/compat/openai';
import { AnalyzeRequestSchema, PERSPECTIVE_ATTRIBUTES, PERSPECTIVE_MAPPING, toAnalyzeResponse } from '../../src/compat/perspective';
import { compatScore, UNFLAGGED_CEILING } from '../../src/compat/score';
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
      for (const name of RESULT_CATEGORIES) expect(r.categories[name]).toBe(r.category_scores[name] >= 0.5);
      // Never flagged with every category false: what OpenAI has no name for answers under Decorum's.
      expect([text, Object.values(r.categories).some(Boolean)]).toEqual([text, r.flagged]);
    }
  });

  it("answers Decorum's own categories under their names, and keeps unrelated scores near zero", () => {
    expect(DECORUM_ONLY_CATEGORIES).toEqual(['profanity', 'all_caps', 'spam']);
    const swear = toOpenAIResult(moderate('What a f*ck up in Syria.', defaultPolicy()));
    expect(swear.flagged).toBe(true);
    expect(swear.categories.profanity).toBe(true);
    expect(OPENAI_CATEGORIES.filter((c) => swear.categories[c])).toEqual([]);
    const insult = toOpenAIResult(moderate('You are an idiot.', defaultPolicy()));
    expect(insult.categories.harassment).toBe(true);
    for (const c of ['sexual', 'hate', 'violence', 'profanity'] as const) expect([c, insult.category_scores[c] < UNFLAGGED_CEILING]).toEqual([c, true]);
  });

  it('scores an unflagged category under UNFLAGGED_CEILING on every suite case, a flagged one at its strength', () => {
    for (const { text } of suite) {
      const a = moderate(text, defaultPolicy());
      for (const c of CATEGORIES) {
        const r = a.categories[c];
        expect([text, c, r.flagged ? compatScore(r) === r.score : compatScore(r) < UNFLAGGED_CEILING]).toEqual([text, c, true]);
      }
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
