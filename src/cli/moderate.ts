import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { CommentTextSchema } from '../domain/comment';
import { fieldErrors } from '../domain/field-errors';
import { CATEGORIES, type Category, type CompiledPolicy, DECISIONS, type Decision, moderate } from '../engine';
import { Progress } from './progress';

/** A line of the input file: a JSON object with `text` (and an `id` to carry through), or a JSON string. */
const InputLine = z.union([CommentTextSchema, z.looseObject({ id: z.union([z.string(), z.number()]).optional(), text: CommentTextSchema })]);

export interface Summary {
  lines: number;
  invalid: number;
  decisions: Record<Decision, number>;
  flags: Record<Category, number>;
  seconds: number;
}

function emptySummary(): Summary {
  return {
    lines: 0,
    invalid: 0,
    decisions: Object.fromEntries(DECISIONS.map((d) => [d, 0])) as Record<Decision, number>,
    flags: Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>,
    seconds: 0,
  };
}

export function formatSummary(s: Summary): string {
  const decided = DECISIONS.map((d) => `${d} ${s.decisions[d]}`).join(', ');
  const flags = CATEGORIES.filter((c) => s.flags[c] > 0).map((c) => `${c} ${s.flags[c]}`).join(', ') || 'none';
  const rate = s.lines / Math.max(s.seconds, 1e-9);
  return [
    `${s.lines} line${s.lines === 1 ? '' : 's'} in ${s.seconds.toFixed(2)} s (${rate.toFixed(0)}/s); ${s.invalid} invalid`,
    `decisions: ${decided}`,
    `flagged: ${flags}`,
  ].join('\n');
}

/** One text: the verdict, pretty JSON. */
export function moderateText(text: string, policy: CompiledPolicy, out: NodeJS.WritableStream): Decision {
  const parsed = CommentTextSchema.safeParse(text);
  if (!parsed.success) throw new Error(`invalid text: ${parsed.error.issues[0].message}`);
  const a = moderate(text, policy);
  out.write(`${JSON.stringify(a, null, 2)}\n`);
  return a.decision;
}

function countLines(file: string): number | null {
  try {
    const buf = readFileSync(file);
    let n = 0;
    for (let i = 0; i < buf.length; i++) if (buf[i] === 10) n++;
    return buf.length > 0 && buf[buf.length - 1] !== 10 ? n + 1 : n;
  } catch {
    return null;
  }
}

/**
 * A JSONL file in, JSONL verdicts out (one per input line, in order, with the line number and
 * any id), a progress bar on a terminal and a summary at the end on stderr. A bad line gives an
 * `error` line instead of stopping the run.
 */
export async function moderateFile(
  file: string,
  policy: CompiledPolicy,
  out: NodeJS.WritableStream,
  err: NodeJS.WriteStream,
): Promise<Summary> {
  const summary = emptySummary();
  const started = performance.now();
  const progress = new Progress(err, file === '-' ? null : countLines(file), 'moderating');
  const input = file === '-' ? process.stdin : createReadStream(file, 'utf8');
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const raw of lines) {
    n++;
    if (raw.trim() === '') continue;
    summary.lines++;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = undefined;
    }
    const parsed = InputLine.safeParse(value);
    if (!parsed.success) {
      summary.invalid++;
      // Which field and what is wrong with it, in the words the API's problems use.
      const errors = value === undefined ? [{ path: '(line)', message: 'not JSON' }] : fieldErrors(parsed.error, 'line');
      out.write(`${JSON.stringify({ line: n, error: `${errors[0].path}: ${errors[0].message}`, errors })}\n`);
      continue;
    }
    const item = typeof parsed.data === 'string' ? { text: parsed.data } : parsed.data;
    const a = moderate(item.text, policy);
    summary.decisions[a.decision]++;
    for (const c of CATEGORIES) if (a.categories[c].flagged) summary.flags[c]++;
    const flagged = CATEGORIES.filter((c) => a.categories[c].flagged);
    out.write(`${JSON.stringify({ line: n, ...(item.id !== undefined && { id: item.id }), decision: a.decision, flagged, verdict: a })}\n`);
    progress.tick(n);
  }
  progress.done(n);
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}
