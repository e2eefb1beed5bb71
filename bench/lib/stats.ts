// Latency samples → the figures the report prints. Percentiles by the nearest-rank method on the sorted
// samples, the same for the server runs (autocannon's per-response times) and for the floors (timed in process).

export type Latency = { n: number; mean: number; p50: number; p95: number; p99: number; max: number };
/** One measured run: how many operations in how long, and how long each took. */
export type Measure = { ops: number; seconds: number; perSecond: number; latencyMs: Latency; errors: number };

const round = (v: number) => Math.round(v * 100) / 100;

export function latency(samples: number[]): Latency {
  if (!samples.length) return { n: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  const s = Float64Array.from(samples).sort();
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return { n: s.length, mean: round(mean), p50: round(q(0.5)), p95: round(q(0.95)), p99: round(q(0.99)), max: round(s[s.length - 1]!) };
}

export function measure(samples: number[], seconds: number, errors = 0): Measure {
  return { ops: samples.length, seconds: round(seconds), perSecond: round(samples.length / Math.max(seconds, 1e-9)), latencyMs: latency(samples), errors };
}

/** Runs `op` from `concurrency` loops at once for `seconds` (after `warmup` untimed calls per loop): the in-process
 *  floors, at the concurrency of the server run they are compared with. As autocannon does with its requests, an
 *  operation still running when the time is up is not counted, so both sides count the same window. */
export async function loop(opts: { concurrency: number; seconds: number; warmup?: number }, op: () => Promise<unknown>): Promise<Measure> {
  for (let w = 0; w < (opts.warmup ?? 1); w++) await Promise.all(Array.from({ length: opts.concurrency }, () => op()));
  const samples: number[] = [];
  let errors = 0;
  const started = performance.now();
  const until = started + opts.seconds * 1000;
  await Promise.all(Array.from({ length: opts.concurrency }, async () => {
    while (performance.now() < until) {
      const t = performance.now();
      try {
        await op();
        const done = performance.now();
        if (done <= until) samples.push(done - t);
      } catch (e) {
        if (++errors === 1) console.error("floor operation failed:", e);
        if (errors > 20) throw e;
      }
    }
  }));
  return measure(samples, opts.seconds, errors);
}
