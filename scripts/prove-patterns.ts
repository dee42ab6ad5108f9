/**
 * Proves every pattern of every shipped policy (policies/*.json) free of super-linear
 * backtracking and writes their hashes to the proof manifest, which the service's start trusts
 * instead of proving them again. Exits 1, writing nothing, if any pattern is not proven safe.
 * Run: npm run policy:prove   (after editing a lexicon's phrases, macros or allowPhrases)
 */
import path from 'node:path';
import { projectRoot } from '../src/config';
import { describeUnsafe, patternHash, policyPatterns, PROOF_MANIFEST, unsafePatterns, writeProofs } from '../src/pattern-safety';
import { loadPolicy, shippedPolicies } from '../src/policies';

async function main(): Promise<number> {
  const hashes = new Set<string>();
  let failed = false;
  for (const file of shippedPolicies()) {
    const patterns = policyPatterns(loadPolicy(file));
    const started = performance.now();
    const unsafe = await unsafePatterns(patterns);
    console.log(`${path.relative(projectRoot(), file)}: ${patterns.length} patterns in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    for (const u of unsafe) console.error(`  ${describeUnsafe(u)}`);
    if (unsafe.length > 0) failed = true;
    for (const p of patterns) hashes.add(patternHash(p.re));
  }
  if (failed) return 1;
  writeProofs(hashes);
  console.log(`${hashes.size} patterns proven: ${path.relative(projectRoot(), PROOF_MANIFEST)}`);
  return 0;
}

main().then((code) => {
  process.exitCode = code;
});
