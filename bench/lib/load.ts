// Load over loopback HTTP with autocannon: every response's time is kept (autocannon's own histogram has no p95),
// and every status that is not the expected one counts as an error, so a run that only measured error pages fails.
import autocannon, { type Request } from "autocannon";
import { measure, type Measure } from "./stats.ts";

export type LoadOptions = {
  base: string;
  connections: number;
  seconds: number;
  /** One request, or a sequence each connection walks through again and again. */
  requests: Request[];
  /** Statuses that count as a success (default 200). */
  ok?: number[];
  /** Untimed seconds first (JIT, statement caches, connection pools). */
  warmupSeconds?: number;
};

/** Sends `amount` requests (spread over the connections) and waits for every answer: a warm-up that leaves nothing in flight. */
export async function warmUp(o: Pick<LoadOptions, "base" | "connections" | "requests">, amount: number): Promise<void> {
  await autocannon({ url: o.base, connections: o.connections, amount, timeout: 60, requests: o.requests });
}

export type LoadResult = Measure & { statuses: Record<string, number>; bytesPerResponse: number };

async function fire(o: LoadOptions, seconds: number): Promise<LoadResult> {
  const ok = new Set(o.ok ?? [200]);
  const samples: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0, bytes = 0;
  const instance = autocannon({ url: o.base, connections: o.connections, duration: seconds, timeout: 30, requests: o.requests });
  instance.on("response", (_client: unknown, status: number, resBytes: number, ms: number) => {
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (ok.has(status)) { samples.push(ms); bytes += resBytes; } else errors++;
  });
  const result = await instance;
  errors += result.errors + result.timeouts;
  return { ...measure(samples, result.duration, errors), statuses, bytesPerResponse: samples.length ? Math.round(bytes / samples.length) : 0 };
}

export async function load(o: LoadOptions): Promise<LoadResult> {
  if (o.warmupSeconds) await fire(o, o.warmupSeconds);
  return fire(o, o.seconds);
}
