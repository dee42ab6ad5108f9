// Audits the Russian and Ukrainian lexicons against a list of inflected мат forms (one a line):
// how many forms the engine's analysis finds a policy term in, and the missed ones by root.
//   npx tsx scripts/audit-ru-lexicon.ts [forms file] [--all]
// The default list is ../shared/lexicons/ru_obscene_forms.txt (LEXICONS_DIR overrides the folder);
// --all prints every missed form instead of ten per root. The list is read, never copied into the
// repository: what the project keeps is the lexicon the audit led to.
import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../src/engine/analyze';
import { loadPolicy } from '../src/policies';

const LEXICONS_DIR = process.env.LEXICONS_DIR ?? path.resolve(__dirname, '..', '..', 'shared', 'lexicons');

/**
 * The roots a missed form is reported under, tried in order (the first that matches names it).
 * Prefixed forms (распиздяй, заебись) fall under their root wherever it sits in the word.
 */
export const MAT_ROOTS: { root: string; re: RegExp }[] = [
  { root: 'хуй/хуе/хуя', re: /ху[йеёяюи]/ },
  { root: 'пизд', re: /пизд|пезд|пизж/ },
  { root: 'бля', re: /бля|бли[дт]/ },
  { root: 'еб/ёб', re: /[её]б|ъеб|ьеб/ },
  { root: 'манд', re: /манд/ },
  { root: 'муд', re: /муд/ },
  { root: 'залуп', re: /залуп/ },
  { root: 'дроч', re: /дроч/ },
  { root: 'жоп', re: /жоп/ },
  { root: 'сук/суч', re: /сук|суч/ },
  { root: 'пидор', re: /пид[оа]р|педр|пидр/ },
  { root: 'гандон', re: /г[ао]ндон/ },
  { root: 'шлюх', re: /шлюх/ },
  { root: 'говн', re: /г[ао]вн/ },
  { root: 'срать', re: /сра|сер|сир/ },
];

function rootOf(form: string): string {
  for (const r of MAT_ROOTS) if (r.re.test(form)) return r.root;
  return 'other';
}

function main(): void {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--')) ?? path.join(LEXICONS_DIR, 'ru_obscene_forms.txt');
  const all = args.includes('--all');
  const forms = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const policy = loadPolicy(undefined, { models: false });
  const missed = new Map<string, string[]>();
  const total = new Map<string, number>();
  let found = 0;
  for (const form of forms) {
    const root = rootOf(form.toLowerCase());
    total.set(root, (total.get(root) ?? 0) + 1);
    if (analyze(form, policy.lexicon).hits.length > 0) {
      found++;
      continue;
    }
    let list = missed.get(root);
    if (!list) missed.set(root, (list = []));
    list.push(form);
  }
  const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(2)}%`;
  console.log(`${file}: ${forms.length} forms; the lexicons find a term in ${found} (${pct(found, forms.length)}), miss ${forms.length - found}`);
  const roots = [...total.keys()].sort((a, b) => (missed.get(b)?.length ?? 0) - (missed.get(a)?.length ?? 0));
  for (const root of roots) {
    const m = missed.get(root) ?? [];
    const n = total.get(root)!;
    console.log(`\n${root}: ${n - m.length} of ${n} found (${pct(n - m.length, n)}), ${m.length} missed`);
    if (m.length > 0) console.log(`  ${(all ? m : m.slice(0, 10)).join(', ')}${!all && m.length > 10 ? ', …' : ''}`);
  }
}

main();
