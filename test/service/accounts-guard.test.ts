import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as accounts from "../../src/accounts/service.ts";
import { loadActor } from "../../src/auth/service.ts";
import type { Context } from "../../src/context.ts";
import { DB_KINDS, freshDatabase, type TestDb } from "../helpers/db.ts";
import { grant, makeAccount, makeGroup, makeOrganisation } from "../helpers/fixtures.ts";

const actorOf = async (ctx: Context, id: string, org: string) =>
  loadActor(ctx.db, await ctx.db.selectFrom("accounts").selectAll().where("id", "=", id).executeTakeFirstOrThrow(), org, "session");

for (const { kind, skip } of DB_KINDS) {
  describe(`administrators cannot widen their own powers or reach beyond their organisations (${kind})`, { skip }, () => {
    let t: TestDb;
    before(async () => { t = await freshDatabase(kind); });
    after(async () => { await t?.drop(); });

    test("an administrator cannot grant themselves any role, also not a sealed one", async () => {
      const a = await makeOrganisation(t.ctx, "A");
      const admin = await makeAccount(t.ctx, "admin@a.example");
      await grant(t.ctx, admin.id, "admin", "organisation", a.id, a.id);
      const actor = await actorOf(t.ctx, admin.id, a.id);
      for (const role of ["coordinator", "advisor", "employee"]) {
        await assert.rejects(accounts.grantRole(t.ctx, actor, admin.id, { role, scopeType: "organisation", scopeId: a.id }, { organisationId: a.id }),
          (e: { code?: string }) => e.code === "grant_self");
      }
      const roles = await t.ctx.db.selectFrom("role_assignments").select("role").where("account_id", "=", admin.id).execute();
      assert.deepEqual(roles.map((r) => r.role), ["admin"]);
      const other = await makeAccount(t.ctx, "ander@a.example");
      await grant(t.ctx, other.id, "employee", "organisation", a.id, a.id);
      const ok = await accounts.grantRole(t.ctx, actor, other.id, { role: "coordinator", scopeType: "organisation", scopeId: a.id }, { organisationId: a.id });
      assert.equal(ok.role, "coordinator");
      const ev = await t.ctx.db.selectFrom("audit_events").select(["actor_id", "object_id"]).where("action", "=", "roleAssignment.create").execute();
      assert.deepEqual(ev, [{ actor_id: admin.id, object_id: other.id }]);
    });

    test("blocking is refused for an account that also holds roles outside the administrator's organisations", async () => {
      const a = await makeOrganisation(t.ctx, "A2"), b = await makeOrganisation(t.ctx, "B2");
      const g = await makeGroup(t.ctx, "Regio", [a.id, b.id]);
      const alice = await makeAccount(t.ctx, "alice@a2.example");
      await grant(t.ctx, alice.id, "admin", "organisation", a.id, a.id);
      const bob = await makeAccount(t.ctx, "bob@regio.example");
      await grant(t.ctx, bob.id, "admin", "group", g.id, null);
      const carol = await makeAccount(t.ctx, "carol@b2.example");
      await grant(t.ctx, carol.id, "admin", "organisation", b.id, b.id);
      await grant(t.ctx, carol.id, "employee", "organisation", a.id, a.id);
      const dave = await makeAccount(t.ctx, "dave@a2.example");
      await grant(t.ctx, dave.id, "employee", "organisation", a.id, a.id);
      const actor = await actorOf(t.ctx, alice.id, a.id);
      for (const target of [bob.id, carol.id]) {
        await assert.rejects(accounts.setBlocked(t.ctx, actor, a.id, target, true), (e: { code?: string }) => e.code === "account_shared");
      }
      const disabled = await t.ctx.db.selectFrom("accounts").select("email").where("disabled", "=", 1).execute();
      assert.deepEqual(disabled, []);
      await accounts.setBlocked(t.ctx, actor, a.id, dave.id, true);
      assert.equal((await t.ctx.db.selectFrom("accounts").select("disabled").where("id", "=", dave.id).executeTakeFirstOrThrow()).disabled, 1);
    });
  });
}
