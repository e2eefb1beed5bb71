// Workload 4: the advisors' five-year report of the pool (40 organisations nationally), as the pool's advisor opens it:
// the live draft, computed from the register on every request — per organisation the counts, the suppression of
// small numbers, then the group's table derived from its members' (ADR 0012) — and rendered as a page.
// Floor: the aggregate SQL alone — the counting statements (countReport) of every member, as Kysely compiles them,
// run on the bare driver (on PostgreSQL concurrently, as the report runs them).
import { countReport } from "../../src/advisors/report.ts";
import type { BenchEnv } from "../lib/env.ts";
import { getPage, mustHaveAnswered, PAGE_CONNECTIONS } from "../lib/pages.ts";
import type { WorkloadResult } from "../lib/result.ts";
import { loop } from "../lib/stats.ts";

export async function advisorReport(env: BenchEnv): Promise<WorkloadResult> {
  const { id, year } = env.fixture.advisorReport;
  const members = env.fixture.pool.organisationIds;
  const http = await getPage(env, env.advisor, `/vertrouwenspersonen/jaarverslag?jaar=${year}&groep=${encodeURIComponent(id)}`);
  mustHaveAnswered("advisors' report", http);
  const statements = await env.floor.capture((db) => Promise.all(members.map((o) => countReport(db, [o], year))));
  const floor = await loop({ concurrency: PAGE_CONNECTIONS, seconds: env.seconds, warmup: 2 }, () => env.floor.replay(statements, { parallel: true }));
  return {
    id: "advisor-report", title: `4. Advisors' five-year report, pool of ${members.length}`, metric: { name: "time (mean)", unit: "ms" },
    intact: { value: http.latencyMs.mean, measure: http, detail: { bytes: http.bytesPerResponse } },
    baseline: { kind: "floor", what: `the ${statements.length} counting statements on the driver`, value: floor.latencyMs.mean, measure: floor },
    ratio: http.latencyMs.mean / Math.max(floor.latencyMs.mean, 0.01),
    targets: [{ text: "page p95 < 20 ms", met: http.latencyMs.p95 < 20 }],
    notes: [`p95 ${http.latencyMs.p95} ms (floor ${floor.latencyMs.p95} ms), ${http.bytesPerResponse} bytes`],
  };
}
