// Workload 3: the page of a case with 50 timeline entries, 20 of them messages, as its coordinator opens it (each
// opening reads the sealed entries, opens them, and writes the reading to the audit log). Ceiling: a bare Fastify
// route answering the same number of bytes, in a separate process (bench/lib/bare-server.ts) — the HTTP stack alone.
import type { BenchEnv } from "../lib/env.ts";
import { load } from "../lib/load.ts";
import { getPage, mustHaveAnswered, PAGE_CONNECTIONS } from "../lib/pages.ts";
import type { WorkloadResult } from "../lib/result.ts";
import { startBare } from "../lib/server.ts";

export async function casePage(env: BenchEnv): Promise<WorkloadResult> {
  const long = env.fixture.longCases[0];
  if (!long) throw new Error("The fixture has no case with a long timeline");
  const path = `/meldingen/${long.reportId}`;
  const http = await getPage(env, env.coordinator, path);
  mustHaveAnswered("case page", http);
  const bare = await startBare(http.bytesPerResponse);
  try {
    const ceiling = await load({ base: bare.base, connections: PAGE_CONNECTIONS, seconds: env.seconds, warmupSeconds: env.warmupSeconds,
      requests: [{ method: "GET", path: "/page" }] });
    mustHaveAnswered("bare page", ceiling);
    const p95 = http.latencyMs.p95;
    return {
      id: "case-page", title: `3. Case page, ${long.entries} entries / ${long.messages} messages`, metric: { name: "p95", unit: "ms" },
      intact: { value: p95, measure: http, detail: { bytes: http.bytesPerResponse, reference: long.reference } },
      baseline: { kind: "ceiling", what: `bare Fastify, same ${http.bytesPerResponse} bytes`, value: ceiling.latencyMs.p95, measure: ceiling },
      ratio: p95 / Math.max(ceiling.latencyMs.p95, 0.01),
      targets: [{ text: "page p95 < 20 ms", met: p95 < 20 }],
      notes: [`${http.perSecond} pages/s against ${ceiling.perSecond}/s for the bare route (one connection); p50 ${http.latencyMs.p50} ms, bare ${ceiling.latencyMs.p50} ms`],
    };
  } finally {
    await bare.stop();
  }
}
