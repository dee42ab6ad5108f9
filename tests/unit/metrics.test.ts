import {
  accuracy,
  binaryMacroF1,
  countPairs,
  emptyCounts,
  f1,
  macroF1,
  negativeClass,
  precision,
  recall,
  tally,
  total,
} from '../../scripts/eval/metrics';

// Expected values below are worked out by hand from the confusion matrices, not by the code under test.

describe('counting outcomes', () => {
  it('puts each (gold, predicted) pair in its cell', () => {
    const c = countPairs([
      [true, true],
      [true, true],
      [true, false],
      [false, true],
      [false, false],
      [false, false],
      [false, false],
    ]);
    expect(c).toEqual({ tp: 2, fn: 1, fp: 1, tn: 3 });
    expect(total(c)).toBe(7);
  });

  it('tally mutates and returns the same object', () => {
    const c = emptyCounts();
    expect(tally(c, false, true)).toBe(c);
    expect(c).toEqual({ tp: 0, fp: 1, fn: 0, tn: 0 });
  });
});

describe('precision, recall, F1', () => {
  // tp=3 fp=1 fn=2 tn=4: P = 3/4, R = 3/5, F1 = 2·(3/4)(3/5)/(3/4+3/5) = 2/3.
  const c = { tp: 3, fp: 1, fn: 2, tn: 4 };

  it('match the hand-computed values', () => {
    expect(precision(c)).toBeCloseTo(0.75, 12);
    expect(recall(c)).toBeCloseTo(0.6, 12);
    expect(f1(c)).toBeCloseTo(2 / 3, 12);
    expect(accuracy(c)).toBeCloseTo(0.7, 12);
  });

  it('F1 equals the harmonic mean of P and R', () => {
    const p = precision(c)!;
    const r = recall(c)!;
    expect(f1(c)).toBeCloseTo((2 * p * r) / (p + r), 12);
  });

  it('are null, not 0 or NaN, when their denominator is empty', () => {
    const nothingPredicted = { tp: 0, fp: 0, fn: 5, tn: 15 };
    expect(precision(nothingPredicted)).toBeNull();
    expect(recall(nothingPredicted)).toBe(0);
    expect(f1(nothingPredicted)).toBe(0);

    const noGoldPositives = { tp: 0, fp: 4, fn: 0, tn: 6 };
    expect(recall(noGoldPositives)).toBeNull();
    expect(precision(noGoldPositives)).toBe(0);
    expect(f1(noGoldPositives)).toBe(0);

    const classAbsent = { tp: 0, fp: 0, fn: 0, tn: 9 };
    expect(f1(classAbsent)).toBeNull();
    expect(accuracy(emptyCounts())).toBeNull();
  });
});

describe('macro-F1', () => {
  it('swaps the cells for the negative class', () => {
    expect(negativeClass({ tp: 3, fp: 1, fn: 2, tn: 4 })).toEqual({ tp: 4, fp: 2, fn: 1, tn: 3 });
  });

  it('averages the F1 of both classes of a binary task', () => {
    // Positive F1 = 6/9 = 2/3. Negative class: tp=4 fp=2 fn=1, F1 = 8/11. Mean = 23/33.
    expect(binaryMacroF1({ tp: 3, fp: 1, fn: 2, tn: 4 })).toBeCloseTo(23 / 33, 12);
  });

  it('punishes a system that never flags (positive F1 0, negative F1 30/35)', () => {
    expect(binaryMacroF1({ tp: 0, fp: 0, fn: 5, tn: 15 })).toBeCloseTo(3 / 7, 12);
  });

  it('is not the same as accuracy or positive-class F1 on an imbalanced set', () => {
    // 90 negatives, 10 positives, flags everything: accuracy 0.1, positive F1 = 20/110, negative F1 = 0.
    const c = { tp: 10, fp: 90, fn: 0, tn: 0 };
    expect(binaryMacroF1(c)).toBeCloseTo(20 / 110 / 2, 12);
    expect(accuracy(c)).toBeCloseTo(0.1, 12);
  });

  it('skips classes that never occur, and is null when nothing does', () => {
    expect(binaryMacroF1({ tp: 0, fp: 0, fn: 0, tn: 9 })).toBe(1);
    expect(macroF1([{ tp: 1, fp: 1, fn: 0, tn: 0 }, emptyCounts()])).toBeCloseTo(2 / 3, 12);
    expect(macroF1([emptyCounts()])).toBeNull();
    expect(macroF1([])).toBeNull();
  });

  it('averages any number of classes without weighting by support', () => {
    const big = { tp: 90, fp: 10, fn: 10, tn: 0 }; // F1 0.9
    const small = { tp: 1, fp: 3, fn: 3, tn: 0 }; // F1 2/8 = 0.25
    expect(macroF1([big, small])).toBeCloseTo((0.9 + 0.25) / 2, 12);
  });
});
