import { svg } from './dom.js';

export const DECISION_COLOURS = { approved: '#2e7d4f', held: '#c98a00', rejected: '#b3261e' };
export const CATEGORY_COLOURS = {
  violence: '#8e24aa',
  racism: '#d81b60',
  profanity: '#f4511e',
  vulgarity: '#6d4c41',
  all_caps: '#546e7a',
  discourtesy: '#1e88e5',
  spam: '#43a047',
};

/**
 * A stacked bar chart as SVG, built node by node: one bar per day, one segment per series.
 * Each segment has a <title>, so hovering says the exact count.
 */
export function stackedBars({ days, series, colours, label }) {
  const W = 760;
  const H = 240;
  const pad = { top: 12, right: 12, bottom: 34, left: 40 };
  const names = Object.keys(series);
  const totals = days.map((_, i) => names.reduce((sum, n) => sum + series[n][i], 0));
  const max = Math.max(1, ...totals);
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const plotW = W - pad.left - pad.right;
  const plotH = H - pad.top - pad.bottom;
  const band = plotW / days.length;
  const barW = Math.max(4, band * 0.7);
  const y = (v) => pad.top + plotH - (v / top) * plotH;

  const root = svg('svg', { viewBox: `0 0 ${W} ${H + 28}`, role: 'img', 'aria-label': label, class: 'bars' });
  for (let v = 0; v <= top; v += step) {
    root.append(
      svg('line', { x1: pad.left, x2: W - pad.right, y1: y(v), y2: y(v), class: 'grid' }),
      svg('text', { x: pad.left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' }, String(v)),
    );
  }
  days.forEach((day, i) => {
    const x = pad.left + i * band + (band - barW) / 2;
    let base = 0;
    for (const name of names) {
      const v = series[name][i];
      if (v > 0) {
        root.append(
          svg(
            'rect',
            { x, y: y(base + v), width: barW, height: y(base) - y(base + v), fill: colours[name] ?? '#888', 'data-series': name, 'data-day': day },
            svg('title', {}, `${day}: ${v} ${name.replace(/_/g, ' ')}`),
          ),
        );
      }
      base += v;
    }
    if (days.length <= 16 || i % 2 === 0) {
      root.append(svg('text', { x: x + barW / 2, y: H - pad.bottom + 16, 'text-anchor': 'middle', class: 'axis' }, day.slice(5)));
    }
  });
  let lx = pad.left;
  for (const name of names) {
    root.append(
      svg('rect', { x: lx, y: H + 8, width: 12, height: 12, fill: colours[name] ?? '#888' }),
      svg('text', { x: lx + 16, y: H + 18, class: 'legend' }, name.replace(/_/g, ' ')),
    );
    lx += 24 + name.length * 7.5;
  }
  return root;
}

function niceStep(max) {
  const raw = max / 4;
  const mag = 10 ** Math.floor(Math.log10(raw || 1));
  for (const m of [1, 2, 5, 10]) if (m * mag >= raw) return Math.max(1, m * mag);
  return Math.max(1, 10 * mag);
}
