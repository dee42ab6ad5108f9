/** Markdown rendering for the evaluation report. Numbers are formatted here and nowhere else. */

/** A 0–1 ratio to three decimals; null is a metric with no denominator. */
export function ratio(x: number | null): string {
  return x === null ? 'n/a' : x.toFixed(3);
}

/** A 0–1 ratio as points out of 100, the convention of the TweetEval leaderboard. */
export function points(x: number | null): string {
  return x === null ? 'n/a' : (100 * x).toFixed(1);
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)}%`;
}

/** Keeps table cells on one row: pipes and newlines in comment text would break the table. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}
