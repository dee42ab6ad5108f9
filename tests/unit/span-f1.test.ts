import { commentSpanF1, meanSpanF1, offsetsOf } from '../../scripts/eval/span-f1';
import { civilCases } from '../../scripts/eval/spans';

describe('SemEval-2021 Task 5 span F1', () => {
  it('turns half-open spans into sorted offsets without repeats', () => {
    expect(offsetsOf([{ start: 5, end: 8 }, { start: 2, end: 4 }, { start: 6, end: 9 }])).toEqual([2, 3, 5, 6, 7, 8]);
    expect(offsetsOf([])).toEqual([]);
  });

  it('scores one comment as the F1 of its offset sets', () => {
    expect(commentSpanF1([1, 2, 3, 4], [1, 2, 3, 4])).toBe(1);
    // precision 2/4, recall 2/2: F1 = 2 * 0.5 * 1 / 1.5
    expect(commentSpanF1([1, 2, 3, 4], [3, 4])).toBeCloseTo(2 / 3, 10);
    // precision 1/1, recall 1/3
    expect(commentSpanF1([7], [7, 8, 9])).toBeCloseTo(0.5, 10);
    expect(commentSpanF1([1, 2], [5, 6])).toBe(0);
  });

  it('gives 1 when gold and prediction are both empty, 0 when only one is', () => {
    expect(commentSpanF1([], [])).toBe(1);
    expect(commentSpanF1([3], [])).toBe(0);
    expect(commentSpanF1([], [3])).toBe(0);
  });

  it('ignores repeated offsets, as sets do', () => {
    expect(commentSpanF1([3, 3, 4], [3, 4])).toBe(1);
  });

  it('averages over comments, and has no score for no comments', () => {
    const pairs = [
      { predicted: [], gold: [] }, // 1
      { predicted: [1, 2], gold: [2] }, // 2/3
      { predicted: [], gold: [4] }, // 0
    ];
    expect(meanSpanF1(pairs)).toBeCloseTo((1 + 2 / 3 + 0) / 3, 10);
    expect(meanSpanF1([])).toBeNull();
  });
});

describe('Civil Comments gold spans', () => {
  const row = (labels: string[], raters: number, spans: [number, number][]) => ({
    id: 'civil:1',
    text: 'abcdefghij',
    labels,
    scope: ['any'],
    source: 'test',
    split: 'val',
    orig: { raters },
    spans: spans.map(([start, end]) => ({ start, end, type: 'Insult' })),
  });

  it('keeps the characters at least half the raters marked, in a toxic comment', () => {
    // Votes: 0-2 two, 3-4 three, 5-7 one; three raters need 1.5.
    const [c] = civilCases([row(['discourtesy'], 3, [[0, 5], [0, 5], [3, 8]])]);
    expect(c.gold).toEqual([0, 1, 2, 3, 4]);
  });

  it('has no gold in a clean comment, whatever a minority marked', () => {
    const [c] = civilCases([row(['clean'], 3, [[0, 5], [0, 5]])]);
    expect(c.gold).toEqual([]);
  });
});
