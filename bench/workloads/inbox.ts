// Workload 2: the coordinator's inbox over the pool (a group grant: the cases of every organisation in it), filtered
// by status and deadline on page 1, and unfiltered on page 50 (the desk's "everything, by deadline" at depth).
// Floor: the inbox's own statements — the count and the page of rows, as Kysely compiles them for this coordinator
// and query — run on the bare driver as the inbox runs them (both at once), at the same concurrency (1).
import { listCases } from "../../src/reports/service.ts";
import type { BenchEnv } from "../lib/env.ts";
import { actorOf, getPage, mustHaveAnswered, PAGE_CONNECTIONS } from "../lib/pages.ts";
import type { WorkloadResult } from "../lib/result.ts";
import { loop } from "../lib/stats.ts";

const INBOX_TARGET_MS = 50, PAGE_TARGET_MS = 20;

export async function inbox(env: BenchEnv): Promise<WorkloadResult[]> {
  const actor = await actorOf(env, env.fixture.coordinator.accountId);
  const all = await listCases(env.db.ctx, actor, {}, "nl");
  // Page 50 where there are 50 pages (national scale); the last page where there are fewer (small scale).
  const deep = Math.min(50, all.pages);
  const variants: { id: string; title: string; query: Record<string, string> }[] = [
    { id: "inbox-filtered", title: "2a. Inbox, open and overdue, page 1", query: { status: "open", deadline: "overdue" } },
    { id: "inbox-page50", title: `2b. Inbox, all cases, page ${deep}`, query: { page: String(deep) } },
  ];
  const out: WorkloadResult[] = [];
  for (const v of variants) {
    const statements = (await env.floor.capture((db) => listCases({ ...env.db.ctx, db }, actor, v.query, "nl")))
      .filter((s) => /\bfrom "reports"/i.test(s.sql));
    if (statements.length < 2) throw new Error(`${v.id}: expected the count and the page statements, captured ${statements.length}`);
    const http = await getPage(env, env.coordinator, `/meldingen?${new URLSearchParams(v.query)}`);
    mustHaveAnswered(v.id, http);
    // As the inbox runs them: the count and the page at once (on PostgreSQL on two connections).
    const floor = await loop({ concurrency: PAGE_CONNECTIONS, seconds: env.seconds, warmup: 5 }, () => env.floor.replay(statements, { parallel: true }));
    const listed = await listCases(env.db.ctx, actor, v.query, "nl");
    const p95 = http.latencyMs.p95, national = env.fixture.scale === "national";
    out.push({
      id: v.id, title: v.title, metric: { name: "p95", unit: "ms" },
      intact: { value: p95, measure: http, detail: { total: listed.total, rows: listed.items.length, bytes: http.bytesPerResponse } },
      baseline: { kind: "floor", what: "the inbox's count + page SELECTs on the driver", value: floor.latencyMs.p95, measure: floor },
      ratio: p95 / Math.max(floor.latencyMs.p95, 0.01),
      targets: [
        { text: "p95 ≤ 2× the floor", met: p95 <= 2 * floor.latencyMs.p95 },
        { text: `p95 < ${INBOX_TARGET_MS} ms${national ? "" : " (a national-scale target)"}`, met: p95 < INBOX_TARGET_MS },
        { text: `page p95 < ${PAGE_TARGET_MS} ms`, met: p95 < PAGE_TARGET_MS },
      ],
      notes: [`${listed.total} cases match, ${listed.items.length} on the page; p50 ${http.latencyMs.p50} ms (floor ${floor.latencyMs.p50} ms), ${http.bytesPerResponse} bytes`],
    });
  }
  return out;
}
