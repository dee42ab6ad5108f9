import { CATEGORIES } from '../engine';
import { describeUnsafe, policyPatterns, unsafePatterns } from '../pattern-safety';
import { loadPolicy, PolicyLoadError } from '../policies';

/**
 * Validates a policy file, its lexicons and its model the way the service will at start, proves
 * each of its patterns free of super-linear backtracking, and says what it holds. Returns the
 * report and whether the policy may be used.
 */
export async function checkPolicy(file: string): Promise<{ ok: boolean; report: string }> {
  try {
    const started = performance.now();
    const policy = loadPolicy(file);
    const ms = performance.now() - started;
    const patterns = policyPatterns(policy);
    const unsafe = await unsafePatterns(patterns);
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
