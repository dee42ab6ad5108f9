import { CATEGORIES } from '../engine';
import { describeUnsafe, patternHash, policyPatterns, readProofs, unsafePatterns } from '../pattern-safety';
import { loadPolicy, PolicyLoadError } from '../policies';

/**
 * Validates a policy file, its lexicons and its model the way the service will at start, proves
 * each of its patterns free of super-linear backtracking (those the proof manifest lists were
 * proven by `npm run policy:prove`, and the tests prove them again), and says what it holds.
 * Returns the report and whether the policy may be used.
 */
export async function checkPolicy(file: string): Promise<{ ok: boolean; report: string }> {
  try {
    const started = performance.now();
    const policy = loadPolicy(file);
    const ms = performance.now() - started;
    const patterns = policyPatterns(policy);
    const proofs = readProofs();
    const unproven = patterns.filter((p) => !proofs.has(patternHash(p.re)));
    const unsafe = await unsafePatterns(unproven);
    if (unsafe.length > 0) {
      return {
        ok: false,
        report: [`invalid: ${file}: ${unsafe.length} pattern(s) can backtrack super-linearly:`, ...unsafe.map((u) => `  ${describeUnsafe(u)}`)].join('\n'),
      };
    }
    const doc = policy.doc;
    const actions = CATEGORIES.map((c) => {
      const row = doc.actions[c];
      return `  ${c.padEnd(12)} ${row ? Object.entries(row).map(([sev, act]) => `${sev}→${act}`).join(' ') : '(none)'}`;
    });
    return {
      ok: true,
      report: [
        `ok: ${file}`,
        `policy ${doc.name} version ${doc.version}, compiled in ${ms.toFixed(0)} ms`,
        `lexicons: ${doc.lexicons.join(', ')}`,
        `patterns: ${patterns.length}, each proven free of super-linear backtracking`,
        `  ${unproven.length} proven now, ${patterns.length - unproven.length} listed in the proof manifest`,
        `classifier: ${doc.classifier ? `${doc.classifier.model} (flag at ${doc.classifier.flagAt})` : 'none'}`,
        `span lexicon: ${doc.spans ? `${doc.spans.lexicon} (${doc.spans.flag ? `learned words flag ${doc.spans.flag.categories.join(', ')} alone` : 'narrows evidence only'})` : 'none'}`,
        'actions (severity→decision):',
        ...actions,
      ].join('\n'),
    };
  } catch (err) {
    if (err instanceof PolicyLoadError) return { ok: false, report: `invalid: ${err.message}` };
    throw err;
  }
}
