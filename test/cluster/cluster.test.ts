// Many instances: two real servers (`node bin/intact.js serve`) on one PostgreSQL database, each with its own data
// directory and the same instance key, as docs/operations.md says to run them.
//   - both boot at once on an empty database (migrations, the setup link) and come up healthy;
//   - a session signed in through one instance (the sign-in form fetched from the other) and an API token made on
//     one work on the other; signing out on one ends the session on both;
//   - every periodic job runs once per period across the two: the "periodic job ran" lines both write (debug
//     level: job, holder, start) show consecutive runs never closer than the lease allows, and none missing;
//   - intake throughput through one instance, and spread over both, is printed;
//   - the instance holding the outbox lease is SIGKILLed in the middle of a slow delivery: the other takes over
//     only after the lease ran out, every mail arrives, at most the one in flight twice (at least once: see ADR
//     0009), and no outbox row is left claimed or half-marked.
// JOB_SPEEDUP makes the jobs run every second or two. `npm test` runs the short version; `npm run test:cluster`
// (CLUSTER_FULL=1) the full one: longer windows, more submissions and mails. PostgreSQL only: SQLite is one process.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createApiToken } from "../../src/auth/service.ts";
import { systemActor } from "../../src/access/actor.ts";
import { boot } from "../../src/boot.ts";
import { loadConfig } from "../../src/config.ts";
import type { Context } from "../../src/context.ts";
import { inTransaction } from "../../src/context.ts";
import type { Database } from "../../src/db/database.ts";
import { standardJobs } from "../../src/jobs/scheduler.ts";
import { createLogger } from "../../src/log.ts";
import { enqueue } from "../../src/notify/outbox.ts";
import { HOW_KNOWN } from "../../src/reports/workflow.ts";
import { grant, makeAccount, makeOrganisation, makeUnit, TEST_PASSWORD } from "../helpers/fixtures.ts";
import { Browser, createPgDatabase, json, pool, ServerProcess } from "../helpers/server.ts";
import { startSmtp, type Smtp } from "../helpers/smtp.ts";
import { nextTotp } from "../helpers/totp.ts";

const FULL = process.env.CLUSTER_FULL === "1";
const SPEEDUP = 1800;
/** How long the periodic jobs are watched: at JOB_SPEEDUP=1800 the outbox runs every second, the hourly jobs every 2 s. */
const WATCH_MS = FULL ? 60_000 : 5_000;
const SUBMISSIONS = FULL ? 400 : 30;
const ROUNDS = FULL ? 2 : 1;
const CLIENTS = 8;
const MAILS = FULL ? 60 : 16;
/** The test SMTP server takes this long to accept each mail, so an outbox run lasts long enough to be killed in. */
const SMTP_DELAY_MS = 150;

const log = (s: string) => console.log(`# ${s}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];

type JobRun = { job: string; holder: string; startedAt: number; instance: string };

/** The job runs an instance logged (every line of its output so far). */
function jobRuns(server: ServerProcess, instance: string): JobRun[] {
  const runs: JobRun[] = [];
  for (const line of server.output(Infinity).split("\n")) {
    if (!line.includes('"periodic job ran"')) continue;
    const r = JSON.parse(line) as { job: string; holder: string; startedAt: string };
    runs.push({ job: r.job, holder: r.holder, startedAt: Date.parse(r.startedAt), instance });
  }
  return runs;
}

/** The lease holder id an instance logged when it started ("Intact is listening", `instance`). */
function holderOf(server: ServerProcess): string {
  const line = server.output(Infinity).split("\n").find((l) => l.includes('"Intact is listening"'));
  assert.ok(line, `no "Intact is listening" line:\n${server.output()}`);
  return (JSON.parse(line) as { instance: string }).instance;
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

const pgSkip = process.env.INTACT_TEST_PG === "0"
  ? "PostgreSQL not reachable: the cluster suite needs it (several instances share one PostgreSQL database; SQLite is one process). Set PG_TEST_URL to run it."
  : false;

describe("many instances on one PostgreSQL database", { skip: pgSkip }, () => {
  let pgDb: Awaited<ReturnType<typeof createPgDatabase>>;
  let smtp: Smtp;
  let a: ServerProcess, b: ServerProcess;
  const dirs: string[] = [];
  let setup: { ctx: Context; database: Database };
  let slug = "", orgId = "";
  let account: { email: string; totpSecret: string | null };
  let bootMs = 0;

  before(async () => {
    pgDb = await createPgDatabase("intact_cluster");
    smtp = await startSmtp();
    const key = crypto.randomBytes(32).toString("base64");
    const env = {
      INTACT_MASTER_KEY: key, JOB_SPEEDUP: String(SPEEDUP), SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, LOG_LEVEL: "debug",
      ARGON2_MEMORY_KIB: "1024", LOGIN_MIN_MS: "0", RECEIPT_MIN_MS: "0", INTAKE_MAX_PER_HOUR: "1000000", RECEIPT_MAX_FAILURES: "1000000",
    };
    const instance = () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "intact-cluster-"));
      dirs.push(dataDir);
      const s = new ServerProcess({ dataDir, databaseUrl: pgDb.url }, env);
      s.startTimeoutMs = 180_000;
      return s;
    };
    a = instance();
    b = instance();
    // Both at the same moment on the empty database. Here rather than in the first test, so that when they cannot
    // start every test says so, not a string of follow-up errors.
    const started = performance.now();
    await Promise.all([a.start(), b.start()]);
    bootMs = Math.round(performance.now() - started);
  });

  after(async () => {
    await Promise.allSettled([a?.stop(), b?.stop()]);
    await setup?.database.close();
    await smtp?.close();
    await pgDb?.drop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  test("both instances boot at the same moment on an empty database; of the two setup links printed, the last one written works", { timeout: 90_000 }, async () => {
    log(`two instances up on an empty database in ${bootMs} ms (each: ${a.startMs[0]} ms, ${b.startMs[0]} ms)`);
    for (const s of [a, b]) assert.match(s.output(Infinity), /JOB_SPEEDUP is set/, "the speed-up is warned about");
    const links = [a, b].map((s) => /\/inrichten\?token=([A-Za-z0-9_-]+)/.exec(s.output(Infinity))?.[1]);
    assert.ok(links[0] && links[1], "each instance printed a setup link");
    const opens = await Promise.all(links.map((tok) => fetch(`${a.base}/inrichten?token=${tok}`).then((r) => r.status)));
    assert.deepEqual([...opens].sort(), [200, 404], `exactly one link opens: ${opens}`);
    assert.notEqual(holderOf(a), holderOf(b));

    // The scene, through the repositories: an organisation with a unit, and a coordinator with a second factor.
    setup = await boot({ config: loadConfig({ ...a.env, LOG_LEVEL: "silent" }), log: createLogger("silent") });
    const org = await makeOrganisation(setup.ctx, "Gemeente Tweeling", { totpRequired: true });
    await makeUnit(setup.ctx, org.id, "Burgerzaken");
    const acc = await makeAccount(setup.ctx, "coordinator@tweeling.example", { totp: true });
    await grant(setup.ctx, acc.id, "coordinator", "organisation", org.id, org.id);
    slug = org.slug;
    orgId = org.id;
    account = acc;
  });

  test("a session and an API token made through one instance work on the other; signing out on one ends it on both", { timeout: 60_000 }, async () => {
    const browser = new Browser(a);
    // The sign-in form from A, posted to B (the CSRF secret is in the browser's cookie, not in an instance).
    const form = await browser.request("GET", "/inloggen");
    browser.server = b;
    const signIn = await browser.form("/inloggen", { _csrf: hidden(form.text, "_csrf")!, return: "/", email: account.email, password: TEST_PASSWORD });
    assert.equal(signIn.status, 303, signIn.text.slice(0, 300));
    browser.server = a;
    const codePage = await browser.request("GET", "/inloggen/code");
    assert.equal(codePage.status, 200);
    const code = await browser.form("/inloggen/code", { _csrf: hidden(codePage.text, "_csrf")!, return: "/", code: await nextTotp(account.totpSecret!) });
    assert.equal(code.status, 303, code.text.slice(0, 300));
    for (const s of [a, b]) {
      browser.server = s;
      const page = await browser.request("GET", "/account");
      assert.equal(page.status, 200, `signed in on ${s === a ? "A" : "B"}`);
      assert.match(page.text, /coordinator@tweeling\.example/);
    }
    // An API token made in B's account page, used on A.
    browser.server = b;
    const accountPage = await browser.request("GET", "/account");
    const made = await browser.form("/account/sleutels", { _csrf: hidden(accountPage.text, "_csrf")!, name: "cluster", days: "1" });
    assert.equal(made.status, 201, made.text.slice(0, 300));
    const token = /data-testid="new-token">([^<]+)</.exec(made.text)?.[1];
    assert.ok(token);
    const viaA = await json(a, "GET", `/api/v1/organisations/${orgId}`, undefined, { authorization: `Bearer ${token}` });
    assert.equal(viaA.status, 200, viaA.text);
    // And a token made by the other side (the service, as the CLI does) on both.
    const cli = (await createApiToken(setup.ctx, systemActor("cluster-suite"), (await setup.ctx.db.selectFrom("accounts").select("id").where("email", "=", account.email).executeTakeFirstOrThrow()).id, "cluster cli", 1)).token;
    for (const s of [a, b]) assert.equal((await json(s, "GET", "/api/v1/organisations", undefined, { authorization: `Bearer ${cli}` })).status, 200);

    // Signing out on A ends the session on B too: sessions live in the database, not in an instance.
    browser.server = a;
    const home = await browser.request("GET", "/account");
    const out = await browser.form("/uitloggen", { _csrf: hidden(home.text, "_csrf")! });
    assert.equal(out.status, 303);
    browser.server = b;
    const after = await browser.request("GET", "/account");
    assert.notEqual(after.status, 200, "signed out on B as well");
  });

  test("every periodic job runs exactly once per period across both instances (a lease, not luck)", { timeout: 180_000 }, async () => {
    const jobs = standardJobs(null, SPEEDUP);
    const from = Date.now();
    await sleep(WATCH_MS);
    const to = Date.now();
    const runs = [...jobRuns(a, "A"), ...jobRuns(b, "B")].filter((r) => r.startedAt >= from && r.startedAt < to);
    const summary: string[] = [];
    for (const job of jobs) {
      const mine = runs.filter((r) => r.job === job.name).sort((x, y) => x.startedAt - y.startedAt);
      const gaps = mine.slice(1).map((r, i) => r.startedAt - mine[i]!.startedAt);
      // After a run the holder keeps the lease until a tenth of a period before the next (scheduler.ts): no other run
      // can start sooner. Without the lease each instance would run the job at every one of its own ticks.
      const minGap = job.everyMs - Math.min(5_000, Math.floor(job.everyMs / 10));
      const periods = (to - from) / job.everyMs;
      const byInstance = { A: mine.filter((r) => r.instance === "A").length, B: mine.filter((r) => r.instance === "B").length };
      summary.push(`${job.name} (every ${job.everyMs} ms): ${mine.length} runs in ${periods.toFixed(1)} periods, A ${byInstance.A} / B ${byInstance.B}, closest ${gaps.length ? Math.min(...gaps) : "-"} ms apart`);
      assert.ok(gaps.every((g) => g >= minGap), `${job.name}: two runs within one period: gaps ${gaps.join(", ")} (at least ${minGap} ms expected)`);
      assert.ok(mine.length >= Math.floor(periods) - 1, `${job.name}: ${mine.length} runs in ${periods.toFixed(1)} periods: a period was missed`);
      assert.ok(mine.length <= Math.ceil((to - from) / minGap) + 1, `${job.name}: ${mine.length} runs in ${periods.toFixed(1)} periods: too many`);
      assert.ok(mine.every((r) => r.holder === (r.instance === "A" ? holderOf(a) : holderOf(b))), `${job.name}: a run logged by another holder`);
    }
    log(`periodic jobs over ${((to - from) / 1000).toFixed(1)} s with JOB_SPEEDUP=${SPEEDUP}:\n#   ${summary.join("\n#   ")}`);
  });

  test("intake throughput: one instance, and spread over two", { timeout: 600_000 }, async () => {
    const cats = await json(a, "GET", `/api/v1/intake/${slug}/categories`);
    assert.equal(cats.status, 200, cats.text);
    const categoryId = (cats.body as { categories: { id: string }[] }).categories[0]!.id;
    let n = 0;
    const submit = async (server: ServerProcess) => {
      const body = {
        categoryId, description: `Melding ${++n} ${crypto.randomBytes(48).toString("base64")} over de gang van zaken bij de balie.`,
        occurredOn: "", occurredWhen: "", unitId: "", location: "", involved: "", howKnown: HOW_KNOWN[0], howKnownDetail: "",
        reportedBefore: "no", reportedBeforeDetail: "", concernsHandler: "no", mode: "anonymous", noticeEmail: "",
      };
      const r = await json(server, "POST", `/api/v1/intake/${slug}/reports`, body);
      assert.equal(r.status, 201, r.text.slice(0, 300));
    };
    const measure = async (servers: ServerProcess[]) => {
      const started = performance.now();
      await pool(Array.from({ length: SUBMISSIONS }, (_, i) => servers[i % servers.length]!), CLIENTS, (s) => submit(s));
      const s = (performance.now() - started) / 1000;
      return SUBMISSIONS / s;
    };
    const results: { one: number[]; two: number[] } = { one: [], two: [] };
    for (let round = 0; round < ROUNDS; round++) {
      results.one.push(await measure([a]));
      results.two.push(await measure([a, b]));
    }
    const fmt = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(", ");
    log(`intake throughput, ${SUBMISSIONS} anonymous API submissions from ${CLIENTS} clients per measurement, ${os.cpus().length} cores shared by the test, both servers and PostgreSQL:`);
    log(`  one instance:  ${fmt(results.one)} reports/s`);
    log(`  two instances: ${fmt(results.two)} reports/s`);
    const count = await setup.ctx.db.selectFrom("reports").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), SUBMISSIONS * 2 * ROUNDS, "every submission is one report");
  });

  test("the instance holding the outbox lease is killed mid-delivery: the other takes over after the lease runs out; every mail arrives, nothing half done", { timeout: 900_000 }, async () => {
    const db = setup.ctx.db;
    // The mails the intake above queued (a notice to the coordinator per report) go out first, at full speed.
    const queued = async () => (await db.selectFrom("outbox").select("id").where("status", "in", ["pending", "sending"]).execute()).length;
    // One SMTP connection per mail, on a busy machine: allow a fifth of a second each.
    await waitFor("the outbox drained", async () => (await queued()) === 0, 60_000 + (await queued()) * 200);
    smtp.setDelay(SMTP_DELAY_MS);
    const addresses = Array.from({ length: MAILS }, (_, i) => `cluster-${i}-${crypto.randomBytes(4).toString("hex")}@example.test`);
    const before = smtp.messages.length;
    const ids: string[] = [];
    await inTransaction(setup.ctx, async (trx) => {
      for (const to of addresses) {
        ids.push(await enqueue(setup.ctx, trx, {
          kind: "mailbox", organisationId: orgId, to, locale: "nl", template: "mailbox.newMessage",
          params: { organisation: "Gemeente Tweeling", url: `${a.base}/melden/${slug}/postbus`, via: "receipt" },
        }));
      }
    });
    const mine = () => smtp.messages.slice(before).filter((m) => m.to.some((t) => addresses.includes(t)));
    // Let a few go out, then kill whoever holds the outbox lease at that moment.
    await waitFor("the first mails", () => mine().length >= 4, 30_000);
    const lease = await db.selectFrom("job_leases").selectAll().where("name", "=", "outbox").executeTakeFirstOrThrow();
    const victim = lease.holder === holderOf(a) ? a : b, survivor = victim === a ? b : a;
    assert.equal(lease.holder, holderOf(victim));
    await victim.kill();
    const killedAt = Date.now();
    const afterKill = await db.selectFrom("job_leases").selectAll().where("name", "=", "outbox").executeTakeFirstOrThrow();
    const expiresAt = Date.parse(afterKill.expires_at);
    const sentAtKill = mine().length;
    log(`killed ${victim === a ? "A" : "B"} (lease holder) after ${sentAtKill} of ${MAILS} mails; its lease runs out ${expiresAt - killedAt} ms later`);

    await waitFor("every mail delivered and no row left claimed", async () => {
      if (!addresses.every((ad) => mine().some((m) => m.to.includes(ad)))) return false;
      const open = await db.selectFrom("outbox").select("id").where("status", "in", ["pending", "sending"]).execute();
      return open.length === 0;
    }, 120_000);
    const doneAt = Date.now();

    // The survivor started only once the lease had run out: nothing but the mail in flight at the kill arrived in between.
    const inBetween = mine().filter((m) => m.at > killedAt + SMTP_DELAY_MS + 200 && m.at < expiresAt);
    assert.deepEqual(inBetween.map((m) => m.at - killedAt), [], "a mail went out before the dead holder's lease ran out");
    const firstAfter = mine().filter((m) => m.at >= expiresAt).sort((x, y) => x.at - y.at)[0];
    assert.ok(firstAfter, "the survivor sent the rest");
    const nowLease = await db.selectFrom("job_leases").selectAll().where("name", "=", "outbox").executeTakeFirst();
    assert.ok(!nowLease || nowLease.holder === holderOf(survivor), "the survivor holds the outbox lease now");

    // Each mail at least once; twice only the one whose SMTP handoff the kill interrupted (at most one: a sender sends one at a time).
    const counts = addresses.map((ad) => mine().filter((m) => m.to.includes(ad)).length);
    const twice = counts.filter((c) => c > 1).length;
    assert.ok(counts.every((c) => c >= 1 && c <= 2), `counts ${counts.join(",")}`);
    assert.ok(twice <= 1, `${twice} mails went out twice`);
    // Nothing half written: every row sent, its address gone; at most one row needed a second attempt.
    const rows = await db.selectFrom("outbox").select(["status", "recipient_sealed", "sent_at", "attempts"]).where("id", "in", ids).execute();
    assert.equal(rows.length, MAILS);
    for (const r of rows) {
      assert.equal(r.status, "sent");
      assert.equal(r.recipient_sealed, null);
      assert.ok(r.sent_at);
    }
    assert.ok(rows.filter((r) => Number(r.attempts) > 1).length <= 1, "at most the row in flight was tried twice");
    log(`take-over: first mail from the survivor ${firstAfter.at - killedAt} ms after the kill (lease expiry ${expiresAt - killedAt} ms); `
      + `all ${MAILS} delivered ${doneAt - killedAt} ms after the kill; ${twice} delivered twice (the one in flight at the kill)`);
  });
});
