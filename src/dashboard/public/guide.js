// What a verdict's rule ids and scores mean under the policy in force (GET /v1/policy), and who
// the moderators behind decidedBy ids are (GET /v1/review/deciders): read once after sign-in.
import { api } from './api.js';

let guide = { rules: {}, scores: {} };
let deciders = {};

export async function loadGuide() {
  const [g, d] = await Promise.all([api('/v1/policy'), api('/v1/review/deciders')]);
  guide = g;
  deciders = d;
}

/** The policy's description of a rule id, as src/engine/describe.ts describeRule reads it. */
export function describeRule(id) {
  const hash = id.indexOf('#');
  const path = hash < 0 ? id : id.slice(0, hash);
  const base = guide.rules[path] ?? guide.rules[path.replace(/\/[^/]*$/, '/*')];
  if (base === undefined || hash < 0) return base;
  const reading = guide.rules[id.slice(hash)];
  return reading === undefined ? base : `${base}, ${reading}`;
}

/** What an unflagged category's score means under the policy, if anything. */
export function scoreMeaning(category) {
  return guide.scores[category] ?? null;
}

/** Who a verdict's decidedBy is, in words: an email where the account is known. */
export function deciderName(id) {
  if (id === 'auto') return 'automatic';
  if (id === 'admin') return 'the admin key';
  if (id.startsWith('key_')) return `API key ${id}`;
  return deciders[id] ?? id;
}

export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}
