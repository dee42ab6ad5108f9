import { el } from './dom.js';
import { describeRule, scoreMeaning } from './guide.js';

/** A rule for a moderator: what it means, then its id (kept for support). */
const ruleLine = (category, rule) => `${category.replace(/_/g, ' ')} · ${describeRule(rule) ?? 'rule'} (${rule})`;

/** Every piece of evidence in a verdict, with its category. */
export function evidenceOf(verdict) {
  const spans = [];
  if (!verdict) return spans;
  for (const [category, result] of Object.entries(verdict.categories)) {
    for (const e of result.evidence) spans.push({ ...e, category, flagged: result.flagged });
  }
  return spans;
}

/**
 * The comment text with each flagged span in a <mark>, labelled after each highlighted run with
 * its categories (and each mark's title naming category and rule). Offsets are UTF-16 offsets into
 * the text as submitted, so plain slice() finds the span; every piece goes in as a text node.
 */
export function highlightedText(text, verdict) {
  const spans = evidenceOf(verdict)
    .map((s) => ({ ...s, start: Math.max(0, Math.min(s.start, text.length)), end: Math.max(0, Math.min(s.end, text.length)) }))
    .filter((s) => s.end > s.start);
  const cuts = [...new Set([0, text.length, ...spans.flatMap((s) => [s.start, s.end])])].sort((a, b) => a - b);
  const out = el('p', { class: 'text' });
  let run = []; // spans of the highlighted run being built, for its label
  const closeRun = () => {
    if (run.length === 0) return;
    const categories = [...new Set(run.map((s) => s.category))];
    out.append(el('span', { class: 'tag', title: [...new Set(run.map((s) => ruleLine(s.category, s.rule)))].join('\n') }, categories.join(' · ').replace(/_/g, ' ')));
    run = [];
  };
  for (let i = 0; i + 1 < cuts.length; i++) {
    const a = cuts[i];
    const b = cuts[i + 1];
    const segment = text.slice(a, b);
    const covering = spans.filter((s) => s.start <= a && s.end >= b);
    if (covering.length === 0) {
      closeRun();
      out.append(document.createTextNode(segment));
      continue;
    }
    const strongest = covering.find((s) => s.flagged) ?? covering[0];
    out.append(
      el(
        'mark',
        {
          class: `cat-${strongest.category}${strongest.flagged ? '' : ' weak'}`,
          title: covering.map((s) => ruleLine(s.category, s.rule)).join('\n'),
          dataset: { categories: [...new Set(covering.map((s) => s.category))].join(' '), rules: covering.map((s) => s.rule).join(' ') },
        },
        segment,
      ),
    );
    for (const s of covering) if (!run.includes(s)) run.push(s);
    // The run ends where no span continues past this cut.
    if (!spans.some((s) => s.start <= b && s.end > b)) closeRun();
  }
  closeRun();
  return out;
}

/**
 * Why it was held: each flagged category with its severity (the policy's ranking: a rule's score
 * is a constant per severity, so a bar would say nothing more) and, in words, the rules that
 * fired on what; then the classifier's probabilities for the categories it did not flag, each
 * with what it means under the policy (a head with no line of its own can score high unflagged).
 */
export function reasons(verdict) {
  const box = el('div', { class: 'why' });
  if (!verdict) return box;
  const entries = Object.entries(verdict.categories).sort(([, a], [, b]) => b.score - a.score);
  const list = el('ul', { class: 'reasons' });
  for (const [category, r] of entries.filter(([, r]) => r.flagged)) {
    list.append(
      el(
        'li',
        { class: 'flagged' },
        el('span', { class: `chip cat-${category}` }, category.replace(/_/g, ' ')),
        el('span', { class: `sev sev-${r.severity ?? 'none'}` }, r.severity ? `${r.severity} severity` : 'flagged'),
        el(
          'span',
          { class: 'rules' },
          r.evidence.map((e) =>
            el('span', { class: 'rule', title: `rule id: ${e.rule}`, dataset: { rule: e.rule } }, describeRule(e.rule) ?? e.rule, ' on “', e.text, '”'),
          ),
        ),
      ),
    );
  }
  for (const f of verdict.failures ?? []) {
    list.append(el('li', { class: 'failure' }, `detector ${f.detector} ${f.reason === 'timeout' ? 'ran out of time' : 'failed'}: policy says ${f.action}`));
  }
  box.append(list);
  const others = entries.filter(([, r]) => !r.flagged && r.score > 0);
  if (others.length > 0) {
    box.append(
      el('p', { class: 'scores-head muted' }, 'Not flagged:'),
      el(
        'ul',
        { class: 'scores muted', 'aria-label': 'Not flagged' },
        others.map(([c, r]) =>
          el('li', { dataset: { category: c } }, el('span', { class: 'score' }, `${c.replace(/_/g, ' ')} ${r.score.toFixed(2)}`), ' — ', scoreMeaning(c) ?? "the statistical classifier's probability"),
        ),
      ),
    );
  }
  return box;
}
