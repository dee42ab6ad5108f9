import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from './config';
import type { CompiledPolicy } from './engine';

/** A compiled pattern of a policy, named as a moderator or site owner would look it up. */
export interface PolicyPattern {
  name: string;
  re: RegExp;
}

export interface UnsafePattern {
  name: string;
  /** recheck's verdict: `vulnerable` (with its complexity) or `unknown` (it could not decide). */
  status: string;
  complexity?: string;
  /** A short input that triggers the backtracking, when recheck found one. */
  attack?: string;
}

/** Every regular expression the engine runs for this policy: phrases, allow phrases, regex terms. */
export function policyPatterns(policy: CompiledPolicy): PolicyPattern[] {
  const lex = policy.lexicon;
  const out: PolicyPattern[] = lex.phrases.map((p) => ({ name: `phrase/${p.id}`, re: p.re }));
  if (lex.allowPhrase) out.push({ name: 'allowPhrases', re: lex.allowPhrase });
  for (const r of lex.regexes) out.push({ name: r.term.id, re: r.re });
  return out;
}

/**
 * Which patterns can backtrack super-linearly: one comment that hits such a pattern costs
 * seconds to hours of CPU in the process that moderates it. recheck analyses each pattern with
 * the flags it runs with (sticky phrases are tried at one position, not searched for), by
 * automaton where the pattern allows and by fuzzing otherwise; a pattern it cannot decide
 * counts as unsafe, since the point is a guarantee.
 */
const RANDOM_SEED = 20261207;

export async function unsafePatterns(patterns: readonly PolicyPattern[], timeoutMs = 30_000): Promise<UnsafePattern[]> {
  const unsafe: UnsafePattern[] = [];
  if (patterns.length === 0) return unsafe;
  // Loaded only when there is something to prove: the checker takes ~0.4 s to load, and a start
  // whose patterns are all in the proof manifest need not pay it.
  const { check } = await import('recheck');
  for (const { name, re } of patterns) {
    // A fixed seed: the fuzzer's verdict on a pattern must not change from one run to the next.
    const d = await check(re.source, re.flags, { timeout: timeoutMs, randomSeed: RANDOM_SEED });
    if (d.status === 'safe') continue;
    unsafe.push({
      name,
      status: d.status,
      complexity: d.status === 'vulnerable' ? d.complexity.type : undefined,
      attack: d.status === 'vulnerable' ? d.attack.pattern.slice(0, 200) : undefined,
    });
  }
  return unsafe;
}

export function describeUnsafe(u: UnsafePattern): string {
  const what = u.status === 'vulnerable' ? `${u.complexity} backtracking` : `could not be proven safe (${u.status})`;
  return `${u.name}: ${what}${u.attack ? `, e.g. ${u.attack}` : ''}`;
}

/**
 * The patterns of the shipped policies, already proven safe: a pattern is known by the hash of
 * its flags and source, so the service's start proves only the patterns it does not list (a
 * site's own lexicon, an edited phrase) instead of spending 20-40 s re-proving the shipped ones.
 * `npm run policy:prove` proves every shipped pattern and rewrites the file; the pattern-safety
 * test proves them again and fails when the file does not list exactly the shipped patterns.
 */
export const ProofManifestSchema = z.object({
  /** The checker that gave the proofs, with its version: a new one proves them again. */
  checker: z.string(),
  /** sha256 of `${flags}/${source}` of each pattern proven safe, sorted. */
  patterns: z.array(z.string().regex(/^[0-9a-f]{64}$/)),
});
export type ProofManifest = z.infer<typeof ProofManifestSchema>;

export const PROOF_MANIFEST = path.resolve(projectRoot(), 'policies', 'proofs', 'patterns.json');

export function patternHash(re: RegExp): string {
  return createHash('sha256').update(`${re.flags}/${re.source}`).digest('hex');
}

export function checkerName(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return `recheck ${(require('recheck/package.json') as { version: string }).version}`;
}

/** The proven hashes, or none if the file is missing, unreadable or from another checker. */
export function readProofs(file: string = PROOF_MANIFEST): ReadonlySet<string> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return new Set();
  }
  const parsed = ProofManifestSchema.safeParse(raw);
  if (!parsed.success || parsed.data.checker !== checkerName()) return new Set();
  return new Set(parsed.data.patterns);
}

export function writeProofs(hashes: Iterable<string>, file: string = PROOF_MANIFEST): void {
  const manifest: ProofManifest = { checker: checkerName(), patterns: [...new Set(hashes)].sort() };
  writeFileSync(file, `${JSON.stringify(manifest, null, 1)}\n`);
}

/**
 * The patterns of a policy that can backtrack super-linearly, proving only those not already
 * proven (`proven`): what the service runs before it takes a single request.
 */
export async function unprovenUnsafe(policy: CompiledPolicy, proven: ReadonlySet<string>, timeoutMs?: number): Promise<{ checked: number; unsafe: UnsafePattern[] }> {
  const unknown = policyPatterns(policy).filter((p) => !proven.has(patternHash(p.re)));
  return { checked: unknown.length, unsafe: await unsafePatterns(unknown, timeoutMs) };
}
