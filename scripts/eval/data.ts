/** Loading the evaluation data: the shared labelled sets, the project's suite, the seed articles. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CATEGORIES } from '../../src/engine';

/** A row of ../shared/datasets (see its README): labels are our categories, or exactly ["clean"]. */
const DatasetRowSchema = z.object({
  id: z.string(),
  text: z.string(),
  labels: z.array(z.string()).min(1),
  scope: z.array(z.string()),
  source: z.string(),
  split: z.string(),
});
export type DatasetRow = z.infer<typeof DatasetRowSchema>;

/** A Civil Comments row of news/: every rater's typed spans, and how many raters there were. */
const CivilRowSchema = DatasetRowSchema.extend({
  orig: z.object({ raters: z.number().int().positive() }),
  spans: z.array(z.object({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative(), type: z.string() })),
});
export type CivilRow = z.infer<typeof CivilRowSchema>;

/** A SemEval-2021 Task 5 row: the character offsets the raters agreed are toxic. */
const ToxicSpansRowSchema = z.object({ id: z.string(), text: z.string(), spans: z.array(z.number().int().nonnegative()) });
export type ToxicSpansRow = z.infer<typeof ToxicSpansRowSchema>;

const SuiteCaseSchema = z.object({
  id: z.string(),
  text: z.string(),
  labels: z.array(z.enum(CATEGORIES)),
  tags: z.array(z.string()),
  note: z.string().optional(),
});
export type SuiteCase = z.infer<typeof SuiteCaseSchema>;

/** Parses JSON Lines, naming the file and line of a bad row so a broken fixture is quick to find. */
export function readJsonl<T>(file: string, schema: z.ZodType<T>): T[] {
  const rows: T[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      const where = `${file}:${i + 1}`;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (err) {
        throw new Error(`${where}: ${err instanceof Error ? err.message : String(err)}`);
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`${where}: ${issue.path.join('.') || '(row)'}: ${issue.message}`);
      }
      rows.push(parsed.data);
    });
  return rows;
}

/** Null when the file is absent: the shared folder is optional on a fresh machine. */
export function loadDataset(dir: string, name: string): DatasetRow[] | null {
  const file = path.join(dir, name);
  return existsSync(file) ? readJsonl(file, DatasetRowSchema) : null;
}

export function loadCivil(dir: string, name: string): CivilRow[] | null {
  const file = path.join(dir, name);
  return existsSync(file) ? readJsonl(file, CivilRowSchema) : null;
}

export function loadToxicSpans(dir: string, name: string): ToxicSpansRow[] | null {
  const file = path.join(dir, name);
  return existsSync(file) ? readJsonl(file, ToxicSpansRowSchema) : null;
}

export function loadSuite(file: string): SuiteCase[] {
  const cases = readJsonl(file, SuiteCaseSchema);
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.id)) throw new Error(`${file}: duplicate id ${c.id}`);
    seen.add(c.id);
  }
  return cases;
}

export interface SeedSentence {
  file: string;
  /** 1-based line of the article file, so a flagged sentence can be found again. */
  line: number;
  text: string;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/**
 * Splits the articles into sentences. Lines first, because the files keep one paragraph (or a
 * heading, a caption, a list item) per line and a heading has no full stop to end it; then ICU's
 * sentence rules inside each line. ICU breaks after some abbreviations ("2:45 p.m. | ET"), which
 * only makes a few fragments shorter, and a fragment is still text that must not be flagged.
 */
export function loadSeedSentences(dir: string): SeedSentence[] | null {
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort();
  const out: SeedSentence[] = [];
  for (const file of files) {
    const lines = readFileSync(path.join(dir, file), 'utf8').split('\n');
    lines.forEach((lineText, i) => {
      for (const { segment } of segmenter.segment(lineText)) {
        const text = segment.trim();
        if (text !== '') out.push({ file, line: i + 1, text });
      }
    });
  }
  return out;
}
