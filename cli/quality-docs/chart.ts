// The trend chart of the data docs: the overall score per run as an inline SVG line, with the SLA floor dashed.
import { esc } from './html';

export interface TrendPoint {
  /** The run's start (ISO). */
  label: string;
  runId: string;
  /** In [0,1]. */
  score: number;
  status: 'pass' | 'warn' | 'block';
}

const W = 720;
const H = 240;
const PAD = { left: 52, right: 16, top: 14, bottom: 34 };
const COLOR = { pass: '#1a7f37', warn: '#9a6700', block: '#cf222e' } as const;

/** The y range: from a whole percent under the lowest of the scores and the floor, up to 100 %. */
export function yRange(scores: readonly number[], floor: number): [number, number] {
  const low = Math.min(floor, ...scores);
  return [Math.max(0, Math.floor(low * 100 - 1) / 100), 1];
}

export function trendChart(points: readonly TrendPoint[], floor: number): string {
  if (points.length === 0) return '<p class="muted">no stored scores yet: the trend appears after the first run with quality results</p>';
  const [lo, hi] = yRange(
    points.map((p) => p.score),
    floor,
  );
  const x = (i: number) =>
    PAD.left + (points.length === 1 ? (W - PAD.left - PAD.right) / 2 : (i * (W - PAD.left - PAD.right)) / (points.length - 1));
  const y = (s: number) => PAD.top + ((hi - s) * (H - PAD.top - PAD.bottom)) / (hi - lo);
  const f = (v: number) => v.toFixed(1);
  const ticks = [lo, (lo + hi) / 2, hi]
    .map(
      (t) =>
        `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${f(y(t))}" y2="${f(y(t))}" stroke="#eef1f5"/>` +
        `<text x="${PAD.left - 6}" y="${f(y(t) + 4)}" text-anchor="end" font-size="11" fill="#667085">${(100 * t).toFixed(1)}%</text>`,
    )
    .join('');
  const floorLine =
    `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${f(y(floor))}" y2="${f(y(floor))}" stroke="#cf222e" stroke-dasharray="5 4"/>` +
    `<text x="${W - PAD.right}" y="${f(y(floor) - 4)}" text-anchor="end" font-size="11" fill="#cf222e">SLA ${(100 * floor).toFixed(0)}%</text>`;
  const line = `<polyline fill="none" stroke="#2f6feb" stroke-width="2" points="${points.map((p, i) => `${f(x(i))},${f(y(p.score))}`).join(' ')}"/>`;
  const dots = points
    .map(
      (p, i) =>
        `<circle cx="${f(x(i))}" cy="${f(y(p.score))}" r="4" fill="${COLOR[p.status]}" data-score="${p.score}">` +
        `<title>${esc(`${p.label} ${p.runId}: ${(100 * p.score).toFixed(2)}%`)}</title></circle>`,
    )
    .join('');
  const first = points[0] as TrendPoint;
  const last = points[points.length - 1] as TrendPoint;
  const labels =
    `<text x="${f(x(0))}" y="${H - 12}" font-size="11" fill="#667085" text-anchor="${points.length === 1 ? 'middle' : 'start'}">${esc(first.label)}</text>` +
    (points.length > 1
      ? `<text x="${f(x(points.length - 1))}" y="${H - 12}" font-size="11" fill="#667085" text-anchor="end">${esc(last.label)}</text>`
      : '');
  return `<svg id="trend" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="overall score per run">${ticks}${floorLine}${line}${dots}${labels}</svg>`;
}
