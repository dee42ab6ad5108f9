/**
 * Identical-output check for engine speed work: runs moderate() (and analyze()'s tokens) over
 * every text at hand plus obfuscated and long variants, and writes one JSON line per text, so
 * two builds can be diffed. Budget failures depend on the clock, so a clock that never moves
 * is passed.
 *   npx tsx bench/compare.ts /tmp/before.jsonl   (then: cmp /tmp/before.jsonl /tmp/after.jsonl)
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { moderate } from '../src/engine';
import { analyze } from '../src/engine/analyze';
import { loadPolicy } from '../src/policies';
import { corpus } from './corpus';

const ROOT = path.resolve(__dirname, '..');
const SHARED = path.resolve(ROOT, '..', 'shared');

function jsonl(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { text: string }).text);
}

function texts(): string[] {
  const out: string[] = [];
  out.push(...jsonl(path.join(ROOT, 'tests', 'fixtures', 'suite.jsonl')));
  const datasets = path.join(SHARED, 'datasets');
  for (const f of readdirSync(datasets).filter((f) => f.endsWith('.jsonl')).sort()) out.push(...jsonl(path.join(datasets, f)));
  const seeds = path.join(SHARED, 'seeds');
  for (const f of readdirSync(seeds).sort()) {
    const body = readFileSync(path.join(seeds, f), 'utf8');
    out.push(body);
    out.push(...body.split(/\n+/).filter((p) => p.trim()));
  }
  return out;
}

// Deterministic obfuscations of the suite: leetspeak, masks, spacing, homoglyphs, stretching, caps.
const LEET: Record<string, string> = { a: '@', e: '3', i: '1', o: '0', s: '$', t: '7', l: '|' };
const HOMO: Record<string, string> = { a: 'а', e: 'е', o: 'о', p: 'р', c: 'с', x: 'х', y: 'у' };
function variants(base: string[]): string[] {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const out: string[] = [];
  for (const t of base) {
    out.push(t.replace(/[aeiostl]/g, (c) => (rnd() < 0.5 ? LEET[c] : c)));
    out.push(t.replace(/\b(\w)(\w{2,})(\w)\b/g, (_, a, m: string, b) => (rnd() < 0.3 ? a + '*'.repeat(m.length) + b : a + m + b)));
    out.push(t.replace(/\b\w{4,6}\b/g, (w) => (rnd() < 0.2 ? w.split('').join(rnd() < 0.5 ? ' ' : '.') : w)));
    out.push(t.replace(/[aeopcxy]/g, (c) => (rnd() < 0.3 ? HOMO[c] : c)));
    out.push(t.replace(/[aeiou]/g, (c) => (rnd() < 0.15 ? c.repeat(3 + Math.floor(rnd() * 3)) : c)));
    out.push(t.toUpperCase());
    out.push(t.replace(/\b\w+\b/g, (w) => (rnd() < 0.4 ? w.toUpperCase() : w)));
    out.push(t.replace(/ /g, () => (rnd() < 0.1 ? ' — ' : rnd() < 0.1 ? '\u200b' : ' ')));
  }
  return out;
}

function main(): void {
  const file = process.argv[2] ?? '/tmp/compare.jsonl';
  const policy = loadPolicy();
  const all = texts();
  const suite = jsonl(path.join(ROOT, 'tests', 'fixtures', 'suite.jsonl'));
  all.push(...variants(suite));
  all.push(...variants(jsonl(path.join(SHARED, 'datasets', 'tweeteval_offensive_val.jsonl'))));
  for (const size of [100, 500, 2000, 8000]) all.push(...corpus(size, 200));
  all.push('', ' ', '!!!', 'a', 'A B C D E', 'f u c k', 'f.u.c.k you', 'BUY NOW http://x.com http://y.com http://z.com call +1 555 123 4567');
  const clock = () => 0;
  const lines: string[] = [];
  const hash = createHash('sha256');
  for (let i = 0; i < all.length; i++) {
    const t = all[i];
    const v = moderate(t, policy, { clock, context: { repeats: i % 5 } });
    const a = analyze(t, policy.lexicon);
    const line = JSON.stringify({ i, v, toks: a.tokens, phrase: a.phraseText, hits: a.hits.map((h) => [h.token.start, h.term.id, h.reading]) });
    lines.push(line);
    hash.update(line);
  }
  writeFileSync(file, lines.join('\n') + '\n');
  console.log(`${all.length} texts, sha256 ${hash.digest('hex').slice(0, 16)} -> ${file}`);
}

main();
