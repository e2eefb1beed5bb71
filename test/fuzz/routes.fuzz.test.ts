import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import type { ApiOperation } from "../../src/api/registry.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { goodValues, harvest, makeFiles } from "./harvest.ts";
import { integrityProblems } from "./integrity.ts";
import { describePlan, planArb, send, type Knowledge, type Plan, type RouteInfo } from "./requests.ts";
import { buildScene, WHO, type Scene, type Who } from "../helpers/scene.ts";

// Property-based fuzzing of every registered route as every role (and nobody, and an administrator of another
// organisation): valid, boundary and malformed bodies from the API's zod schemas and from the pages' own forms,
// multipart uploads, random query strings, odd headers and cookies, unicode, control characters and overlong input.
// The property: no answer is a 5xx. Afterwards the process is still up (no uncaught error, /healthz answers), the
// audit chain verifies and nothing is half-written.
//
// FUZZ_RUNS: requests per database (default 2000: every route × person once, the rest weighted towards routes that
// write and let the person in; at least one per route × person). `npm run test:fuzz` runs 60 000 per database.
// FUZZ_SEED repeats the generated requests (the app's state between them can differ: ids, clocks);
// FUZZ_ONLY="POST /meldingen" keeps the routes whose "METHOD /url" contains it; FUZZ_DB=sqlite or postgres runs one database.

const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS ?? 2000));
const SEED = Number(process.env.FUZZ_SEED ?? crypto.randomInt(2 ** 31));
const ONLY = process.env.FUZZ_ONLY ?? "";
const DB = process.env.FUZZ_DB ?? "";

/** Routes after which the scene may need putting back (sign-out, password, grants, blocking, tokens, the mailbox). */
const DISTURBS = /\/uitloggen|\/wachtwoord|\/organisatie$|\/blokkeren|\/rollen|\/intrekken|role-assignments|\/afsluiten|\/tweestaps|\/accounts/;

const seedFor = (key: string) => (SEED ^ crypto.createHash("sha256").update(key).digest().readInt32LE(0)) | 0;

for (const { kind, skip } of DB_KINDS.filter((d) => !DB || d.kind === DB)) {
  describe(`fuzz: every route as every role (${kind})`, { skip }, () => {
    let scene: Scene;
    let k: Knowledge;
    const crashes: unknown[] = [];
    let setupTimes = "";
    let refresh = async () => {};
    const onCrash = (e: unknown) => { crashes.push(e); };

    before(async () => {
      process.on("uncaughtException", onCrash);
      process.on("unhandledRejection", onCrash);
      const started = performance.now();
      // Sign-in locks after LOGIN_MAX_FAILURES wrong passwords per address: the fuzzer's guesses would lock the scene's
      // accounts within seconds, and then no sign-in ever succeeds (the lock itself is tested in abuse.test.ts).
      scene = await buildScene(kind, { LOGIN_MAX_FAILURES: "1000000" });
      const built = performance.now();
      const [files, learned] = await Promise.all([makeFiles(), harvest(scene)]);
      setupTimes = `scene ${((built - started) / 1000).toFixed(1)} s, pages learnt ${((performance.now() - built) / 1000).toFixed(1)} s`;
      k = { scene, files, good: goodValues(scene), ...learned };
      refresh = learned.refresh;
    });
    after(async () => {
      process.off("uncaughtException", onCrash);
      process.off("unhandledRejection", onCrash);
      await scene?.close();
    });

    test("no request gets a 5xx; the process stays up; the audit chain verifies and nothing is half-written", async (t) => {
      const ops = new Map<string, ApiOperation>((scene.app.apiOperations ?? []).map((op) => [`${op.method} ${op.url}`, op]));
      const routes: RouteInfo[] = scene.app.registeredRoutes
        .map((r) => ({ method: r.method, url: r.url, op: ops.get(`${r.method} ${r.url}`) }))
        .filter((r) => `${r.method} ${r.url}`.includes(ONLY))
        .sort((a, b) => `${a.method} ${a.url}`.localeCompare(`${b.method} ${b.url}`));
      const pairs = routes.flatMap((route) => WHO.map((who) => ({ route, who, key: `${route.method} ${route.url} as ${who}`, denied: false })));

      let count = 0, sinceHeal = 0;
      /** Whose session (and whether the mailbox) a request may have ended: healed before the next request. */
      let dirty: { only: Who; mailbox: boolean } | null = null;
      let sceneBroken = "";
      const statuses = new Map<string, number>();
      const failures: string[] = [];
      const timeByRoute = new Map<string, number>();
      /** Routes that answered some request with 2xx or 3xx: the fuzzer got past validation and access there. */
      const reached = new Set<string>();

      async function run(pair: (typeof pairs)[number], numRuns: number) {
        let last = 0;
        if (sceneBroken) return last;
        const property = fc.asyncProperty(planArb(k, pair.route, pair.who), async (plan: Plan) => {
          try {
            if (sinceHeal >= 250) { await scene.heal(); await refresh(); dirty = null; sinceHeal = 0; }
            else if (dirty) { await scene.heal(dirty); dirty = null; }
          } catch (e) {
            sceneBroken = `the scene could not be put back after ${count} requests: ${String(e)}`;
            throw e;
          }
          const res = await send(k, plan);
          count++; sinceHeal++;
          last = res.statusCode;
          if (res.statusCode < 400) reached.add(`${pair.route.method} ${pair.route.url}`);
          const cls = `${String(res.statusCode)[0]}xx`;
          statuses.set(cls, (statuses.get(cls) ?? 0) + 1);
          const cleared = [res.headers["set-cookie"]].flat().some((c) => /^intact_(session|mailbox)=;/.test(String(c ?? "")));
          if (cleared || DISTURBS.test(pair.route.url)) dirty = { only: pair.who, mailbox: pair.route.url.startsWith("/melden/") };
          if (res.statusCode >= 500) throw new Error(`${res.statusCode} for\n${describePlan(k, plan)}\n→ ${res.body.slice(0, 400)}`);
        });
        const started = performance.now();
        const details = await fc.check(property, { numRuns, seed: seedFor(pair.key) });
        const ms = performance.now() - started;
        timeByRoute.set(`${pair.route.method} ${pair.route.url}`, (timeByRoute.get(`${pair.route.method} ${pair.route.url}`) ?? 0) + ms);
        if (details.failed) {
          failures.push(`${pair.key} (seed ${details.seed}, path ${details.counterexamplePath}, shrunk ${details.numShrinks}×):\n${String((details.errorInstance as Error | undefined)?.message ?? details.errorInstance)}`);
        }
        return last;
      }

      const fuzzStarted = performance.now();
      // Every route as every person once; then the rest of the budget, mostly to writes that let the person in.
      // Who may use a route: the access matrix's checked-in answer, else what the first request got.
      const matrix = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "..", "matrix", "matrix.json"), "utf8")) as Record<string, Record<string, string>>;
      for (const pair of pairs) {
        const status = await run(pair, 1);
        const expected = matrix[`${pair.route.method} ${pair.route.url}`]?.[pair.who];
        pair.denied = expected ? expected !== "allow" : status === 401 || status === 403 || (status === 404 && !pair.route.url.includes(":"));
      }
      const remaining = Math.max(0, RUNS - count);
      const weight = (p: (typeof pairs)[number]) => (/\.pdf$/.test(p.route.url) ? 0 : (p.route.method === "GET" ? 1 : 4) * (p.denied ? 0.1 : 1));
      const total = pairs.reduce((s, p) => s + weight(p), 0);
      const shares = pairs.map((p) => (total ? (remaining * weight(p)) / total : 0));
      let spare = remaining - shares.reduce((s, x) => s + Math.floor(x), 0);
      const order = shares.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
      const runs = shares.map(Math.floor);
      for (const [, i] of order) { if (spare-- <= 0) break; runs[i]!++; }
      for (const [i, pair] of pairs.entries()) if (runs[i]! > 0) await run(pair, runs[i]!);

      const fuzzSeconds = ((performance.now() - fuzzStarted) / 1000).toFixed(1);
      const health = await scene.app.inject({ method: "GET", url: "/healthz" });
      const problems = await integrityProblems(scene.ctx);
      t.diagnostic(`${kind}: ${count} requests, seed ${SEED} (FUZZ_SEED=${SEED} repeats it), ${routes.length} routes × ${WHO.length} people; `
        + `${setupTimes}, fuzzing ${fuzzSeconds} s; answers ${[...statuses].sort().map(([c, n]) => `${c} ${n}`).join(", ")}`);
      t.diagnostic(`slowest: ${[...timeByRoute].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([r, ms]) => `${r} ${(ms / 1000).toFixed(1)} s`).join("; ")}`);
      const never = routes.map((r) => `${r.method} ${r.url}`).filter((r) => !reached.has(r));
      t.diagnostic(`${routes.length - never.length} of ${routes.length} routes answered some request with 2xx/3xx; never: ${never.join(", ") || "none"}`);
      for (const f of failures) t.diagnostic(`5xx: ${f}`);

      assert.equal(sceneBroken, "", "the fuzzer's own scene");
      assert.deepEqual(crashes.map(String), [], "uncaught errors in the process");
      assert.equal(health.statusCode, 200, "the app still answers /healthz");
      assert.equal(failures.length, 0, `${failures.length} route(s) answered 5xx (seed ${SEED}; the requests are listed above)`);
      assert.deepEqual(problems, [], "half-written or broken data after the run");
    });
  });
}
