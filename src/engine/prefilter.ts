/**
 * Required literals of a regular expression: a set of strings such that any match contains at
 * least one of them. A phrase pattern whose set has no member in the comment cannot match, so
 * its (costly) scan is skipped. Understands the subset the lexicons use: literals, groups,
 * alternation, quantifiers, character classes, escapes and lookarounds; anything else makes
 * the answer "unknown" (null), which only costs speed, never a missed match.
 */

type Node =
  | { t: 'lit'; s: string }
  | { t: 'any' }
  | { t: 'assert' }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; options: Node[] }
  | { t: 'rep'; node: Node; min: number };

class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): Node {
    const node = this.alternation();
    if (this.i !== this.src.length) throw new Error('unbalanced');
    return node;
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0] : { t: 'alt', options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      items.push(this.quantified(this.atom()));
    }
    return { t: 'seq', items };
  }

  private atom(): Node {
    const c = this.src[this.i++];
    if (c === '(') {
      let zeroWidth = false;
      if (this.src[this.i] === '?') {
        const ahead = this.src.slice(this.i, this.i + 3);
        if (ahead.startsWith('?:')) this.i += 2;
        else if (ahead.startsWith('?=') || ahead.startsWith('?!')) (this.i += 2), (zeroWidth = true);
        else if (ahead === '?<=' || ahead === '?<!') (this.i += 3), (zeroWidth = true);
        else throw new Error('unsupported group');
      }
      const inner = this.alternation();
      if (this.src[this.i++] !== ')') throw new Error('unbalanced');
      return zeroWidth ? { t: 'assert' } : inner;
    }
    if (c === '[') {
      while (this.i < this.src.length && this.src[this.i] !== ']') this.i += this.src[this.i] === '\\' ? 2 : 1;
      this.i++;
      return { t: 'any' };
    }
    if (c === '\\') {
      const e = this.src[this.i++];
      if (e === 'b' || e === 'B') return { t: 'assert' };
      if (e === 'p' || e === 'P') {
        this.i = this.src.indexOf('}', this.i) + 1;
        return { t: 'any' };
      }
      if (/[dDwWsSnrtu0-9]/.test(e)) return { t: 'any' };
      return { t: 'lit', s: e };
    }
    if (c === '.') return { t: 'any' };
    if (c === '^' || c === '$') return { t: 'assert' };
    return { t: 'lit', s: c };
  }

  private quantified(node: Node): Node {
    const c = this.src[this.i];
    let min: number | null = null;
    if (c === '?' || c === '*') min = 0;
    else if (c === '+') min = 1;
    else if (c === '{') {
      const m = /^\{(\d+)(?:,\d*)?\}/.exec(this.src.slice(this.i));
      if (!m) return node;
      this.i += m[0].length - 1;
      min = Number(m[1]);
    }
    if (min === null) return node;
    this.i++;
    if (this.src[this.i] === '?') this.i++; // lazy
    return { t: 'rep', node, min };
  }
}

const MAX_SET = 120;

function better(a: Set<string>, b: Set<string>): Set<string> {
  if (a.size !== b.size) return a.size < b.size ? a : b;
  const minLen = (s: Set<string>) => Math.min(...[...s].map((x) => x.length));
  return minLen(a) >= minLen(b) ? a : b;
}

function required(node: Node): Set<string> | null {
  switch (node.t) {
    case 'lit':
      return new Set([node.s]);
    case 'any':
    case 'assert':
      return null;
    case 'rep':
      return node.min >= 1 ? required(node.node) : null;
    case 'alt': {
      const out = new Set<string>();
      for (const o of node.options) {
        const r = required(o);
        if (!r) return null;
        for (const s of r) out.add(s);
      }
      return out.size > MAX_SET ? null : out;
    }
    case 'seq': {
      // Adjacent literal characters are one string; any other item is a candidate on its own.
      let best: Set<string> | null = null;
      let run = '';
      const consider = (r: Set<string> | null) => {
        if (r && [...r].every((s) => s.trim().length >= 2)) best = best ? better(best, r) : r;
      };
      for (const item of node.items) {
        if (item.t === 'lit') {
          run += item.s;
          continue;
        }
        consider(run ? new Set([run]) : null);
        run = '';
        if (item.t !== 'assert') consider(required(item));
      }
      consider(run ? new Set([run]) : null);
      return best;
    }
  }
}

/** Strings one of which any match of `source` contains, or null when that can't be told. */
export function requiredLiterals(source: string): string[] | null {
  try {
    const r = required(new Parser(source).parse());
    return r ? [...r] : null;
  } catch {
    return null;
  }
}
