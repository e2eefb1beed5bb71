// The crash suite (issue 5): the real server as a child process, anonymous submissions from concurrent
// clients, SIGKILL at random moments and a restart on the same data, then proof that nothing was lost or
// half-written:
//   - every submission that returned a receipt opens in the mailbox (POST /api/v1/intake/:slug/mailbox) with
//     its reference, and the case holds exactly the content sent and the attachment (name, type, bytes), read
//     back through the handler API with a coordinator's API token;
//   - every report in the database is one of the submissions, complete (also those whose answer was lost
//     to a kill): content entry, case key, attachments with all their chunks;
//   - no report entry, key, attachment or chunk without its parent; pending uploads of submissions that were
//     never sent only while not yet expired (housekeeping deletes them after 24 hours);
//   - one report.submit audit event per report, references without gaps, and `intact audit verify` passes.
// A submission that fails with a connection error (the server was down) is never counted: the client makes
// a NEW submission later. A share of the submissions goes through the intake pages with a text attachment on
// the files step (multipart; the JSON API takes no files), the rest through POST /api/v1/intake/:slug/reports.
//
// The short run (npm test, tier "crash") is 60 submissions and 3 kills; the full run (npm run test:crash,
// CRASH_FULL=1) is 1 000 and 20. Settings: CRASH_SUBMISSIONS, CRASH_KILLS, CRASH_CLIENTS (20),
// CRASH_PAGE_SHARE (0.5: share through the pages, with a file), CRASH_SEED (printed; the same seed gives the
// same contents and kill points), CRASH_DB (sqlite or postgres: only that one), CRASH_KEEP=1 (keep the data
// directory or database, and print where).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { systemActor } from "../../src/access/actor.ts";
import { createApiToken } from "../../src/auth/service.ts";
import { boot } from "../../src/boot.ts";
import { loadConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/database.ts";
import { createLogger } from "../../src/log.ts";
import { HOW_KNOWN } from "../../src/reports/workflow.ts";
import { DB_KINDS, type DbKind } from "../helpers/db.ts";
import { grant, makeAccount, makeOrganisation, makeUnit } from "../helpers/fixtures.ts";
import {
  Browser, cli, crashDatabase, CrashServer, isConnectionError, json, pool, prng, Unexpected, type CrashDb, type Prng,
} from "./harness.ts";

const FULL = process.env.CRASH_FULL === "1";
const SUBMISSIONS = Number(process.env.CRASH_SUBMISSIONS ?? (FULL ? 1000 : 60));
const KILLS = Number(process.env.CRASH_KILLS ?? (FULL ? 20 : 3));
const CLIENTS = Number(process.env.CRASH_CLIENTS ?? 20);
const PAGE_SHARE = Number(process.env.CRASH_PAGE_SHARE ?? 0.5);
const SEED = process.env.CRASH_SEED ? Number(process.env.CRASH_SEED) : crypto.randomInt(2 ** 31);
const KEEP = process.env.CRASH_KEEP === "1";
const ONLY = process.env.CRASH_DB;


// The throttles count per client address, and every client here is 127.0.0.1: opened wide. Argon2 cheap, no padding.
const SERVER_ENV = {
  ARGON2_MEMORY_KIB: "1024", RECEIPT_MIN_MS: "0", LOGIN_MIN_MS: "0",
  INTAKE_MAX_PER_HOUR: "1000000", RECEIPT_MAX_FAILURES: "1000000",
  // Uploads per hour are 3 × ATTACHMENT_MAX_FILES per client; the pending budget per client is 2 × the report limit.
  ATTACHMENT_MAX_FILES: "1000", ATTACHMENT_MAX_REPORT_MB: "10240",
};

type Content = {
  categoryId: string; description: string; occurredOn: string; occurredWhen: string; unitId: string; location: string; involved: string;
  howKnown: string; howKnownDetail: string; reportedBefore: string; reportedBeforeDetail: string; concernsHandler: string;
};
type Attempt = {
  token: string; client: number; via: "api" | "page"; content: Content;
  file: { name: string; size: number; sha256: string } | null;
  outcome: "pending" | "receipt" | "connection" | "unexpected";
  receipt?: string; reference?: string;
};

const log = (s: string) => console.log(`# ${s}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sha256 = (b: Buffer) => crypto.createHash("sha256").update(b).digest("hex");

// ---- what the clients send -----------------------------------------------------------------------

const WORDS = [
  "kas", "geld", "bon", "balie", "collega", "leidinggevende", "factuur", "opdracht", "zwager", "gemeente", "dienstauto", "weekend",
  "contant", "declaratie", "één", "geïnd", "café", "reünie", "naïef", "€ 250", "R&D", "a < b", "\"citaat\"", "‘enkel’", "—", "Ærø",
];
const sentence = (r: Prng, n: number) => Array.from({ length: n }, () => r.pick(WORDS)).join(" ") + ".";
/** Text of about `len` characters: sentences, sometimes a new paragraph; never blank at either end. */
function text(r: Prng, len: number): string {
  let s = "";
  while (s.length < len) s += (s ? (r.chance(0.15) ? "\n\n" : " ") : "") + sentence(r, r.int(3, 14));
  return s.slice(0, len).trim();
}
const maybe = (r: Prng, p: number, f: () => string) => (r.chance(p) ? f() : "");

type Target = { categories: { id: string }[]; units: { id: string }[] };

function content(r: Prng, target: Target, token: string): Content {
  const roll = r.next();
  const len = roll < 0.8 ? r.int(40, 600) : roll < 0.95 ? r.int(600, 5000) : r.int(15_000, 19_900);
  const reportedBefore = r.pick(["yes", "no"]);
  return {
    categoryId: r.pick(target.categories).id,
    // The token first: every report in the database can be traced to the attempt that made it.
    description: `${token} ${text(r, len)}`.slice(0, 20_000).trim(),
    occurredOn: maybe(r, 0.5, () => `20${r.int(20, 25)}-${String(r.int(1, 12)).padStart(2, "0")}-${String(r.int(1, 28)).padStart(2, "0")}`),
    occurredWhen: maybe(r, 0.5, () => text(r, r.int(5, 120))),
    unitId: target.units.length ? maybe(r, 0.6, () => r.pick(target.units).id) : "",
    location: maybe(r, 0.4, () => text(r, r.int(5, 200))),
    involved: maybe(r, 0.5, () => text(r, r.int(5, 1500))),
    howKnown: r.pick(HOW_KNOWN),
    howKnownDetail: maybe(r, 0.3, () => text(r, r.int(5, 800))),
    reportedBefore,
    reportedBeforeDetail: reportedBefore === "yes" ? maybe(r, 0.7, () => text(r, r.int(5, 800))) : "",
    // The organisation has no alternative recipient: "yes" would be refused.
    concernsHandler: "no",
  };
}

/** A plain-text file (stored as it is sent: no metadata to remove), mostly small, sometimes over 1 MiB (2 or 3 chunks). */
function file(r: Prng, token: string): { name: string; content: Buffer } {
  const size = r.chance(0.15) ? r.int(1024 * 1024 + 1, 2.5 * 1024 * 1024) : r.int(1, 200_000);
  const head = Buffer.from(`Bewijsstuk ${token}\n`);
  const buf = Buffer.alloc(Math.max(size, head.length));
  head.copy(buf);
  const alphabet = Buffer.from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:-");
  for (let i = head.length; i < buf.length; i++) buf[i] = i % 72 === 71 ? 0x0a : alphabet[Math.floor(r.next() * alphabet.length)]!;
  return { name: `bewijs ${token.slice(-8)}.txt`, content: buf };
}

// ---- the two ways in -----------------------------------------------------------------------------

const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
const unescapeHtml = (s: string) => s.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
const h1 = (html: string) => /<h1[^>]*>(.*?)<\/h1>/s.exec(html)?.[1]?.replace(/<[^>]+>/g, "");
const problemOf = (html: string) => [h1(html), ...[...html.matchAll(/class="[^"]*(?:error|alert)[^"]*"[^>]*>(.*?)<\//gs)].map((m) => m[1])].filter(Boolean).join(" | ").slice(0, 500);

async function viaApi(server: CrashServer, slug: string, a: Attempt): Promise<{ receipt: string; reference: string }> {
  const r = await json(server, "POST", `/api/v1/intake/${slug}/reports`, { ...a.content, mode: "anonymous", noticeEmail: "" });
  if (r.status !== 201 || typeof r.body?.receipt !== "string") throw new Unexpected(`createReport answered ${r.status}: ${r.text.slice(0, 500)}`);
  return { receipt: r.body.receipt, reference: String(r.body.reference) };
}

/** The intake pages, as a browser without JavaScript goes through them: each question, the files step (multipart), "Versturen". */
async function viaPages(server: CrashServer, slug: string, a: Attempt, f: { name: string; content: Buffer } | null): Promise<{ receipt: string; reference: string }> {
  const b = new Browser(server);
  const stepUrl = `/melden/${slug}/stap`;
  const ok = (p: { status: number; text: string }, what: string) => {
    if (p.status !== 200) throw new Unexpected(`${what}: ${p.status} ${problemOf(p.text)}`);
    return p;
  };
  let p = ok(await b.request("GET", `/melden/${slug}`), "start page");
  let csrf = hidden(p.text, "_csrf");
  if (!csrf) throw new Unexpected("start page without a CSRF token");
  p = ok(await b.form(stepUrl, { _csrf: csrf, nav: "start" }), "start");
  let uploaded = false;
  const answers: Record<string, Record<string, string>> = {
    category: { categoryId: a.content.categoryId }, what: { description: a.content.description },
    when: { occurredOn: a.content.occurredOn, occurredWhen: a.content.occurredWhen }, where: { unitId: a.content.unitId, location: a.content.location },
    who: { involved: a.content.involved }, how: { howKnown: a.content.howKnown, howKnownDetail: a.content.howKnownDetail },
    before: { reportedBefore: a.content.reportedBefore, reportedBeforeDetail: a.content.reportedBeforeDetail },
    handler: { concernsHandler: a.content.concernsHandler }, mode: { mode: "anonymous" }, notice: { noticeEmail: "" },
  };
  for (let guard = 0; ; guard++) {
    if (guard > 30) throw new Unexpected("the intake did not reach the check page in 30 steps");
    csrf = hidden(p.text, "_csrf") ?? csrf;
    const step = hidden(p.text, "step");
    const draftRaw = hidden(p.text, "draft");
    if (!step || draftRaw === undefined) throw new Unexpected(`an intake page without step or draft: ${problemOf(p.text)}`);
    const draft = unescapeHtml(draftRaw);
    if (step === "check") {
      p = ok(await b.form(`/melden/${slug}/versturen`, { _csrf: csrf, draft }), "Versturen");
      break;
    }
    const form = { _csrf: csrf, draft, step, nav: "next" };
    if (step === "files" && f && !uploaded) {
      p = ok(await b.multipart(stepUrl, { ...form, nav: "upload" }, { name: f.name, content: f.content, type: "text/plain" }), "upload");
      if (!p.text.includes(f.name)) throw new Unexpected(`the files step does not list ${f.name}: ${problemOf(p.text)}`);
      uploaded = true;
      continue;
    }
    const fields = answers[step];
    if (!fields && step !== "files") throw new Unexpected(`an intake step this test does not know: ${step}`);
    p = ok(await b.form(stepUrl, { ...form, ...fields }), `step ${step}`);
  }
  const receipt = /data-testid="receipt">(\d{4} \d{4} \d{4} \d{4})</.exec(p.text)?.[1]?.replace(/ /g, "");
  const reference = /\b(\d{4}-\d{4,})\b/.exec(p.text.slice(p.text.indexOf('data-testid="receipt"')))?.[1];
  if (!receipt || !reference) throw new Unexpected(`the sent page without receipt or reference: ${problemOf(p.text)}`);
  return { receipt, reference };
}

// ---- one run ---------------------------------------------------------------------------------------

type Kill = { afterReceipts: number; inFlight: number; downMs: number };

async function crashRun(kind: DbKind) {
  const started = performance.now();
  const seed = SEED;
  log(`${kind}: ${SUBMISSIONS} submissions, ${KILLS} kills, ${CLIENTS} clients, ${Math.round(PAGE_SHARE * 100)}% through the pages with a file; CRASH_SEED=${seed}`);
  const db: CrashDb = await crashDatabase(kind);
  const server = new CrashServer(db, SERVER_ENV);
  let failed = true;
  try {
    // The scene, before the first start: an organisation with three units, and its coordinator with an API token
    // (through the repositories and the real token service, so the token's audit event is in the chain).
    const { ctx, database: setupDb } = await boot({ config: loadConfig({ ...server.env, LOG_LEVEL: "silent" }), log: createLogger("silent") });
    let slug: string, bearer: string;
    try {
      const org = await makeOrganisation(ctx, "Gemeente Crashstad");
      for (const name of ["Burgerzaken", "Buitendienst", "Inkoop"]) await makeUnit(ctx, org.id, name);
      const coordinator = await makeAccount(ctx, "coordinator@crashstad.example");
      await grant(ctx, coordinator.id, "coordinator", "organisation", org.id, org.id);
      bearer = (await createApiToken(ctx, systemActor("crash-suite"), coordinator.id, "crash suite", 1)).token;
      slug = org.slug;
    } finally {
      await setupDb.close();
    }
    await server.start();
    const cats = await json(server, "GET", `/api/v1/intake/${slug}/categories`);
    assert.equal(cats.status, 200, cats.text);
    const target = cats.body as unknown as Target;
    assert.equal(target.units.length, 3);

    // ---- load and kills ----
    const attempts = new Map<string, Attempt>();
    const receipts: Attempt[] = [];
    const unexpected: string[] = [];
    let refused = 0, cutOff = 0, inFlight = 0, done = false, killerDone = false;
    const kills: Kill[] = [];

    const client = async (c: number) => {
      const r = prng(seed * 1000 + c + 1);
      let backoff = 0;
      for (let k = 0; !done; k++) {
        // Until N receipts and every kill: no more new submissions than needed once the killer is through.
        if (killerDone && receipts.length + inFlight >= SUBMISSIONS) {
          if (receipts.length >= SUBMISSIONS) return;
          await sleep(10);
          continue;
        }
        const token = `crash-${seed}-${c}-${k}`;
        const via = r.chance(PAGE_SHARE) ? "page" : "api";
        const f = via === "page" ? file(r, token) : null;
        const a: Attempt = {
          token, client: c, via, content: content(r, target, token), outcome: "pending",
          file: f ? { name: f.name, size: f.content.length, sha256: sha256(f.content) } : null,
        };
        attempts.set(token, a);
        const epoch = server.epoch, upBefore = server.up;
        let pause = 0;
        inFlight++;
        try {
          const got = via === "api" ? await viaApi(server, slug, a) : await viaPages(server, slug, a, f);
          a.outcome = "receipt";
          a.receipt = got.receipt;
          a.reference = got.reference;
          receipts.push(a);
          backoff = 0;
        } catch (e) {
          a.outcome = "connection";
          // A connection error is expected only when the server was down at either end or was killed meanwhile.
          if (isConnectionError(e) && (epoch !== server.epoch || !upBefore || !server.up)) {
            const code = (e as { cause?: { code?: string } }).cause?.code ?? "";
            if (code === "ECONNREFUSED") refused++; else cutOff++;
            // Later, as a person would: a growing pause, then a new submission.
            backoff = Math.min(1000, backoff ? backoff * 2 : 50);
            pause = backoff / 2 + r.int(0, backoff / 2);
          } else {
            a.outcome = "unexpected";
            unexpected.push(`${token} (${via}): ${(e as Error).message}${(e as { cause?: Error }).cause ? ` (${(e as { cause?: Error }).cause!.message})` : ""}`);
            if (unexpected.length > 20) done = true;
          }
        } finally {
          inFlight--;
        }
        if (pause) await sleep(pause);
      }
    };

    const killer = async () => {
      const r = prng(seed ^ 0x5eed);
      const lo = Math.ceil(SUBMISSIONS * 0.05), hi = Math.max(lo, Math.floor(SUBMISSIONS * 0.9));
      // One moment in each of KILLS equal stretches of the run, so the kills spread over it; and never before the
      // restarted server has given a few receipts again (a kill of a server that no client has reached proves little).
      const span = (hi - lo + 1) / Math.max(1, KILLS);
      const thresholds = Array.from({ length: KILLS }, (_, i) => lo + Math.floor(i * span + r.next() * span));
      if (!thresholds.length) killerDone = true;
      let sinceStart = 0;
      for (const t of thresholds) {
        while ((receipts.length < t || receipts.length < sinceStart + 3) && !done) await sleep(5);
        if (done) return;
        await sleep(r.int(0, 250));
        const at = { afterReceipts: receipts.length, inFlight };
        const down = performance.now();
        await server.kill();
        await sleep(r.int(0, 500));
        await server.start();
        sinceStart = receipts.length;
        kills.push({ ...at, downMs: Math.round(performance.now() - down) });
      }
      killerDone = true;
    };

    const loadStarted = performance.now();
    // A start that fails ends the load at once (the clients stop), and the test with the server's output.
    const killing = killer().catch((e: unknown) => { done = true; throw e; });
    await Promise.all([killing, ...Array.from({ length: CLIENTS }, (_, c) => client(c))]);
    done = true;
    const loadMs = Math.round(performance.now() - loadStarted);
    assert.deepEqual(unexpected, [], `answers that were neither a receipt nor a connection error of a kill:\n${unexpected.join("\n")}\nserver:\n${server.output()}`);
    assert.equal(kills.length, KILLS, "every planned kill happened");
    const lost = [...attempts.values()].filter((a) => a.outcome === "connection");
    const byVia = (via: string) => {
      const all = [...attempts.values()].filter((a) => a.via === via);
      return `${all.filter((a) => a.outcome === "receipt").length}/${all.length}`;
    };
    log(`${kind}: load ${loadMs} ms: ${attempts.size} attempts, ${receipts.length} receipts (API ${byVia("api")}, pages with a file ${byVia("page")}); `
      + `${lost.length} lost to kills: ${refused} refused while down, ${cutOff} cut off mid-request`);
    log(`${kind}: kills after receipts ${kills.map((k) => `${k.afterReceipts} (${k.inFlight} in flight, down ${k.downMs} ms)`).join(", ")}`);

    // ---- read everything back through the server (as the last restart left it) ----
    const auth = { authorization: `Bearer ${bearer}` };

    // The reporter's side: every receipt opens its mailbox, with the reference it was given and the file it sent.
    const problems: string[] = [];
    await pool(receipts, 8, async (a) => {
      const r = await json(server, "POST", `/api/v1/intake/${slug}/mailbox`, { receipt: a.receipt });
      if (r.status !== 200) return void problems.push(`${a.token}: mailbox answered ${r.status}: ${r.text.slice(0, 300)}`);
      const m = r.body as { reference: string; status: string; messages: { from: string; body: string; files?: { name: string; size: number }[] }[] };
      if (m.reference !== a.reference) problems.push(`${a.token}: mailbox reference ${m.reference}, the receipt came with ${a.reference}`);
      if (m.status !== "received") problems.push(`${a.token}: mailbox status ${m.status}`);
      const expected = a.file ? [{ from: "reporter", body: "", files: [{ name: a.file.name, size: a.file.size }] }] : [];
      const got = m.messages.map((x) => ({ from: x.from, body: x.body, ...(x.files ? { files: x.files.map((f) => ({ name: f.name, size: f.size })) } : {}) }));
      try { assert.deepEqual(got, expected); } catch { problems.push(`${a.token}: mailbox messages ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`); }
    });

    // The desk's side: every report in the database, read with the coordinator's token, is one of the submissions, whole.
    const database = openDatabase({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
    const rows = await database.db.selectFrom("reports").select(["id", "reference"]).execute();
    await database.close();
    const byReference = new Map(rows.map((x) => [x.reference, x.id]));
    const seen = new Set<string>();
    let committedWithoutReceipt = 0, filesRead = 0;
    await pool(rows, 8, async (row) => {
      const r = await json(server, "GET", `/api/v1/cases/${row.id}`, undefined, auth);
      if (r.status !== 200) return void problems.push(`case ${row.reference}: getCase answered ${r.status}: ${r.text.slice(0, 300)}`);
      const c = r.body as { content: Content | null; attachments: { id: string; name: string; mediaType: string; size: number; from: string }[] };
      if (!c.content) return void problems.push(`case ${row.reference}: no content`);
      const token = /^crash-\d+-\d+-\d+/.exec(c.content.description)?.[0];
      const a = token ? attempts.get(token) : undefined;
      if (!a) return void problems.push(`case ${row.reference}: made by no attempt of this run (${token ?? c.content.description.slice(0, 40)})`);
      if (seen.has(a.token)) problems.push(`${a.token}: two reports (${row.reference} and another)`);
      seen.add(a.token);
      if (a.outcome === "receipt" && a.reference !== row.reference) problems.push(`${a.token}: receipt for ${a.reference}, but the report is ${row.reference}`);
      if (a.outcome !== "receipt") committedWithoutReceipt++;
      try { assert.deepEqual(c.content, a.content); } catch { problems.push(`${a.token}: content differs from what was sent (case ${row.reference})`); }
      const files = c.attachments.map((x) => ({ name: x.name, mediaType: x.mediaType, size: x.size, from: x.from }));
      const expected = a.file ? [{ name: a.file.name, mediaType: "text/plain", size: a.file.size, from: "reporter" }] : [];
      try { assert.deepEqual(files, expected); } catch { return void problems.push(`${a.token}: attachments ${JSON.stringify(files)}, expected ${JSON.stringify(expected)}`); }
      for (const x of c.attachments) {
        const res = await fetch(`${server.base}/api/v1/cases/${row.id}/attachments/${x.id}`, { headers: auth, signal: AbortSignal.timeout(60_000) });
        const bytes = Buffer.from(await res.arrayBuffer());
        if (res.status !== 200 || sha256(bytes) !== a.file!.sha256) problems.push(`${a.token}: attachment ${x.name} answered ${res.status} with ${bytes.length} bytes that differ from those sent`);
        filesRead++;
      }
    });
    for (const a of receipts) if (!byReference.has(a.reference!) || !seen.has(a.token)) problems.push(`${a.token}: receipt returned (${a.reference}), but no such report`);
    assert.deepEqual(problems, [], `${problems.length} problems:\n${problems.slice(0, 50).join("\n")}`);
    log(`${kind}: ${receipts.length} receipts verified (mailbox, content, ${filesRead} files byte for byte); `
      + `${committedWithoutReceipt} reports committed whose answer a kill cut off, all complete`);

    // ---- the database itself, after a last kill ----
    await server.kill();
    const dbStats = await checkDatabase(db);
    log(`${kind}: database: ${dbStats.reports} reports, ${dbStats.attachments} attachments (${dbStats.chunks} chunks), `
      + `${dbStats.pending} pending uploads never sent (not expired), ${dbStats.auditEvents} audit events; no orphans`);
    const verify = await cli(server, ["audit", "verify"]);
    assert.equal(verify.code, 0, `intact audit verify: ${verify.stdout}${verify.stderr}`);
    assert.match(verify.stdout, /Audit chain intact/);
    assert.deepEqual(server.errorLines, [], `the server logged errors:\n${server.errorLines.slice(0, 20).join("\n")}`);

    const starts = server.startMs;
    log(`${kind}: ${verify.stdout.trim()}`);
    log(`${kind}: done in ${Math.round((performance.now() - started) / 1000)} s; ${starts.length} starts, median ${starts.sort((x, y) => x - y)[starts.length >> 1]} ms to healthy`);
    failed = false;
  } finally {
    await server.stop();
    if (KEEP || failed) log(`${kind}: ${failed ? "FAILED; " : ""}data kept: ${db.describe}, DATA_DIR=${db.dataDir}, INTACT_MASTER_KEY=${server.env.INTACT_MASTER_KEY}; CRASH_SEED=${seed}`);
    else await db.drop();
  }
}

/** Straight from the tables: nothing partial, nothing orphaned, one report.submit event per report, references without gaps. */
async function checkDatabase(db: CrashDb) {
  const { db: q, close } = openDatabase({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
  try {
    const reports = await q.selectFrom("reports").select(["id", "organisation_id", "reference", "received_at"]).execute();
    const reportIds = new Set(reports.map((r) => r.id));
    const entries = await q.selectFrom("report_entries").select(["id", "report_id", "kind", "meta"]).execute();
    const keys = await q.selectFrom("report_keys").select(["report_id", "holder_type"]).execute();
    const attachments = await q.selectFrom("report_attachments")
      .select(["id", "report_id", "entry_id", "chunk_count", "wrapped_key", "sealed_meta", "pending_until"]).execute();
    const chunks = await q.selectFrom("attachment_chunks").select(["attachment_id", "idx"]).execute();
    const submits = await q.selectFrom("audit_events").select(["object_id", "details"]).where("action", "=", "report.submit").execute();
    const auditEvents = Number((await q.selectFrom("audit_events").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
    const counters = await q.selectFrom("report_counters").selectAll().execute();

    const problems: string[] = [];
    const entriesOf = new Map<string, typeof entries>();
    for (const e of entries) {
      if (!reportIds.has(e.report_id)) problems.push(`entry ${e.id} (${e.kind}) of a report that does not exist: ${e.report_id}`);
      entriesOf.set(e.report_id, [...(entriesOf.get(e.report_id) ?? []), e]);
    }
    for (const k of keys) if (!reportIds.has(k.report_id)) problems.push(`a ${k.holder_type} key of a report that does not exist: ${k.report_id}`);
    const instanceKeys = new Set(keys.filter((k) => k.holder_type === "instance").map((k) => k.report_id));
    for (const r of reports) {
      const content = (entriesOf.get(r.id) ?? []).filter((e) => e.kind === "content").length;
      if (content !== 1) problems.push(`report ${r.reference} has ${content} content entries`);
      if (!instanceKeys.has(r.id)) problems.push(`report ${r.reference} has no case key`);
    }

    const entryById = new Map(entries.map((e) => [e.id, e]));
    const chunksOf = new Map<string, number[]>();
    const attachmentIds = new Set(attachments.map((a) => a.id));
    for (const c of chunks) {
      if (!attachmentIds.has(c.attachment_id)) problems.push(`chunk ${c.idx} of an attachment that does not exist: ${c.attachment_id}`);
      chunksOf.set(c.attachment_id, [...(chunksOf.get(c.attachment_id) ?? []), Number(c.idx)]);
    }
    const now = new Date().toISOString();
    let pending = 0;
    const perEntry = new Map<string, number>();
    for (const a of attachments) {
      const idx = (chunksOf.get(a.id) ?? []).sort((x, y) => x - y);
      if (idx.length !== Number(a.chunk_count) || idx.some((v, i) => v !== i)) problems.push(`attachment ${a.id} has chunks [${idx}] of ${a.chunk_count}`);
      if (a.report_id === null) {
        // An upload on the files step whose report was never sent (the client was cut off by a kill): allowed until
        // it expires, when housekeeping deletes it. It holds neither key nor name.
        pending++;
        if (!a.pending_until || a.pending_until <= now) problems.push(`pending attachment ${a.id} expired (${a.pending_until}) and is still there`);
        if (a.wrapped_key || a.sealed_meta || a.entry_id) problems.push(`pending attachment ${a.id} carries a key, a name or an entry`);
        continue;
      }
      if (!reportIds.has(a.report_id)) problems.push(`attachment ${a.id} of a report that does not exist: ${a.report_id}`);
      const e = a.entry_id ? entryById.get(a.entry_id) : undefined;
      if (!e || e.report_id !== a.report_id || e.kind !== "attachment") problems.push(`attachment ${a.id} without its report's attachment entry`);
      if (!a.wrapped_key || !a.sealed_meta || a.pending_until) problems.push(`attachment ${a.id} of report ${a.report_id} is half attached`);
      if (a.entry_id) perEntry.set(a.entry_id, (perEntry.get(a.entry_id) ?? 0) + 1);
    }
    for (const e of entries) {
      if (e.kind !== "attachment") continue;
      const count = Number((JSON.parse(e.meta) as { count?: number }).count);
      if ((perEntry.get(e.id) ?? 0) !== count) problems.push(`attachment entry ${e.id} says ${count} files, ${perEntry.get(e.id) ?? 0} are there`);
    }

    // One report.submit event per report, naming it, with the number of files sent with it.
    const submitted = new Map<string, number>();
    for (const s of submits) {
      if (!s.object_id || !reportIds.has(s.object_id)) problems.push(`report.submit event of a report that does not exist: ${s.object_id}`);
      else submitted.set(s.object_id, (submitted.get(s.object_id) ?? 0) + 1);
      const files = Number((JSON.parse(s.details) as { attachments?: number }).attachments ?? 0);
      const entry = (entriesOf.get(s.object_id ?? "") ?? []).find((e) => e.kind === "attachment");
      if (files !== (entry ? perEntry.get(entry.id) ?? 0 : 0)) problems.push(`report.submit of ${s.object_id} says ${files} files`);
    }
    for (const r of reports) if (submitted.get(r.id) !== 1) problems.push(`report ${r.reference} has ${submitted.get(r.id) ?? 0} report.submit events`);
    if (submits.length !== reports.length) problems.push(`${submits.length} report.submit events for ${reports.length} reports`);

    // The reference counter moves in the report's transaction: per organisation and year, 1..n without gaps or doubles.
    const numbers = new Map<string, number[]>();
    for (const r of reports) {
      const [year, n] = r.reference.split("-");
      const k = `${r.organisation_id}:${year}`;
      numbers.set(k, [...(numbers.get(k) ?? []), Number(n)]);
    }
    for (const [k, ns] of numbers) {
      ns.sort((x, y) => x - y);
      if (ns.some((v, i) => v !== i + 1)) problems.push(`references of ${k} are not 1..${ns.length}: gaps or doubles`);
      const c = counters.find((x) => `${x.organisation_id}:${x.year}` === k);
      if (Number(c?.last) !== ns.length) problems.push(`the counter of ${k} stands at ${c?.last}, ${ns.length} reports`);
    }
    for (const c of counters) if (!numbers.has(`${c.organisation_id}:${c.year}`)) problems.push(`the counter of ${c.organisation_id}:${c.year} stands at ${c.last}, no reports`);
    assert.deepEqual(problems, [], `${problems.length} problems in the database:\n${problems.slice(0, 50).join("\n")}`);
    return { reports: reports.length, attachments: attachments.length - pending, chunks: chunks.length, pending, auditEvents };
  } finally {
    await close();
  }
}

for (const { kind, skip } of DB_KINDS) {
  const off = ONLY && ONLY !== kind ? `CRASH_DB=${ONLY}` : false;
  describe(`crash (${kind})`, { skip: skip || off }, () => {
    test(`${SUBMISSIONS} submissions from ${CLIENTS} clients, ${KILLS} × SIGKILL: every receipt's report whole, nothing orphaned, audit chain intact`,
      { timeout: 120_000 + SUBMISSIONS * 1000 + KILLS * 30_000 }, async () => { await crashRun(kind); });
  });
}
