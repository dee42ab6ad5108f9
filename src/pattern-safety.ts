import { check } from 'recheck';
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
export async function unsafePatterns(patterns: readonly PolicyPattern[], timeoutMs = 30_000): Promise<UnsafePattern[]> {
  const unsafe: UnsafePattern[] = [];
  for (const { name, re } of patterns) {
    const d = await check(re.source, re.flags, { timeout: timeoutMs });
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
