// Held-out evaluations as lines of text: the metrics, what a trivial
// predictor scores, and a few examples (the most confident mistakes first).

import type { Evaluation, Metric } from "../lib/pipelines/pipeline.ts";

const show = (m: Metric) => (m.format === "percent" ? `${(100 * m.value).toFixed(1)}%` : Number.isFinite(m.value) ? m.value.toFixed(m.value >= 100 ? 1 : 3) : String(m.value));

const clip = (s: string, n = 60) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function evaluationLines(e: Evaluation): string[] {
  if (e.count === 0) return [`no held-out ${e.unit} to score`];
  const [head, ...rest] = e.metrics;
  const others = rest.map((m) => (m.format === "percent" && m.label.startsWith("of ") ? `${show(m)} ${m.label}` : `${m.label} ${show(m)}`));
  const headline = head.label.startsWith("of ") ? `${show(head)} ${head.label}` : `held-out ${head.label} ${show(head)} on ${e.count} ${e.unit}`;
  const lines = [`${headline}${others.length ? `; ${others.join("; ")}` : ""}`];
  for (const b of e.baselines) lines.push(`  ${b.label}: ${show(b)}`);
  if (e.note) lines.push(`  note: ${e.note}`);
  const wrong = e.examples.filter((x) => x.correct === false);
  const shown = wrong.length ? [...wrong.slice(0, 3), ...e.examples.filter((x) => x.correct !== false).slice(0, 3)] : e.examples.slice(0, 6);
  for (const x of shown) {
    const mark = x.correct === undefined ? "" : x.correct ? "✓ " : "✗ ";
    const input = x.input ? `"${clip(x.input)}" → ` : "";
    const confidence = x.confidence !== undefined ? ` (${(100 * x.confidence).toFixed(0)}%)` : "";
    const expected = x.expected !== undefined && !x.correct ? `, expected ${clip(x.expected, 40)}` : "";
    const novel = x.novel === undefined ? "" : x.novel ? "  (new)" : "  (in the data)";
    lines.push(`  ${mark}${input}${clip(x.output)}${confidence}${expected}${novel}`);
  }
  return lines;
}
