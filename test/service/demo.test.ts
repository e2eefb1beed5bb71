import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ROLES } from "../../src/access/permissions.ts";
import { verify } from "../../src/audit/service.ts";
import { login } from "../../src/auth/service.ts";
import { generateDemo, mulberry32 } from "../../src/demo/generate.ts";
import { DemoAlreadyLoaded, loadDemo, type DemoResult } from "../../src/demo/load.ts";
import { searchKey } from "../../src/people/search-key.ts";
import { DB_KINDS, freshDatabase, type TestDb } from "../helpers/db.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const TABLES = ["organisation_groups", "organisation_group_members", "organisations", "units", "positions", "people",
  "accounts", "role_assignments", "audit_events"] as const;

async function countAll(t: TestDb) {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    out[table] = Number((await t.ctx.db.selectFrom(table).select((e) => e.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
  }
  return out;
}

describe("demo generator (pure)", () => {
  test("mulberry32 is deterministic and in [0, 1)", () => {
    const a = mulberry32(42), b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    assert.deepEqual(xs, Array.from({ length: 1000 }, () => b()));
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    assert.notDeepEqual(xs.slice(0, 5), Array.from({ length: 5 }, mulberry32(43)));
  });

  test("the same seed gives the same rows", () => {
    const make = () => { let n = 0; return generateDemo({ newId: () => `id-${++n}`, at: "2025-01-01T00:00:00.000Z", today: "2025-01-01" }); };
    assert.deepEqual(make(), make());
  });
});

for (const { kind, skip } of DB_KINDS) {
  describe(`intact demo (${kind})`, { skip }, () => {
    let t: TestDb;
    let result: DemoResult;
    before(async () => {
      t = await freshDatabase(kind);
      result = await loadDemo(t.ctx);
      console.log(`# demo load on ${kind}: ${result.ms} ms (${JSON.stringify(result.counts)})`);
    });
    after(async () => { await t?.drop(); });

    test("about 600 people in four organisations of one region group, TOTP required everywhere", async () => {
      const db = t.ctx.db;
      const people = await db.selectFrom("people").selectAll().execute();
      assert.ok(people.length >= 550 && people.length <= 650, `people: ${people.length}`);
      assert.deepEqual(people.filter((p) => p.search_key !== searchKey(p)).map((p) => p.employee_number), [], "every demo person has its search key");
      const groups = await db.selectFrom("organisation_groups").selectAll().execute();
      assert.equal(groups.length, 1);
      assert.equal(groups[0]!.name, "Regio Groenhart");
      assert.equal(groups[0]!.kind, "region");
      const orgs = await db.selectFrom("organisations").selectAll().orderBy("name").execute();
      assert.deepEqual(orgs.map((o) => o.name), ["Gemeente Duinrand", "Gemeente Maasoever", "Gemeente Polderwijk", "Werkorganisatie Groenhart"]);
      assert.ok(orgs.every((o) => o.totp_required === 1));
      assert.equal(orgs.find((o) => o.name === "Werkorganisatie Groenhart")!.kind, "shared_service");
      const members = await db.selectFrom("organisation_group_members").selectAll().execute();
      assert.equal(members.length, 4);
      assert.ok(members.every((m) => m.group_id === groups[0]!.id));
      for (const o of orgs) {
        const mine = people.filter((p) => p.organisation_id === o.id);
        assert.ok(mine.length > 100, `${o.name}: ${mine.length} people`);
        assert.equal(new Set(mine.map((p) => p.employee_number)).size, mine.length, `${o.name}: employee numbers unique`);
        const positions = await db.selectFrom("positions").select("id").where("organisation_id", "=", o.id).execute();
        assert.ok(positions.length >= 20 && positions.length <= 40, `${o.name}: ${positions.length} positions`);
      }
      const emails = people.map((p) => p.email!);
      assert.equal(new Set(emails).size, emails.length);
      assert.ok(emails.every((e) => /^[a-z0-9]+\.[a-z0-9]+@[a-z]+\.example$/.test(e)), emails.find((e) => !/^[a-z0-9]+\.[a-z0-9]+@[a-z]+\.example$/.test(e)));
      assert.ok(people.some((p) => /^(van|de|den|ter|in) /.test(p.family_name)), "some family names carry a tussenvoegsel");
      const share = (k: string) => people.filter((p) => p.employment_type === k).length / people.length;
      assert.ok(share("employee") > 0.75 && share("hired") > 0.04 && share("intern") > 0.01, JSON.stringify({ e: share("employee"), h: share("hired"), i: share("intern") }));
      assert.ok(people.some((p) => p.end_date));
      const years = people.map((p) => Number(p.start_date!.slice(0, 4)));
      assert.ok(Math.max(...years) - Math.min(...years) >= 18, "start dates spread over many years");
    });

    test("every person's unit, position and manager belong to the same organisation; unit paths match the tree", async () => {
      const db = t.ctx.db;
      const people = await db.selectFrom("people").selectAll().execute();
      const units = await db.selectFrom("units").selectAll().execute();
      const positions = await db.selectFrom("positions").selectAll().execute();
      const unitById = new Map(units.map((u) => [u.id, u]));
      const personById = new Map(people.map((p) => [p.id, p]));
      const positionById = new Map(positions.map((p) => [p.id, p]));
      for (const p of people) {
        if (p.unit_id) assert.equal(unitById.get(p.unit_id)!.organisation_id, p.organisation_id);
        assert.ok(p.position_id && positionById.get(p.position_id)!.organisation_id === p.organisation_id);
        if (p.manager_id) {
          const m = personById.get(p.manager_id)!;
          assert.equal(m.organisation_id, p.organisation_id);
          // A manager sits in the person's own unit or one of its ancestors.
          if (p.unit_id && m.unit_id) assert.ok(unitById.get(p.unit_id)!.path.startsWith(unitById.get(m.unit_id)!.path));
        }
      }
      // Only the top of each organisation has no manager (and no unit).
      const tops = people.filter((p) => !p.manager_id);
      assert.equal(tops.length, 4);
      assert.ok(tops.every((p) => p.unit_id === null));
      assert.ok(people.filter((p) => p.manager_id).every((p) => p.unit_id));
      for (const u of units) {
        if (!u.parent_id) {
          assert.equal(u.kind, "cluster");
          assert.equal(u.path, `/${u.id}/`);
        } else {
          const parent = unitById.get(u.parent_id)!;
          assert.equal(parent.organisation_id, u.organisation_id);
          assert.equal(u.path, `${parent.path}${u.id}/`);
          assert.equal(u.kind, parent.kind === "cluster" ? "department" : "team");
        }
      }
      for (const o of new Set(units.map((u) => u.organisation_id))) {
        const clusters = units.filter((u) => u.organisation_id === o && !u.parent_id);
        assert.ok(clusters.length >= 2 && clusters.length <= 4);
        for (const c of clusters) {
          const deps = units.filter((u) => u.parent_id === c.id);
          assert.ok(deps.length >= 2 && deps.length <= 4, `${c.name}: ${deps.length} departments`);
          for (const d of deps) {
            const teams = units.filter((u) => u.parent_id === d.id).length;
            assert.ok(teams >= 1 && teams <= 3, `${d.name}: ${teams} teams`);
          }
        }
      }
    });

    test("one account per role in Duinrand, plus an admin, a coordinator and an advisor (a pool) on the group", async () => {
      const db = t.ctx.db;
      const duinrand = await db.selectFrom("organisations").selectAll().where("slug", "=", "duinrand").executeTakeFirstOrThrow();
      const group = await db.selectFrom("organisation_groups").selectAll().executeTakeFirstOrThrow();
      const grants = await db.selectFrom("role_assignments").selectAll().execute();
      for (const role of ROLES) {
        const here = grants.filter((g) => g.role === role && g.organisation_id === duinrand.id);
        assert.equal(here.length, 1, `${role} in Duinrand`);
        if (role === "manager") {
          assert.equal(here[0]!.scope_type, "unit");
          const unit = await db.selectFrom("units").selectAll().where("id", "=", here[0]!.scope_id).executeTakeFirstOrThrow();
          assert.equal(unit.kind, "department");
          assert.equal(unit.organisation_id, duinrand.id);
        } else {
          assert.equal(here[0]!.scope_type, "organisation");
          assert.equal(here[0]!.scope_id, duinrand.id);
        }
      }
      const onGroup = grants.filter((g) => g.scope_type === "group");
      assert.deepEqual(onGroup.map((g) => g.role).sort(), ["admin", "advisor", "coordinator"]);
      assert.ok(onGroup.every((g) => g.scope_id === group.id && g.organisation_id === null));
      assert.equal(grants.length, ROLES.length + 3);
      const accounts = await db.selectFrom("accounts").selectAll().execute();
      assert.equal(accounts.length, ROLES.length + 3);
      assert.ok(accounts.every((a) => a.totp_enabled === 1 && a.totp_secret_sealed && a.password_hash?.startsWith("$argon2id$")));
      assert.ok(accounts.filter((a) => a.person_id).length >= 8, "most accounts are linked to a person");
      // Linked people belong to an organisation the account has a role in.
      const members = new Set((await db.selectFrom("organisation_group_members").select("organisation_id").execute()).map((m) => m.organisation_id));
      for (const a of accounts.filter((x) => x.person_id)) {
        const person = await db.selectFrom("people").selectAll().where("id", "=", a.person_id!).executeTakeFirstOrThrow();
        const mine = grants.filter((g) => g.account_id === a.id);
        assert.ok(mine.some((g) => g.organisation_id === person.organisation_id || (g.scope_type === "group" && members.has(person.organisation_id))));
      }
      // What the command prints matches what was stored.
      assert.equal(result.credentials.length, accounts.length);
      assert.ok(result.credentials.every((c) => c.password.length >= 16 && /^[A-Z2-7]{32}$/.test(c.totpSecret)));
      assert.ok(result.credentials.some((c) => c.email === "beheerder@duinrand.example" && c.organisation === "Gemeente Duinrand" && c.roles[0] === "admin"));
      assert.ok(result.credentials.some((c) => c.email === "regio.beheerder@groenhart.example" && c.organisation === "Regio Groenhart"));
      assert.ok(result.credentials.some((c) => c.email === "regio.vertrouwenspersoon@groenhart.example" && c.organisation === "Regio Groenhart"
        && c.roles.join() === "advisor"));
    });

    test("every demo account signs in with its password and lands on the TOTP step", async () => {
      for (const c of result.credentials) {
        const r = await login(t.ctx, c.email, c.password);
        assert.ok(r.ok, c.email);
        assert.equal(r.ok && r.stage, "mfa", c.email);
      }
      const wrong = await login(t.ctx, result.credentials[0]!.email, "not the password");
      assert.equal(wrong.ok, false);
    });

    test("one audit event demo.load with counts only, and the chain verifies", async () => {
      const events = await t.ctx.db.selectFrom("audit_events").selectAll().where("action", "=", "demo.load").execute();
      assert.equal(events.length, 1);
      assert.equal(events[0]!.actor_type, "system");
      assert.equal(events[0]!.actor_id, "demo");
      const details = JSON.parse(events[0]!.details) as Record<string, unknown>;
      assert.ok(Object.values(details).every((v) => typeof v === "number"), events[0]!.details);
      assert.equal(details.people, result.counts.people);
      const v = await verify(t.ctx);
      assert.ok(v.ok, JSON.stringify(v));
    });

    test("a second load is refused and writes nothing", async () => {
      const before = await countAll(t);
      await assert.rejects(loadDemo(t.ctx), DemoAlreadyLoaded);
      assert.deepEqual(await countAll(t), before);
    });

    test("a database holding one demo organisation (by slug) is refused too", async () => {
      const other = await freshDatabase(kind);
      try {
        await other.ctx.db.insertInto("organisations").values({
          id: "x1", name: "Mijn Duinrand", slug: "duinrand", kind: "municipality", totp_required: 0, created_at: "2025-01-01T00:00:00.000Z", updated_at: "2025-01-01T00:00:00.000Z",
        }).execute();
        const before = await countAll(other);
        await assert.rejects(loadDemo(other.ctx), /already loaded.*duinrand/);
        assert.deepEqual(await countAll(other), before);
      } finally {
        await other.drop();
      }
    });
  });
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bin/intact.js", ...args], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.on("data", (d) => { stdout += d; });
    child.stderr.on("data", (d) => { stderr += d; });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("intact demo --json (command line, SQLite)", () => {
  let dataDir: string;
  before(() => { dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "intact-demo-cli-")); });
  after(() => { fs.rmSync(dataDir, { recursive: true, force: true }); });

  test("prints only a JSON array of the accounts, makes its own key, and refuses a second run", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "info" };
    delete env.INTACT_MASTER_KEY;
    delete env.DATABASE_URL;
    const first = await runCli(["demo", "--json"], env);
    assert.equal(first.code, 0, first.stderr);
    const out = JSON.parse(first.stdout) as unknown;
    assert.ok(Array.isArray(out));
    assert.equal(out.length, 12); // nine roles in Duinrand, three on the region
    for (const a of out as Record<string, unknown>[]) {
      assert.deepEqual(Object.keys(a).sort(), ["email", "organisation", "password", "roles", "totpSecret"]);
      assert.match(a.email as string, /^[a-z.]+@[a-z]+\.example$/);
      assert.ok((a.password as string).length >= 16);
      assert.ok(Array.isArray(a.roles) && a.roles.length >= 1 && a.roles.every((r) => (ROLES as readonly string[]).includes(r as string)));
      assert.match(a.totpSecret as string, /^[A-Z2-7]{32}$/);
      assert.ok(["Gemeente Duinrand", "Regio Groenhart"].includes(a.organisation as string));
    }
    assert.ok(fs.existsSync(path.join(dataDir, "master.key")));
    assert.ok(fs.existsSync(path.join(dataDir, "intact.sqlite")));
    assert.match(first.stderr, /demo loaded/); // the log went to stderr, not stdout

    const second = await runCli(["demo", "--json"], env);
    assert.equal(second.code, 1);
    assert.equal(second.stdout, "");
    assert.match(second.stderr, /already loaded/);
  });
});
