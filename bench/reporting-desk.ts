// First measurements of the reporting desk (issue 3's note): submission time, receipt check time and the
// coordinator's inbox with 10 000 cases, on SQLite or PostgreSQL. The full benchmark suite (issue 5)
// grows from here. Usage: npm run bench -- [--db sqlite|postgres] [--cases 10000]
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { loadActor } from "../src/auth/service.ts";
import * as authRepo from "../src/auth/repository.ts";
import { loadConfig } from "../src/config.ts";
import type { Context } from "../src/context.ts";
import { newId, now } from "../src/crypto/tokens.ts";
import { openDatabase } from "../src/db/database.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import type { ReportEntriesTable, ReportKeysTable, ReportsTable } from "../src/db/schema.ts";
import { buildApp } from "../src/http/app.ts";
import { createLogger } from "../src/log.ts";
import { acknowledgementDue, addDays, feedbackDue, today } from "../src/reports/deadlines.ts";
import { ensureSettings, reportByReceipt, submitReport } from "../src/reports/intake.ts";
import { listCases } from "../src/reports/service.ts";
import { newDataKey, sealEntry, wrapForInstance } from "../src/reports/sealing.ts";
import { contentSchema } from "../src/reports/schema.ts";
import { STATUSES } from "../src/reports/workflow.ts";

const { values: args } = parseArgs({ options: { db: { type: "string", default: "sqlite" }, cases: { type: "string", default: "10000" } } });
const N = Number(args.cases);

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { n: s.length, p50: +q(0.5).toFixed(1), p95: +q(0.95).toFixed(1), max: +s.at(-1)!.toFixed(1) };
}
async function time<T>(fn: () => Promise<T>): Promise<number> { const t = performance.now(); await fn(); return performance.now() - t; }
async function repeat(times: number, fn: () => Promise<unknown>) { const out: number[] = []; for (let i = 0; i < times; i++) out.push(await time(fn)); return stats(out); }

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "intact-bench-"));
let url: string | undefined;
const adminUrl = process.env.PG_TEST_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const dbName = `intact_bench_${crypto.randomBytes(4).toString("hex")}`;
if (args.db === "postgres") {
  const c = new pg.Client({ connectionString: adminUrl }); await c.connect(); await c.query(`create database ${dbName}`); await c.end();
  const u = new URL(adminUrl); u.pathname = `/${dbName}`; url = u.toString();
}
// Production hashing cost (ARGON2_MEMORY_KIB default), receipt padding off to see the real work.
const config = loadConfig({ DATA_DIR: dataDir, ...(url ? { DATABASE_URL: url } : {}), LOG_LEVEL: "silent", RECEIPT_MIN_MS: "0",
  INTACT_MASTER_KEY: crypto.randomBytes(32).toString("base64") });
const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir });
await migrateToLatest(database.db);
const ctx: Context = { config, db: database.db, dialect: database.dialect, masterKey: Buffer.from(config.masterKey!, "base64"), log: createLogger("silent") };

const orgId = newId();
await ctx.db.insertInto("organisations").values({ id: orgId, name: "Gemeente Bank", slug: "bank", kind: "municipality", totp_required: 0, created_at: now(), updated_at: now() }).execute();
await ensureSettings(ctx, orgId);
const categories = await ctx.db.selectFrom("report_categories").select(["id", "kind"]).where("organisation_id", "=", orgId).execute();
const accountId = newId();
await authRepo.insertAccount(ctx.db, { id: accountId, email: "c@bank.test", display_name: "Coördinator", password_hash: null, totp_secret_sealed: null, totp_enabled: 0,
  totp_last_step: null, password_change_required: 0, locale: "nl", person_id: null, disabled: 0, created_at: now(), last_login_at: null });
await ctx.db.insertInto("role_assignments").values({ id: newId(), account_id: accountId, role: "coordinator", scope_type: "organisation", scope_id: orgId, organisation_id: orgId, created_at: now() }).execute();
const actor = await loadActor(ctx.db, (await authRepo.findAccount(ctx.db, accountId))!, orgId, "session");

// ---- 10 000 cases over five years, bulk-inserted (metadata, wrapped key, one sealed content entry each)
const gen = performance.now();
const day0 = today();
const rand = (() => { let s = 42; return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31); })();
const rows: { r: ReportsTable; k: ReportKeysTable; e: ReportEntriesTable }[] = [];
for (let i = 0; i < N; i++) {
  const id = newId();
  const received = `${addDays(day0, -Math.floor(rand() * 5 * 365))}T10:00:00.000Z`;
  const status = rand() < 0.8 ? "closed" : STATUSES[Math.floor(rand() * (STATUSES.length - 1))]!;
  const acked = status !== "received" ? received : null;
  const cat = categories[Math.floor(rand() * categories.length)]!;
  const key = newDataKey();
  const entryId = newId();
  rows.push({
    r: { id, organisation_id: orgId, reference: `${received.slice(0, 4)}-${String(i + 1).padStart(5, "0")}`, channel: "web", mode: rand() < 0.5 ? "anonymous" : "confidential",
      kind: cat.kind, category_id: cat.id, unit_id: null, status, routing: "desk", locale: "nl", received_at: received, ack_due_on: acknowledgementDue(received),
      acknowledged_at: acked, feedback_due_on: acked ? feedbackDue(acked) : null, feedback_given_at: status === "closed" ? received : null, decision: null,
      investigation_by: null, closed_at: status === "closed" ? received : null, coordinator_account_id: rand() < 0.5 ? accountId : null, investigator_account_id: null,
      reporter_tag: null, receipt_hash: null, retain_until: null, destroyed_at: null, alternative_account_id: null, intake_nonce: null,
      version: 1, created_at: received, updated_at: received },
    k: { report_id: id, holder_type: "instance", holder_id: "", wrapped_key: wrapForInstance(ctx.masterKey, id, key), created_at: received },
    e: { id: entryId, report_id: id, position: 1, kind: "content", author_type: "reporter", author_account_id: null, visible_to_reporter: 0, meta: "{}",
      sealed: sealEntry(key, contentSchema, { categoryId: cat.id, description: "Beschrijving ".repeat(20), occurredOn: "", occurredWhen: "", unitId: "", location: "",
        involved: "", howKnown: "saw", howKnownDetail: "", reportedBefore: "no", reportedBeforeDetail: "", concernsHandler: "no" }, { reportId: id, entryId, kind: "content" }),
      created_at: received },
  });
}
for (let i = 0; i < rows.length; i += 500) {
  const batch = rows.slice(i, i + 500);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto("reports").values(batch.map((b) => b.r)).execute();
    await trx.insertInto("report_keys").values(batch.map((b) => b.k)).execute();
    await trx.insertInto("report_entries").values(batch.map((b) => b.e)).execute();
  });
}
const genMs = performance.now() - gen;

// ---- measurements
const submit = await repeat(20, () => submitReport(ctx, "bank", {
  categoryId: categories[0]!.id, description: "Meting", occurredOn: "", occurredWhen: "", unitId: "", location: "", involved: "", howKnown: "saw",
  howKnownDetail: "", reportedBefore: "no", reportedBeforeDetail: "", concernsHandler: "no", mode: "anonymous", noticeEmail: "",
}, { locale: "nl" }));
const one = await submitReport(ctx, "bank", { categoryId: categories[0]!.id, description: "Bon", occurredOn: "", occurredWhen: "", unitId: "", location: "",
  involved: "", howKnown: "saw", howKnownDetail: "", reportedBefore: "no", reportedBeforeDetail: "", concernsHandler: "no", mode: "anonymous", noticeEmail: "" }, { locale: "nl" });
const receipt = await repeat(20, () => reportByReceipt(ctx, "bank", { receipt: one.receipt! }));
const inbox1 = await repeat(30, () => listCases(ctx, actor, { status: "open", deadline: undefined, sort: "due" }, "nl"));
const inboxAll = await repeat(30, () => listCases(ctx, actor, { sort: "due" }, "nl"));
const inbox50 = await repeat(30, () => listCases(ctx, actor, { sort: "due", page: "50" }, "nl"));
const overdue = await repeat(30, () => listCases(ctx, actor, { deadline: "overdue" }, "nl"));
// Over HTTP, the whole page as the coordinator's browser gets it.
const app = await buildApp(ctx);
await app.ready();
const { startSession } = await import("../src/auth/service.ts");
const token = await startSession(ctx, accountId, "full", { type: "system", id: "bench" });
const http = await repeat(30, async () => {
  const res = await app.inject({ method: "GET", url: "/meldingen", headers: { cookie: `intact_session=${token}` } });
  if (res.statusCode !== 200) throw new Error(`inbox page ${res.statusCode}`);
});
await app.close();

const result = {
  db: args.db, cases: N, machine: { cores: os.cpus().length, node: process.version }, generateMs: Math.round(genMs),
  submitReport_ms: submit, receiptCheck_ms_unpadded: receipt,
  inbox_open_page1_ms: inbox1, inbox_all_page1_ms: inboxAll, inbox_page50_ms: inbox50, inbox_overdue_ms: overdue, inbox_http_page_ms: http,
};
console.log(JSON.stringify(result, null, 2));
await database.close();
fs.rmSync(dataDir, { recursive: true, force: true });
if (url) { const c = new pg.Client({ connectionString: adminUrl }); await c.connect(); await c.query(`drop database ${dbName} with (force)`); await c.end(); }
