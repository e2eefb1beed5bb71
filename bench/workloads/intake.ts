// Workload 1: the anonymous intake with one 200 KB photo, 20 reporters at once. Measured over HTTP: the last two
// requests of an intake — the photo added from the check page (stored pending, cleaned: re-encoded without its EXIF)
// and "Versturen" (the Argon2id receipt hash, then one transaction: the case, its key, its sealed entries, the
// attachment taken over, the audit event). The question pages before them neither hash nor write and are left out.
// Floor: the same Argon2id hash plus one insert transaction of the same rows (the case through insertReport, the
// photo's row and sealed chunk), called directly in this process at the same concurrency — no HTTP, no pages, no cleaning.
import crypto from "node:crypto";
import sharp from "sharp";
import { inTransaction } from "../../src/context.ts";
import { seal, sealBytes } from "../../src/crypto/seal.ts";
import { newId, now, randomToken } from "../../src/crypto/tokens.ts";
import { parseInput } from "../../src/http/validation.ts";
import * as attachmentRepo from "../../src/reports/attachments/repository.ts";
import { insertReport, newReceipt, receiptHash } from "../../src/reports/intake.ts";
import { reportInput, sealDraft } from "../../src/reports/intake-routes.tsx";
import * as reportRepo from "../../src/reports/repository.ts";
import { reportInputSchema } from "../../src/reports/schema.ts";
import { publicFlow, type Answers } from "../../src/reports/views/intake-shared.tsx";
import type { Kind } from "../../src/reports/workflow.ts";
import { multipartBody } from "../../test/helpers/attachments.ts";
import { clientAddress, type BenchEnv } from "../lib/env.ts";
import { load, warmUp } from "../lib/load.ts";
import type { WorkloadResult } from "../lib/result.ts";
import { formToken } from "../lib/session.ts";
import { loop, measure } from "../lib/stats.ts";

export const CONNECTIONS = 20;
/** An intake takes seconds under this load (20 waiting for four hash slots): shorter windows would mostly measure their edges. */
const MIN_SECONDS = 5;
const PHOTO_BYTES = 200 * 1024;

/** A phone photo of about 200 KB (noise compresses badly, so the size is the pixels' doing) with camera, owner and place in EXIF. */
export async function photo(random: () => number): Promise<Buffer> {
  let side = 300;
  for (;;) {
    const raw = Buffer.alloc(side * side * 3);
    for (let i = 0; i < raw.length; i++) raw[i] = Math.floor(random() * 256);
    const jpeg = await sharp(raw, { raw: { width: side, height: side, channels: 3 } }).jpeg({ quality: 80 })
      .withExifMerge({ IFD0: { Make: "BenchCam", Model: "B-1", Artist: "Jan Melder" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "52/1 22/1 0/1" } })
      .toBuffer();
    if (jpeg.length >= PHOTO_BYTES * 0.95 || side > 2000) return jpeg;
    side = Math.ceil(side * Math.sqrt((PHOTO_BYTES * 1.02) / jpeg.length));
  }
}

export async function intake(env: BenchEnv): Promise<WorkloadResult> {
  const { ctx } = env.db;
  const target = env.fixture.receipts[0]!;
  const slug = target.organisationSlug, organisationId = target.organisationId;
  const category = (await reportRepo.listCategories(ctx.db, [organisationId], true))[0]!;
  const answers: Answers = {
    categoryId: category.id, description: "Op de afdeling worden facturen van één leverancier steeds zonder offerte goedgekeurd. ".repeat(8).trim(),
    occurredOn: "", occurredWhen: "Sinds het voorjaar", unitId: "", location: "", involved: "Een teamleider", howKnown: "documents",
    howKnownDetail: "", reportedBefore: "no", reportedBeforeDetail: "", concernsHandler: "no", mode: "anonymous", noticeEmail: "",
  };
  const jpeg = await photo(env.random);
  const form = await formToken(env.server.base, `/melden/${slug}`);

  // The server run: each connection is one reporter sending report after report (a fresh draft, so a fresh nonce, each time).
  const intakeMs: number[] = [];
  let counting = false, sent = 0, failed = 0;
  const requests = [
    {
      method: "POST", path: `/melden/${slug}/stap`,
      setupRequest: (req: object, c: Record<string, unknown>) => {
        c.client ??= clientAddress(env.random);
        c.t0 = performance.now();
        const draft = sealDraft(ctx, organisationId, { ...answers, nonce: randomToken() });
        const { payload, contentType } = multipartBody({ _csrf: form.csrf, draft, step: "files", from: "check", nav: "next" },
          { name: "foto.jpg", content: jpeg, type: "image/jpeg" });
        return { ...req, body: payload, headers: { cookie: form.cookie, "content-type": contentType, "x-forwarded-for": String(c.client) } };
      },
      onResponse: (status: number, body: string, c: Record<string, unknown>) => {
        c.draft = status === 200 ? /name="draft" value="([^"]+)"/.exec(body)?.[1] : undefined;
        if (!c.draft && counting) failed++;
      },
    },
    {
      method: "POST", path: `/melden/${slug}/versturen`,
      setupRequest: (req: object, c: Record<string, unknown>) => (c.draft ? {
        ...req, body: new URLSearchParams({ _csrf: form.csrf, draft: String(c.draft) }).toString(),
        headers: { cookie: form.cookie, "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": String(c.client) },
      } : undefined as never),
      onResponse: (status: number, body: string, c: Record<string, unknown>) => {
        if (!counting) return;
        if (status === 200 && /\d{4} \d{4} \d{4} \d{4}/.test(body)) { sent++; intakeMs.push(performance.now() - Number(c.t0)); } else failed++;
      },
    },
  ];
  // Warm-up: one intake per connection, all answered before the measured window opens.
  if (env.warmupSeconds) await warmUp({ base: env.server.base, connections: CONNECTIONS, requests }, 2 * CONNECTIONS);
  counting = true;
  const seconds = Math.max(env.seconds, MIN_SECONDS);
  const http = await load({ base: env.server.base, connections: CONNECTIONS, seconds, requests });
  counting = false;
  const intakes = measure(intakeMs, http.seconds, failed);

  const settings = (await reportRepo.findSettings(ctx.db, organisationId))!;
  const input = parseInput(reportInputSchema, reportInput(answers, publicFlow(slug)));
  const floor = await loop({ concurrency: CONNECTIONS, seconds }, async () => {
    const hash = await receiptHash(ctx, settings, newReceipt());
    await inTransaction(ctx, async (trx) => {
      const r = await insertReport(ctx, trx, {
        organisationId, input, kind: category.kind as Kind, channel: "web", locale: "nl", receiptHash: hash, reporterTag: null,
        author: { type: "anonymous", id: null }, intakeNonce: randomToken(),
      });
      const id = newId(), fileKey = crypto.randomBytes(32);
      await attachmentRepo.insertAttachment(trx, {
        id, organisation_id: organisationId, report_id: r.reportId, entry_id: null, size: jpeg.length, media_type: "image/jpeg", chunk_count: 1,
        sealed_meta: seal(ctx.masterKey, JSON.stringify({ name: "foto.jpg", removed: [], notice: null }), `attachment-meta:${r.reportId}:${id}`),
        wrapped_key: seal(ctx.masterKey, fileKey, `attachment-key:${r.reportId}:${id}`), created_at: now(), pending_until: null,
      });
      await attachmentRepo.insertChunk(trx, { attachment_id: id, idx: 0, data: sealBytes(fileKey, jpeg, `attachment-chunk:${id}:0:last`) });
    });
  });
  return {
    id: "intake", title: "1. Anonymous intake, 200 KB photo, 20 at once", metric: { name: "throughput", unit: "/s" },
    intact: { value: intakes.perSecond, measure: intakes, detail: { requests: http.statuses, photoBytes: jpeg.length, requestLatencyMs: http.latencyMs } },
    baseline: { kind: "floor", what: "Argon2id + insert transaction in process, 20 at once", value: floor.perSecond, measure: floor },
    ratio: intakes.perSecond / floor.perSecond,
    targets: [{ text: "throughput ≥ 80% of the floor", met: intakes.perSecond >= 0.8 * floor.perSecond }],
    notes: [`p50 ${intakes.latencyMs.p50} ms, p99 ${intakes.latencyMs.p99} ms per intake (upload + send); floor p50 ${floor.latencyMs.p50} ms, p99 ${floor.latencyMs.p99} ms`,
      ...(sent === 0 || failed ? [`${sent} intakes sent, ${failed} failed (statuses ${JSON.stringify(http.statuses)})`] : [])],
  };
}
