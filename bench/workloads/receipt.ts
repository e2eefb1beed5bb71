// Workload 5: the receipt check (the reporter's mailbox sign-in, POST /melden/<slug>/postbus) with a known receipt and
// with an unknown one. Every check takes at least RECEIPT_MIN_MS, found or not, so timing does not tell which: the
// figure to read is that both p50s sit just above the padding and close to each other. Floor: the check unpadded —
// the Argon2id hash and the lookup (reportByReceipt with RECEIPT_MIN_MS 0), in process.
import { loadConfig } from "../../src/config.ts";
import { newReceipt, reportByReceipt } from "../../src/reports/intake.ts";
import { clientAddress, type BenchEnv } from "../lib/env.ts";
import { load, type LoadResult } from "../lib/load.ts";
import type { WorkloadResult } from "../lib/result.ts";
import { formToken } from "../lib/session.ts";
import { loop } from "../lib/stats.ts";

/** Four at once: the server hashes at most four receipts at a time (HASH_SLOTS), so more would only queue. */
const CONNECTIONS = 4;

export async function receipt(env: BenchEnv): Promise<WorkloadResult> {
  const known = env.fixture.receipts[0]!;
  const slug = known.organisationSlug;
  const form = await formToken(env.server.base, `/melden/${slug}/postbus`);
  const minMs = loadConfig({}).receiptMinMs; // the server runs with the default
  const check = (code: () => string, ok: number[]): Promise<LoadResult> => load({
    base: env.server.base, connections: CONNECTIONS, seconds: env.seconds, ok,
    requests: [{
      method: "POST", path: `/melden/${slug}/postbus`,
      setupRequest: (req: object, c: Record<string, unknown>) => {
        c.client ??= clientAddress(env.random);
        return { ...req, body: new URLSearchParams({ _csrf: form.csrf, receipt: code() }).toString(),
          headers: { cookie: form.cookie, "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": String(c.client) } };
      },
    }],
  });
  const found = await check(() => known.receipt, [303]);
  const unknown = await check(() => newReceipt(), [422]);
  if (!found.ops || !unknown.ops) throw new Error(`receipt check: ${found.ops} found (${JSON.stringify(found.statuses)}), ${unknown.ops} unknown (${JSON.stringify(unknown.statuses)})`);
  const ctx = { ...env.db.ctx, config: { ...env.db.ctx.config, receiptMinMs: 0 } };
  const floor = await loop({ concurrency: CONNECTIONS, seconds: env.seconds }, () => reportByReceipt(ctx, slug, { receipt: known.receipt }));
  const p95 = found.latencyMs.p95;
  const gap = Math.abs(found.latencyMs.p50 - unknown.latencyMs.p50);
  return {
    id: "receipt", title: "5. Receipt check (mailbox sign-in), 4 at once", metric: { name: "p95", unit: "ms" },
    intact: { value: p95, measure: found, detail: { unknown, receiptMinMs: minMs } },
    baseline: { kind: "floor", what: "Argon2id + lookup, unpadded, in process", value: floor.latencyMs.p95, measure: floor },
    ratio: p95 / Math.max(floor.latencyMs.p95, 0.01),
    targets: [
      { text: `found and unknown p50 ≥ RECEIPT_MIN_MS (${minMs} ms)`, met: found.latencyMs.p50 >= minMs && unknown.latencyMs.p50 >= minMs },
      { text: "found and unknown p50 within 5% of each other", met: gap <= 0.05 * minMs },
    ],
    notes: [`found: p50 ${found.latencyMs.p50} ms, p95 ${p95} ms; unknown: p50 ${unknown.latencyMs.p50} ms, p95 ${unknown.latencyMs.p95} ms; padding ${minMs} ms; unpadded work p50 ${floor.latencyMs.p50} ms`],
  };
}
