// The shape of a bench result (bench/results/<date>-<db>-<scale>.json) and its Markdown table.
import type { BenchFixture } from "../../src/bench-data/generate.ts";
import type { Machine } from "./machine.ts";
import type { Measure } from "./stats.ts";

export type Target = { text: string; met: boolean };

/** One line of the table: Intact's figure, its floor or ceiling measured in the same run, their ratio. */
export type WorkloadResult = {
  id: string;
  title: string;
  /** Which figure the line compares ("throughput", "p95", "time", "RSS"), with its unit. */
  metric: { name: string; unit: string };
  intact: { value: number; measure?: Measure; detail?: Record<string, unknown> };
  baseline: { kind: "floor" | "ceiling"; what: string; value: number; measure?: Measure };
  /** intact ÷ baseline for the metric. */
  ratio: number;
  targets: Target[];
  notes?: string[];
};

export type BenchResult = {
  date: string;
  db: string;
  scale: string;
  seed: number;
  secondsPerRun: number;
  machine: Machine;
  data: { counts: BenchFixture["counts"]; generateMs: number };
  workloads: WorkloadResult[];
};

const fmt = (v: number, unit: string) => {
  const n = Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
  return unit ? `${n} ${unit}` : n;
};

export function markdown(r: BenchResult): string {
  const m = r.machine;
  const lines = [
    `### ${r.date} · ${r.db} · scale ${r.scale} (seed ${r.seed})`,
    "",
    `Machine: ${m.cores} cores, ${m.cpu}, ${m.memoryGb} GB · Node ${m.node} · ${m.database} · ${m.os} · load average ${m.loadAverage.start} at the start, ${m.loadAverage.end} at the end`,
    `Data: ${Object.entries(r.data.counts).map(([k, v]) => `${v} ${k}`).join(", ")} (generated in ${(r.data.generateMs / 1000).toFixed(1)} s); ${r.secondsPerRun} s per run`,
    "",
    "| workload | measure | Intact | floor / ceiling | ratio | target |",
    "|---|---|---|---|---|---|",
    ...r.workloads.map((w) => `| ${w.title} | ${w.metric.name} | ${fmt(w.intact.value, w.metric.unit)} | ${w.baseline.kind}: ${fmt(w.baseline.value, w.metric.unit)} (${w.baseline.what}) | ${fmt(w.ratio, "")}× | ${
      w.targets.length ? w.targets.map((t) => `${t.met ? "met" : "**missed**"}: ${t.text}`).join("; ") : "—"} |`),
  ];
  const notes = r.workloads.flatMap((w) => (w.notes ?? []).map((n) => `- ${w.title}: ${n}`));
  if (notes.length) lines.push("", ...notes);
  return lines.join("\n") + "\n";
}
