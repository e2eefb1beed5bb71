// The confidential advisors' yearly report (issue 4's note): generation time for a pool (a group of two
// organisations under one advisor's group grant) with 5 years × 500 contacts, on SQLite or PostgreSQL.
// The five-year table is one GROUP BY in the database, so this measures the queries, the suppression and
// the exports, not the transfer of rows. Usage: npm run bench -- [--db sqlite|postgres] [--per-year 500] [--runs 20]
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import pg from "pg";
import { countReport, currentYear, yearlyReport } from "../src/advisors/report.ts";
import { reportCsv, reportDocx } from "../src/advisors/report-export.ts";
import { ensureAdvisorSetup } from "../src/advisors/service.ts";
import { FOLLOW_UPS, FORMS, RELATIONS } from "../src/advisors/vocabulary.ts";
import { NATURE_PRESET } from "../src/advisors/presets.ts";
import * as authRepo from "../src/auth/repository.ts";
import { loadActor } from "../src/auth/service.ts";
import { loadConfig } from "../src/config.ts";
import type { Context } from "../src/context.ts";
import { newId, now } from "../src/crypto/tokens.ts";
import { openDatabase } from "../src/db/database.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import type { AdvisorContactsTable } from "../src/db/schema.ts";
import { createLogger } from "../src/log.ts";
import { translator } from "../src/ui/messages.ts";

const { values: args } = parseArgs({ strict: false, options: {
  db: { type: "string", default: "sqlite" }, "per-year": { type: "string", default: "500" }, runs: { type: "string", default: "20" },
} });
const PER_YEAR = Number(args["per-year"]);
const RUNS = Number(args.runs);

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { n: s.length, p50: +q(0.5).toFixed(1), p95: +q(0.95).toFixed(1), max: +s.at(-1)!.toFixed(1) };
}
async function repeat(times: number, fn: () => Promise<unknown>) {
  await fn(); // warm-up (statement caches, JIT), not counted
  const out: number[] = [];
  for (let i = 0; i < times; i++) { const t = performance.now(); await fn(); out.push(performance.now() - t); }
  return stats(out);
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "intact-bench-"));
let url: string | undefined;
const adminUrl = process.env.PG_TEST_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const dbName = `intact_bench_${crypto.randomBytes(4).toString("hex")}`;
if (args.db === "postgres") {
  const c = new pg.Client({ connectionString: adminUrl }); await c.connect(); await c.query(`create database ${dbName}`); await c.end();
  const u = new URL(adminUrl); u.pathname = `/${dbName}`; url = u.toString();
}
const config = loadConfig({ DATA_DIR: dataDir, ...(url ? { DATABASE_URL: url } : {}), LOG_LEVEL: "silent", INTACT_MASTER_KEY: crypto.randomBytes(32).toString("base64") });
const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir });
await migrateToLatest(database.db);
const ctx: Context = { config, db: database.db, dialect: database.dialect, masterKey: Buffer.from(config.masterKey!, "base64"), log: createLogger("silent") };

// ---- a pool: two organisations in a group, one advisor with a grant on the group, a coordinator of the group
const orgs = ["Gemeente Noord", "Gemeente Zuid"].map((name, i) => ({ id: newId(), name, slug: `bench-${i}` }));
for (const o of orgs) {
  await ctx.db.insertInto("organisations").values({ ...o, kind: "municipality", totp_required: 0, created_at: now(), updated_at: now() }).execute();
  await ensureAdvisorSetup(ctx, o.id);
}
const groupId = newId();
await ctx.db.insertInto("organisation_groups").values({ id: groupId, name: "Regio Bank", kind: "region", created_at: now() }).execute();
for (const o of orgs) await ctx.db.insertInto("organisation_group_members").values({ group_id: groupId, organisation_id: o.id }).execute();
const account = async (email: string, role: string) => {
  const id = newId();
  await authRepo.insertAccount(ctx.db, { id, email, display_name: email, password_hash: null, totp_secret_sealed: null, totp_enabled: 0,
    totp_last_step: null, password_change_required: 0, locale: "nl", person_id: null, disabled: 0, created_at: now(), last_login_at: null });
  await ctx.db.insertInto("role_assignments").values({ id: newId(), account_id: id, role, scope_type: "group", scope_id: groupId, organisation_id: null, created_at: now() }).execute();
  return loadActor(ctx.db, (await authRepo.findAccount(ctx.db, id))!, orgs[0]!.id, "session");
};
const advisor = await account("vp@bank.test", "advisor");
const coordinator = await account("coordinator@bank.test", "coordinator");

// ---- 5 years × PER_YEAR contacts, bulk-inserted, a quarter of them with two natures; 40 activities a year
const gen = performance.now();
const year = currentYear() - 1;
const rand = (() => { let s = 42; return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31); })();
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
const contacts: AdvisorContactsTable[] = [];
const natures: { contact_id: string; code: string }[] = [];
for (let y = year - 4; y <= year; y++) {
  for (let i = 0; i < PER_YEAR; i++) {
    const id = newId();
    const day = `${y}-${String(1 + Math.floor(rand() * 12)).padStart(2, "0")}-${String(1 + Math.floor(rand() * 28)).padStart(2, "0")}`;
    contacts.push({ id, organisation_id: pick(orgs).id, unit_id: null, advisor_account_id: advisor.accountId, successor_account_id: null, contact_on: day,
      relation: pick(RELATIONS), form: pick(FORMS), people: rand() < 0.9 ? 1 : 2 + Math.floor(rand() * 4), conversations: 1 + Math.floor(rand() * 3),
      minutes: 30 + Math.floor(rand() * 120), follow_up: pick(FOLLOW_UPS), report_id: null, consent_on: null, status: "closed", closed_on: day,
      notes_destroy_on: null, notes_destroyed_at: null, version: 1, created_at: `${day}T10:00:00.000Z`, updated_at: `${day}T10:00:00.000Z` });
    const codes = new Set([pick(NATURE_PRESET).code]);
    if (rand() < 0.25) codes.add(pick(NATURE_PRESET).code);
    for (const code of codes) natures.push({ contact_id: id, code });
  }
}
for (let i = 0; i < contacts.length; i += 500) await ctx.db.insertInto("advisor_contacts").values(contacts.slice(i, i + 500)).execute();
for (let i = 0; i < natures.length; i += 500) await ctx.db.insertInto("advisor_contact_natures").values(natures.slice(i, i + 500)).execute();
const activities = Array.from({ length: 200 }, (_, i) => ({ id: newId(), organisation_id: pick(orgs).id, unit_id: null, advisor_account_id: advisor.accountId,
  activity_on: `${year - 4 + (i % 5)}-06-15`, kind: pick(["team_presentation", "workshop", "intake_talk"]), people_reached: 5 + Math.floor(rand() * 30), created_at: now() }));
await ctx.db.insertInto("advisor_activities").values(activities).execute();
const genMs = performance.now() - gen;
// Fresh statistics, as autovacuum would have them by the time anyone asks for a yearly report.
if (ctx.dialect === "postgres") await sql`analyze`.execute(ctx.db);

// ---- measurements
const scope = { scope: "group" as const, id: groupId, year };
const counts = await repeat(RUNS, () => countReport(ctx.db, orgs.map((o) => o.id), year));
const report = await repeat(RUNS, () => yearlyReport(ctx, coordinator, scope));
const one = await yearlyReport(ctx, coordinator, scope);
const t = translator("nl");
const csv = await repeat(RUNS, async () => reportCsv(one, t, "nl"));
const docx = await repeat(RUNS, () => reportDocx(one, t, "nl"));

console.log(JSON.stringify({
  db: args.db, contacts: contacts.length, natureTicks: natures.length, organisations: orgs.length, year,
  machine: { cores: os.cpus().length, node: process.version }, generateMs: Math.round(genMs),
  countReport_ms: counts, yearlyReport_ms: report, csv_ms: csv, docx_ms: docx,
  check: { contactsInReportYear: one.totals.contacts.at(-1)!.display, hiddenCells: one.natures.flatMap((n) => n.cells).filter((c) => c.hidden).length },
}, null, 2));
await database.close();
fs.rmSync(dataDir, { recursive: true, force: true });
if (url) { const c = new pg.Client({ connectionString: adminUrl }); await c.connect(); await c.query(`drop database ${dbName} with (force)`); await c.end(); }
