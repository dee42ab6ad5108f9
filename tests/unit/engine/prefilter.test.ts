import { requiredLiterals } from '../../../src/engine/prefilter';

const req = (s: string) => requiredLiterals(s)?.sort() ?? null;

describe('requiredLiterals', () => {
  it('takes a plain phrase whole', () => {
    expect(req('we know where you live')).toEqual(['we know where you live']);
  });

  it('unions the options of an alternation', () => {
    expect(req('(?:kill|shoot) you')).toEqual([' you']);
    expect(req('(?:kill|shoot)(?: him|)')).toEqual(['kill', 'shoot']);
  });

  it('ignores optional parts and zero-width assertions', () => {
    expect(req('(?<![^ ])(?:just |)(?:hang) (?:them|him)(?![^ ])')).toEqual(['hang']);
    expect(req('(?:a |an )?idiots?')).toEqual(['idiot']);
  });

  it('gives up (null) when any option could match without a literal', () => {
    expect(req('(?:you|[a-z]+) idiot|.*')).toBeNull();
    expect(req('(?:all |)')).toBeNull();
  });

  it('reads escapes as literal characters and classes as anything', () => {
    expect(req('earn \\$[0-9]+ a day')).toEqual(['earn $']);
    expect(req('(unsupported')).toBeNull();
  });

  it('never claims a literal that a real match lacks', () => {
    const patterns = ['(?:i|we) (?:will|shall) (?:kill|hurt) (?:you|him)', 'go (?:back )?home', 'x{2,3}y', '(?:ab|cd)+ef?'];
    const samples = ['we shall hurt him', 'i will kill you', 'go home', 'go back home', 'xxy', 'xxxy', 'abcde', 'cdab'];
    for (const p of patterns) {
      const lits = requiredLiterals(p);
      for (const s of samples) {
        if (new RegExp(`^(?:${p})$`).test(s)) expect(lits === null || lits.some((l) => s.includes(l))).toBe(true);
      }
    }
  });
});
