import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/**
 * A value that matches none of a union's shapes gets zod's bare "Invalid input": the issues of
 * the shape it came closest to say what is wrong (the one that got deepest into the value, and
 * of those one that got past the type check: `input: []` is an empty list, not a wrong type).
 */
function closestIssues(issue: Issue): Issue[] {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
  const depth = (branch: Issue[]) => Math.max(...branch.map((i) => i.path.length));
  const typed = (branch: Issue[]) => (branch.some((i) => i.code === 'invalid_type' && i.path.length === 0) ? 0 : 1);
  const best = [...issue.errors].filter((b) => b.length > 0).sort((a, b) => depth(b) - depth(a) || typed(b) - typed(a))[0];
  if (!best) return [issue];
  return best.flatMap((i) => closestIssues({ ...i, path: [...issue.path, ...i.path] } as Issue));
}

/** Each thing wrong with a value: which field (dotted path; `(where)` for the value itself) and what. */
export function fieldErrors(error: z.ZodError, where: string): { path: string; message: string }[] {
  return error.issues.flatMap(closestIssues).map((i) => ({
    path: i.path.length ? i.path.map(String).join('.') : `(${where})`,
    message: i.message,
  }));
}
