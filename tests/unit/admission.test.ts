import { admission, DecisionRate, MIN_ADMITTED } from '../../src/api/backpressure';

describe('the workers decision rate', () => {
  it('is measured over intervals with a backlog at both ends, and smoothed', () => {
    const rate = new DecisionRate();
    rate.sample(0, 500, 0);
    rate.sample(100, 450, 250); // 400 a second
    expect(rate.perSecond).toBeCloseTo(400);
    rate.sample(150, 400, 500); // 200 a second: smoothed, not replaced
    expect(rate.perSecond).toBeGreaterThan(200);
    expect(rate.perSecond).toBeLessThan(400);
  });

  it('ignores idle intervals, which only say how fast comments came', () => {
    const rate = new DecisionRate();
    rate.sample(0, 500, 0);
    rate.sample(100, 10, 250);
    const busy = rate.perSecond;
    rate.sample(101, 0, 5000);
    rate.sample(102, 0, 9000);
    rate.sample(103, 1, 9500);
    expect(rate.perSecond).toBe(busy);
  });

  it('falls towards zero while a backlog waits and nothing is decided (the workers are down)', () => {
    const rate = new DecisionRate();
    rate.sample(0, 500, 0);
    rate.sample(100, 450, 250);
    for (let i = 2; i < 30; i++) rate.sample(100, 450, i * 250);
    expect(rate.perSecond).toBeLessThan(1);
  });

  it('ignores a count that went back (Redis emptied)', () => {
    const rate = new DecisionRate();
    rate.sample(1000, 5, 0);
    rate.sample(10, 5, 250);
    expect(rate.perSecond).toBe(0);
  });
});

describe('admission', () => {
  it('admits what the workers decide within the wait, and tells a refused client when the backlog will fit', () => {
    const a = admission({ maxWaiting: 0, maxWaitMs: 3000 }, 1500, 400);
    expect(a.allowed).toBe(1200);
    // 301 comments over the line at 400 a second: one second.
    expect(a.retryAfterS).toBe(1);
    expect(admission({ maxWaiting: 0, maxWaitMs: 3000 }, 5000, 400).retryAfterS).toBe(10);
  });

  it('always admits a minimum, and says 5 s when the rate is unknown', () => {
    expect(admission({ maxWaiting: 0, maxWaitMs: 3000 }, 0, 0)).toEqual({ allowed: MIN_ADMITTED, retryAfterS: 5 });
  });

  it('never admits past the absolute cap, and with both off admits everything', () => {
    expect(admission({ maxWaiting: 50, maxWaitMs: 3000 }, 10, 1000).allowed).toBe(50);
    expect(admission({ maxWaiting: 0, maxWaitMs: 0 }, 1e9, 0).allowed).toBe(Infinity);
    expect(admission({ maxWaiting: 7, maxWaitMs: 0 }, 0, 0).allowed).toBe(7);
  });
});
