import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Actor } from "../../src/access/actor.ts";
import { canForWholeOrganisation } from "../../src/access/actor.ts";
import * as authRepo from "../../src/auth/repository.ts";
import { loadActor } from "../../src/auth/service.ts";
import { verify } from "../../src/audit/service.ts";
import type { Context } from "../../src/context.ts";
import { newId, now } from "../../src/crypto/tokens.ts";
import { Conflict, DomainError, Forbidden, Invalid, NotFound } from "../../src/http/errors.ts";
import * as repo from "../../src/organisations/repository.ts";
import * as org from "../../src/organisations/service.ts";
import { DB_KINDS, freshDatabase, type TestDb } from "../helpers/db.ts";
import { grant, makeAccount, makeGroup, makeOrganisation, makeUnit } from "../helpers/fixtures.ts";

async function actorOf(ctx: Context, accountId: string, activeOrganisationId: string | null = null): Promise<Actor> {
  const account = await authRepo.findAccount(ctx.db, accountId);
  return loadActor(ctx.db, account!, activeOrganisationId, "session");
}

async function asRole(ctx: Context, role: "admin" | "hr" | "employee", organisationId: string): Promise<Actor> {
  const acc = await makeAccount(ctx, `${role}-${newId().slice(0, 8)}@example.test`);
  await grant(ctx, acc.id, role, "organisation", organisationId, organisationId);
  return actorOf(ctx, acc.id, organisationId);
}

/** Asserts the promise rejects with that error class and (for Invalid) that field → message key. */
async function rejects(p: Promise<unknown>, cls: new (...a: never[]) => DomainError, fields?: Record<string, string>) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
    if (fields) assert.deepEqual((e as DomainError).fields, fields);
    return true;
  });
}

const auditCount = async (ctx: Context, action: string) =>
  Number((await ctx.db.selectFrom("audit_events").select((eb) => eb.fn.countAll<number>().as("n")).where("action", "=", action).executeTakeFirstOrThrow()).n);

for (const { kind, skip } of DB_KINDS) {
  describe(`organisations service (${kind})`, { skip }, () => {
    let t: TestDb;
    before(async () => { t = await freshDatabase(kind); });
    after(async () => { await t?.drop(); });

    test("units: create a tree, move a subtree (paths rewritten), refuse cycles, delete only empty units", async () => {
      const a = await makeOrganisation(t.ctx, "Gemeente Aa");
      const admin = await asRole(t.ctx, "admin", a.id);
      const c1 = await org.createUnit(t.ctx, admin, a.id, { name: "Cluster Ruimte", kind: "cluster" });
      const c2 = await org.createUnit(t.ctx, admin, a.id, { name: "Cluster Sociaal", kind: "cluster", parentId: "" });
      const dep = await org.createUnit(t.ctx, admin, a.id, { name: "Vergunningen", kind: "department", parentId: c1.id });
      const team = await org.createUnit(t.ctx, admin, a.id, { name: "Team Bouw", kind: "team", parentId: dep.id });
      assert.equal(c1.path, `/${c1.id}/`);
      assert.equal(c2.parent_id, null);
      assert.equal(dep.path, `/${c1.id}/${dep.id}/`);
      assert.equal(team.path, `/${c1.id}/${dep.id}/${team.id}/`);

      await rejects(org.createUnit(t.ctx, admin, a.id, { name: "", kind: "team" }), Invalid, { name: "field.required" });
      await rejects(org.createUnit(t.ctx, admin, a.id, { name: "X", kind: "division" }), Invalid, { kind: "field.choose" });
      await rejects(org.createUnit(t.ctx, admin, a.id, { name: "X", kind: "team", parentId: newId() }), Invalid, { parentId: "org.unitNotFound" });

      // Move the department (with its team) from cluster 1 to cluster 2, and rename it.
      const moved = await org.updateUnit(t.ctx, admin, a.id, dep.id, { name: "Vergunningen en handhaving", kind: "department", parentId: c2.id });
      assert.equal(moved.path, `/${c2.id}/${dep.id}/`);
      const rows = new Map((await repo.listUnits(t.ctx.db, a.id)).map((u) => [u.id, u]));
      assert.equal(rows.get(dep.id)!.path, `/${c2.id}/${dep.id}/`);
      assert.equal(rows.get(dep.id)!.parent_id, c2.id);
      assert.equal(rows.get(dep.id)!.name, "Vergunningen en handhaving");
      assert.equal(rows.get(team.id)!.path, `/${c2.id}/${dep.id}/${team.id}/`);
      assert.equal(rows.get(team.id)!.parent_id, dep.id);
      assert.equal(rows.get(c1.id)!.path, `/${c1.id}/`);

      // Moving to the top level.
      await org.updateUnit(t.ctx, admin, a.id, dep.id, { name: "Vergunningen", kind: "department", parentId: "" });
      assert.equal((await repo.findUnit(t.ctx.db, a.id, team.id))!.path, `/${dep.id}/${team.id}/`);
      await org.updateUnit(t.ctx, admin, a.id, dep.id, { name: "Vergunningen", kind: "department", parentId: c2.id });

      // Cycles: under itself, under its own team.
      await rejects(org.updateUnit(t.ctx, admin, a.id, dep.id, { name: "V", kind: "department", parentId: dep.id }), Invalid, { parentId: "org.unitCycle" });
      await rejects(org.updateUnit(t.ctx, admin, a.id, c2.id, { name: "C", kind: "cluster", parentId: team.id }), Invalid, { parentId: "org.unitCycle" });
      assert.equal((await repo.findUnit(t.ctx.db, a.id, c2.id))!.path, `/${c2.id}/`);

      // Delete: not while a child unit, a person or a unit grant depends on it.
      await rejects(org.deleteUnit(t.ctx, admin, a.id, dep.id), Conflict);
      await t.ctx.db.insertInto("people").values({
        id: newId(), organisation_id: a.id, employee_number: "1001", given_name: "Bea", family_name: "Bos", email: null,
        unit_id: team.id, position_id: null, manager_id: null, employment_type: "employee", start_date: null, end_date: null,
        created_at: now(), updated_at: now(),
      }).execute();
      await rejects(org.deleteUnit(t.ctx, admin, a.id, team.id), Conflict);
      await t.ctx.db.deleteFrom("people").where("unit_id", "=", team.id).execute();
      const mgr = await makeAccount(t.ctx, `mgr-${newId().slice(0, 6)}@example.test`);
      await grant(t.ctx, mgr.id, "manager", "unit", team.id, a.id);
      await rejects(org.deleteUnit(t.ctx, admin, a.id, team.id), Conflict);
      await t.ctx.db.deleteFrom("role_assignments").where("scope_id", "=", team.id).execute();
      await org.deleteUnit(t.ctx, admin, a.id, team.id);
      await org.deleteUnit(t.ctx, admin, a.id, dep.id);
      assert.equal(await repo.findUnit(t.ctx.db, a.id, dep.id), undefined);
      assert.equal((await repo.listUnits(t.ctx.db, a.id)).length, 2);

      assert.equal(await auditCount(t.ctx, "unit.create"), 4);
      assert.equal(await auditCount(t.ctx, "unit.update"), 3);
      assert.equal(await auditCount(t.ctx, "unit.delete"), 2);
      const v = await verify(t.ctx);
      assert.ok(v.ok, JSON.stringify(v));
    });

    test("settings: slug validated and unique, kind and two-step setting saved; hr may not change them", async () => {
      const a = await makeOrganisation(t.ctx, "Gemeente Slug");
      const b = await makeOrganisation(t.ctx, "Gemeente Bezet");
      const admin = await asRole(t.ctx, "admin", a.id);
      const base = { name: "Gemeente Slug", kind: "municipality" };
      for (const bad of ["-begin", "eind-", "met spatie", "a_b", "x".repeat(61), "é"]) {
        await rejects(org.updateSettings(t.ctx, admin, a.id, { ...base, slug: bad }), Invalid, { slug: "org.slugInvalid" });
      }
      await rejects(org.updateSettings(t.ctx, admin, a.id, { ...base, slug: "" }), Invalid, { slug: "field.required" });
      await rejects(org.updateSettings(t.ctx, admin, a.id, { ...base, slug: b.slug }), Invalid, { slug: "org.slugTaken" });
      await rejects(org.updateSettings(t.ctx, admin, a.id, { ...base, slug: "ok", kind: "kingdom" }), Invalid, { kind: "field.choose" });

      await org.updateSettings(t.ctx, admin, a.id, { name: "Werkorganisatie Slug", slug: "wo-slug", kind: "shared_service", totpRequired: "1" });
      let row = (await repo.findOrganisation(t.ctx.db, [a.id], a.id))!;
      assert.deepEqual([row.name, row.slug, row.kind, row.totp_required], ["Werkorganisatie Slug", "wo-slug", "shared_service", 1]);
      // Its own slug is not "taken"; an absent checkbox turns the setting off.
      await org.updateSettings(t.ctx, admin, a.id, { name: "Werkorganisatie Slug", slug: "wo-slug", kind: "shared_service" });
      row = (await repo.findOrganisation(t.ctx.db, [a.id], a.id))!;
      assert.equal(row.totp_required, 0);
      assert.equal(await auditCount(t.ctx, "organisation.update"), 2);

      const hr = await asRole(t.ctx, "hr", a.id);
      await rejects(org.updateSettings(t.ctx, hr, a.id, { ...base, slug: "hr-slug" }), Forbidden);
      const overview = await org.getOverview(t.ctx, hr, a.id);
      assert.equal(overview.can.manage, false);
      assert.equal(overview.organisation.slug, "wo-slug");
      await rejects(org.getOverview(t.ctx, hr, b.id), NotFound);
    });

    test("positions: title unique per organisation, code optional", async () => {
      const a = await makeOrganisation(t.ctx, "Gemeente Functie");
      const b = await makeOrganisation(t.ctx, "Gemeente Ander");
      const admin = await asRole(t.ctx, "admin", a.id);
      const adminB = await asRole(t.ctx, "admin", b.id);
      const p = await org.createPosition(t.ctx, admin, a.id, { title: "Beleidsadviseur", code: "" });
      assert.equal(p.code, null);
      await org.createPosition(t.ctx, admin, a.id, { title: "Handhaver", code: "H-12" });
      await rejects(org.createPosition(t.ctx, admin, a.id, { title: " Beleidsadviseur ", code: "X" }), Invalid, { title: "org.positionTaken" });
      await rejects(org.createPosition(t.ctx, admin, a.id, { title: "" }), Invalid, { title: "field.required" });
      // The same title in another organisation is fine.
      await org.createPosition(t.ctx, adminB, b.id, { title: "Beleidsadviseur" });
      const ov = await org.getOverview(t.ctx, admin, a.id);
      assert.deepEqual(ov.positions.map((x) => [x.title, x.code]), [["Beleidsadviseur", null], ["Handhaver", "H-12"]]);
      assert.equal(ov.counts.positions, 2);
    });

    test("an admin of organisation A cannot see or change units or groups of organisation B", async () => {
      const a = await makeOrganisation(t.ctx, "Gemeente A");
      const b = await makeOrganisation(t.ctx, "Gemeente B");
      const adminA = await asRole(t.ctx, "admin", a.id);
      const unitA = await makeUnit(t.ctx, a.id, "Afdeling A");
      const unitB = await makeUnit(t.ctx, b.id, "Afdeling B");
      await rejects(org.getUnit(t.ctx, adminA, a.id, unitB.id), NotFound);
      await rejects(org.getUnit(t.ctx, adminA, b.id, unitB.id), NotFound);
      await rejects(org.updateUnit(t.ctx, adminA, a.id, unitB.id, { name: "Overgenomen", kind: "team" }), NotFound);
      await rejects(org.updateUnit(t.ctx, adminA, b.id, unitB.id, { name: "Overgenomen", kind: "team" }), NotFound);
      await rejects(org.deleteUnit(t.ctx, adminA, a.id, unitB.id), NotFound);
      await rejects(org.getOverview(t.ctx, adminA, b.id), NotFound);
      await rejects(org.updateSettings(t.ctx, adminA, b.id, { name: "B", slug: "b-overgenomen", kind: "municipality" }), NotFound);
      await rejects(org.createUnit(t.ctx, adminA, b.id, { name: "In B", kind: "team" }), NotFound);
      await rejects(org.createPosition(t.ctx, adminA, b.id, { title: "In B" }), NotFound);
      // A unit of B is no parent for a unit in A.
      await rejects(org.createUnit(t.ctx, adminA, a.id, { name: "Onder B", kind: "team", parentId: unitB.id }), Invalid, { parentId: "org.unitNotFound" });
      await rejects(org.updateUnit(t.ctx, adminA, a.id, unitA.id, { name: "A", kind: "team", parentId: unitB.id }), Invalid, { parentId: "org.unitNotFound" });
      assert.equal((await repo.findUnit(t.ctx.db, b.id, unitB.id))!.name, "Afdeling B");

      // Groups: B's group, and even a group A is in, are not A's admin's to manage without a group grant.
      const groupB = await makeGroup(t.ctx, "Regio B", [b.id]);
      const groupAB = await makeGroup(t.ctx, "Regio AB", [a.id, b.id]);
      for (const g of [groupB, groupAB]) {
        await rejects(org.createOrganisationInGroup(t.ctx, adminA, g.id, { name: "Stiekem", kind: "municipality" }), NotFound);
        await rejects(org.addOrganisationToGroup(t.ctx, adminA, g.id, { organisationId: a.id }), NotFound);
      }
      assert.deepEqual((await org.listManagedGroups(t.ctx, adminA, a.id)).groups, []);
      assert.equal(await repo.isGroupMember(t.ctx.db, groupB.id, a.id), false);
    });

    test("groups: create a group, a new organisation in it, and add an existing organisation", async () => {
      const a = await makeOrganisation(t.ctx, "Gemeente Groen");
      const c = await makeOrganisation(t.ctx, "Gemeente Ceder");
      const other = await makeOrganisation(t.ctx, "Gemeente Vreemd");
      const acc = await makeAccount(t.ctx, `groep-${newId().slice(0, 6)}@example.test`);
      await grant(t.ctx, acc.id, "admin", "organisation", a.id, a.id);
      await grant(t.ctx, acc.id, "admin", "organisation", c.id, c.id);
      let actor = await actorOf(t.ctx, acc.id, a.id);

      await rejects(org.createGroup(t.ctx, actor, a.id, { name: "", kind: "region" }), Invalid, { name: "field.required" });
      await rejects(org.createGroup(t.ctx, actor, a.id, { name: "Regio", kind: "country" }), Invalid, { kind: "field.choose" });
      const hr = await asRole(t.ctx, "hr", a.id);
      await rejects(org.createGroup(t.ctx, hr, a.id, { name: "Regio HR", kind: "region" }), Forbidden);

      const { id: groupId } = await org.createGroup(t.ctx, actor, a.id, { name: "Regio Groene Hart", kind: "region" });
      const grants = await t.ctx.db.selectFrom("role_assignments").selectAll().where("scope_type", "=", "group").where("scope_id", "=", groupId).execute();
      assert.equal(grants.length, 1);
      assert.deepEqual([grants[0]!.account_id, grants[0]!.role, grants[0]!.organisation_id], [acc.id, "admin", null]);
      assert.deepEqual((await repo.groupMembersOf(t.ctx.db, groupId)).map((m) => m.id), [a.id]);

      actor = await actorOf(t.ctx, acc.id, a.id);
      assert.deepEqual(org.managedGroupIds(actor), [groupId]);
      const created = await org.createOrganisationInGroup(t.ctx, actor, groupId, { name: "Gemeente Nieuw-Vennep", kind: "municipality" });
      const newOrg = (await repo.findOrganisation(t.ctx.db, [created.id], created.id))!;
      assert.equal(newOrg.slug, "gemeente-nieuw-vennep");
      assert.equal(newOrg.totp_required, 1);
      assert.equal(await repo.isGroupMember(t.ctx.db, groupId, created.id), true);
      const ev = await t.ctx.db.selectFrom("audit_events").selectAll().where("action", "=", "organisation.create").where("object_id", "=", created.id).executeTakeFirstOrThrow();
      assert.equal(ev.organisation_id, created.id);
      // A second one with the same name gets a free slug.
      const again = await org.createOrganisationInGroup(t.ctx, actor, groupId, { name: "Gemeente Nieuw-Vennep", kind: "other" });
      assert.equal(again.slug, "gemeente-nieuw-vennep-2");

      // The group grant makes the group administrator an administrator of the new organisation.
      actor = await actorOf(t.ctx, acc.id, a.id);
      assert.equal(canForWholeOrganisation(actor, "organisation.manage", created.id), true);

      // Adding an existing organisation: only one the actor manages in whole, and only once.
      await org.addOrganisationToGroup(t.ctx, actor, groupId, { organisationId: c.id });
      assert.equal(await repo.isGroupMember(t.ctx.db, groupId, c.id), true);
      await rejects(org.addOrganisationToGroup(t.ctx, actor, groupId, { organisationId: c.id }), Invalid, { organisationId: "org.groupMemberExists" });
      await rejects(org.addOrganisationToGroup(t.ctx, actor, groupId, { organisationId: other.id }), NotFound);
      await rejects(org.addOrganisationToGroup(t.ctx, actor, groupId, { organisationId: "" }), Invalid, { organisationId: "field.choose" });
      assert.equal(await repo.isGroupMember(t.ctx.db, groupId, other.id), false);

      const view = await org.listManagedGroups(t.ctx, await actorOf(t.ctx, acc.id, a.id), a.id);
      assert.equal(view.groups.length, 1);
      assert.deepEqual(new Set(view.groups[0]!.members.map((m) => m.id)), new Set([a.id, c.id, created.id, again.id]));
      assert.equal(view.can.createGroup, true);
      assert.equal(await auditCount(t.ctx, "group.create"), 1);
      assert.equal(await auditCount(t.ctx, "group.addMember"), 1);
      const v = await verify(t.ctx);
      assert.ok(v.ok, JSON.stringify(v));
    });
  });
}
