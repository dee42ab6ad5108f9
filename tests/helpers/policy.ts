import { loadPolicy } from '../../src/policies';
import type { CompiledPolicy } from '../../src/engine';

let cached: CompiledPolicy | undefined;

/** The default policy, compiled once per test file. */
export function defaultPolicy(): CompiledPolicy {
  cached ??= loadPolicy();
  return cached;
}
