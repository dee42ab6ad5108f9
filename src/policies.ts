import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './config';
import { compilePolicy, type CompiledPolicy } from './engine/compile';
import { LexiconSchema, PolicyDocumentSchema, type Lexicon } from './engine/policy';
import { describeUnsafe, PROOF_MANIFEST, readProofs, unprovenUnsafe } from './pattern-safety';

export const DEFAULT_POLICY = path.resolve(projectRoot(), 'policies', 'default.json');

/** The policies Decorum ships: every JSON file directly in policies/. */
export function shippedPolicies(): string[] {
  const dir = path.dirname(DEFAULT_POLICY);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** The word lists a lexicon may import from npm packages, resolved here so the engine stays pure. */
function packageWords(name: 'bad-words'): string[] {
  switch (name) {
    case 'bad-words':
      // bad-words' own word list (the badwords-list package it filters with), read directly
      // rather than through a Filter, whose extra list mixes in names and other languages.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return (require('badwords-list') as { array: string[] }).array;
  }
}

function resolveImports(lex: Lexicon): Lexicon {
  if (lex.imports.length === 0) return lex;
  const terms = [...lex.terms];
  for (const imp of lex.imports) {
    const exclude = new Set(imp.exclude.map((w) => w.toLowerCase()));
    for (const word of packageWords(imp.package)) {
      const w = word.toLowerCase();
      // Multi-word entries ("f u c k") are the normaliser's job, not a word list's.
      if (exclude.has(w) || /[\s*]/.test(w) || w.length < 3) continue;
      terms.push({ root: w, category: imp.category, severity: imp.severity, match: 'word', forms: [], maskable: false, name: false, description: imp.description });
    }
  }
  return { ...lex, terms, imports: [] };
}

export class PolicyLoadError extends Error {}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new PolicyLoadError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function parsed<T>(file: string, result: { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } }): T {
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new PolicyLoadError(`${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

/**
 * Reads a policy file and its lexicons, validates them with zod, and compiles them. Without
 * `models` the classifier files and the span lexicon are not read (training needs the lexicons
 * before any model exists).
 */
export function loadPolicy(file: string = DEFAULT_POLICY, { models = true }: { models?: boolean } = {}): CompiledPolicy {
  const doc = parsed(file, PolicyDocumentSchema.safeParse(readJson(file)));
  const dir = path.dirname(file);
  const lexicons = doc.lexicons.map((rel) => {
    const lexFile = path.resolve(dir, rel);
    return resolveImports(parsed(lexFile, LexiconSchema.safeParse(readJson(lexFile))));
  });
  const model = models && doc.classifier ? readJson(path.resolve(dir, doc.classifier.model)) : undefined;
  const cyrillic = models && doc.classifier?.cyrillic ? readJson(path.resolve(dir, doc.classifier.cyrillic.model)) : undefined;
  const spans = models && doc.spans ? readJson(path.resolve(dir, doc.spans.lexicon)) : undefined;
  try {
    return compilePolicy(doc, lexicons, model, cyrillic, spans);
  } catch (err) {
    throw new PolicyLoadError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * loadPolicy, and refuses a policy with a pattern that can backtrack super-linearly: what the
 * service and the commands that moderate use. Patterns listed in the proof manifest (the
 * shipped ones) are known safe; the rest (a site's own) are proven now, which takes from well
 * under a second to ~30 s a pattern, depending on its size.
 */
export async function loadSafePolicy(file: string = DEFAULT_POLICY, proofs: string = PROOF_MANIFEST): Promise<{ policy: CompiledPolicy; proved: number }> {
  const policy = loadPolicy(file);
  const { checked, unsafe } = await unprovenUnsafe(policy, readProofs(proofs));
  if (unsafe.length > 0) {
    throw new PolicyLoadError(`${file}: ${unsafe.length} pattern(s) can backtrack super-linearly: ${unsafe.map(describeUnsafe).join('; ')}`);
  }
  return { policy, proved: checked };
}
