/**
 * Texts built to cost the engine more than their length: each generator repeats one trick
 * (masks, separators, leet symbols, mixed scripts, spaced letters, long words, every lexicon
 * entry over and over) to exactly `n` UTF-16 units. Shared by bench/hostile.ts, which times
 * them, and the engine's linearity test, which counts the engine's work on them.
 */
import type { CompiledPolicy } from '../src/engine';

export interface HostileGenerator {
  name: string;
  /** A text of exactly n UTF-16 units (n ≥ 1). */
  make: (n: number) => string;
}

/** `unit` repeated to exactly n units, after `head` if any. */
export function repeatTo(unit: string, n: number, head = ''): string {
  const body = n - head.length;
  if (body <= 0) return head.slice(0, n);
  return (head + unit.repeat(Math.ceil(body / unit.length))).slice(0, n);
}

/** The roots and forms of every term of the policy's lexicons, as written there. */
export function lexiconWords(policy: CompiledPolicy): string[] {
  const words = new Set<string>();
  for (const list of policy.lexicon.words.values()) for (const t of list) words.add(t.root);
  for (const key of policy.lexicon.words.keys()) words.add(key);
  for (const key of policy.lexicon.prefixes.keys()) words.add(key);
  for (const t of policy.lexicon.substrings) words.add(t.root);
  return [...words].sort();
}

/** Every hostile generator, for a policy (some repeat the policy's own words). */
export function hostileGenerators(policy: CompiledPolicy): HostileGenerator[] {
  const words = lexiconWords(policy);
  const all = words.join(' ') + ' ';
  const masked = words.map((w) => w[0] + '*'.repeat(Math.max(2, w.length - 1))).join(' ') + ' ';
  const spacedWords = words.map((w) => [...w].join(' ')).join(' . ') + ' . ';
  const dottedWords = words.map((w) => [...w].join('.')).join(' ') + ' ';
  const repeatedWords = words.map((w) => (w + ' ').repeat(3)).join('');
  return [
    { name: 'f + * × n', make: (n) => repeatTo('*', n, 'f') },
    { name: '"*a" × n/2', make: (n) => repeatTo('*a', n) },
    { name: '"#a" × n/2', make: (n) => repeatTo('#a', n) },
    { name: '"a@" × n/2', make: (n) => repeatTo('a@', n) },
    { name: '"a " × n/2', make: (n) => repeatTo('a ', n) },
    { name: '"i " × n/2 after a threat', make: (n) => repeatTo('i ', n, 'ill put one in the ') },
    { name: '"f.u.c.k" joined by dots', make: (n) => repeatTo('f.', n) },
    { name: 'f—k dashes', make: (n) => repeatTo('f—', n) },
    { name: 'leet symbols', make: (n) => repeatTo('$h!7@$$', n) },
    { name: 'leet digits in one word', make: (n) => repeatTo('5h1734', n) },
    { name: 'mixed scripts in one word', make: (n) => repeatTo('fаcк', n) },
    { name: 'mixed scripts, words', make: (n) => repeatTo('fuсk сукa ', n) },
    { name: 'one long word', make: (n) => repeatTo('a', n) },
    { name: 'one long word, two letters', make: (n) => repeatTo('ab', n) },
    { name: 'invisibles inside a word', make: (n) => repeatTo('f\u200b', n) },
    { name: 'separators only', make: (n) => repeatTo('.-_*~', n) },
    { name: 'links and domains', make: (n) => repeatTo('http://a.com/', n) },
    { name: 'dotted words', make: (n) => repeatTo('a.', n) },
    { name: 'addresses run together', make: (n) => repeatTo('a@b.c', n) },
    { name: 'links run together', make: (n) => repeatTo('www.http://', n) },
    { name: 'emoji and symbols', make: (n) => repeatTo('🤬💩 ', n) },
    { name: 'mentions and tags', make: (n) => repeatTo('@ab #ab ', n) },
    { name: 'html-like', make: (n) => repeatTo('<', n) },
    { name: 'every lexicon word', make: (n) => repeatTo(all, n) },
    { name: 'every lexicon word ×3', make: (n) => repeatTo(repeatedWords, n) },
    { name: 'every lexicon word masked', make: (n) => repeatTo(masked, n) },
    { name: 'every lexicon word spaced', make: (n) => repeatTo(spacedWords, n) },
    { name: 'every lexicon word dotted', make: (n) => repeatTo(dottedWords, n) },
    { name: 'shouting', make: (n) => repeatTo('YOU ARE AN IDIOT ', n) },
  ];
}
