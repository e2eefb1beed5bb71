import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as accounts from "../../src/accounts/service.ts";
import { verify } from "../../src/audit/service.ts";
import * as authRepo from "../../src/auth/repository.ts";
import { hasher, loadActor, startSession } from "../../src/auth/service.ts";
import type { Actor } from "../../src/access/actor.ts";
import type { Context } from "../../src/context.ts";
import { newId, now } from "../../src/crypto/tokens.ts";
import { Conflict, DomainError, Invalid, NotFound } from "../../src/http/errors.ts";
import { DB_KINDS, freshDatabase, type TestDb } from "../helpers/db.ts";
import { grant, makeAccount, makeOrganisation, makeUnit } from "../helpers/fixtures.ts";

async function actorOf(ctx: Context, accountId: string, organisationId: string): Promise<Actor> {
  return loadActor(ctx.db, (await authRepo.findAccount(ctx.db, accountId))!, organisationId, "session");
}

async function events(ctx: Context, action: string, objectId: string) {
  return ctx.db.selectFrom("audit_events").selectAll().where("action", "=", action).where("object_id", "=", objectId).execute();
}

async function rejects<T extends DomainError>(p: Promise<unknown>, type: new (...a: never[]) => T, check?: (e: T) => void) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof type, `expected ${type.name}, got ${String(e)}`);
    check?.(e as T);
    return true;
  });
}

for (const { kind, skip } of DB_KINDS) {
  describe(`accounts service (${kind})`, { skip }, () => {
    let t: TestDb;
    let orgA: { id: string }, orgB: { id: string };
    let unitA: { id: string; path: string }, unitB: { id: string; path: string };
    let adminA: { id: string }, adminB: { id: string };
    before(async () => {
      t = await freshDatabase(kind);
      orgA = await makeOrganisation(t.ctx, "Gemeente Aardam");
      orgB = await makeOrganisation(t.ctx, "Gemeente Beekdorp");
      unitA = await makeUnit(t.ctx, orgA.id, "Afdeling Vergunningen");
      unitB = await makeUnit(t.ctx, orgB.id, "Afdeling Belastingen");
      adminA = await makeAccount(t.ctx, "admin@aardam.example", { displayName: "Anna Admin" });
      adminB = await makeAccount(t.ctx, "admin@beekdorp.example", { displayName: "Bart Beheer" });
      await grant(t.ctx, adminA.id, "admin", "organisation", orgA.id, orgA.id);
      await grant(t.ctx, adminB.id, "admin", "organisation", orgB.id, orgB.id);
    });
    after(async () => { await t?.drop(); });

    test("creates an account with a temporary password and a role; the e-mail address is unique across the instance", async () => {
      const actor = await actorOf(t.ctx, adminA.id, orgA.id);
      await t.ctx.db.insertInto("people").values({
        id: newId(), organisation_id: orgA.id, employee_number: "1001", given_name: "Carla", family_name: "Claes", email: null,
        unit_id: null, position_id: null, manager_id: null, employment_type: "employee", start_date: null, end_date: null,
        created_at: now(), updated_at: now(),
      }).execute();
      const { account, temporaryPassword } = await accounts.createAccount(t.ctx, actor, orgA.id,
        { displayName: "Carla Claes", email: "  Carla@Aardam.example ", employeeNumber: "1001", role: "hr" });
      assert.equal(temporaryPassword.length, 20);
      assert.match(temporaryPassword, /^[A-Za-z0-9_-]{20}$/);
      assert.equal(account.email, "carla@aardam.example");
      assert.ok(account.personId);
      assert.deepEqual(account.roles.map((r) => [r.role, r.scopeType, r.scopeId]), [["hr", "organisation", orgA.id]]);
      const row = (await authRepo.findAccount(t.ctx.db, account.id))!;
      assert.notEqual(row.password_hash, temporaryPassword);
      assert.ok(await hasher(t.ctx).verify(row.password_hash, temporaryPassword));

      const created = await events(t.ctx, "account.create", account.id);
      assert.equal(created.length, 1);
      assert.equal(created[0]!.organisation_id, orgA.id);
      assert.equal(created[0]!.actor_id, adminA.id);
      assert.ok(!created[0]!.details.includes(temporaryPassword));
      const granted = await events(t.ctx, "roleAssignment.create", account.id);
      assert.equal(granted.length, 1);
      assert.equal(JSON.parse(granted[0]!.details).role, "hr");

      // The same address again, in any case and in any organisation, is refused.
      await rejects(accounts.createAccount(t.ctx, actor, orgA.id, { displayName: "X", email: "CARLA@aardam.example", role: "employee" }),
        Conflict, (e) => assert.deepEqual(e.fields, { email: "accounts.emailTaken" }));
      const actorB = await actorOf(t.ctx, adminB.id, orgB.id);
      await rejects(accounts.createAccount(t.ctx, actorB, orgB.id, { displayName: "X", email: "carla@aardam.example", role: "employee" }), Conflict);
      // Bad input names its fields; an unknown employee number too; the same person cannot get two accounts.
      await rejects(accounts.createAccount(t.ctx, actor, orgA.id, { displayName: "", email: "nope", role: "king" }), Invalid,
        (e) => assert.deepEqual(e.fields, { displayName: "field.required", email: "field.email", role: "field.choose" }));
      await rejects(accounts.createAccount(t.ctx, actor, orgA.id, { displayName: "D", email: "d@aardam.example", employeeNumber: "9999", role: "employee" }),
        Invalid, (e) => assert.deepEqual(e.fields, { employeeNumber: "accounts.personUnknown" }));
      await rejects(accounts.createAccount(t.ctx, actor, orgA.id, { displayName: "D", email: "d@aardam.example", employeeNumber: "1001", role: "employee" }),
        Conflict, (e) => assert.deepEqual(e.fields, { employeeNumber: "accounts.personTaken" }));
      // An admin cannot create accounts in an organisation they do not manage.
      await rejects(accounts.createAccount(t.ctx, actor, orgB.id, { displayName: "E", email: "e@beekdorp.example", role: "employee" }), NotFound);
      assert.equal(await authRepo.findAccountByEmail(t.ctx.db, "d@aardam.example"), undefined);

      const list = await accounts.listAccounts(t.ctx, actor, orgA.id);
      assert.deepEqual(list.map((a) => a.email).sort(), ["admin@aardam.example", "carla@aardam.example"]);
      assert.ok((await verify(t.ctx)).ok);
    });

    test("grants and revokes on organisation and unit scope; a duplicate grant is refused", async () => {
      const actor = await actorOf(t.ctx, adminA.id, orgA.id);
      const { account } = await accounts.createAccount(t.ctx, actor, orgA.id, { displayName: "Dirk", email: "dirk@aardam.example", role: "employee" });
      const onOrg = await accounts.grantRole(t.ctx, actor, account.id, { role: "auditor", scopeType: "organisation", scopeId: orgA.id });
      const onUnit = await accounts.grantRole(t.ctx, actor, account.id, { role: "manager", scopeType: "unit", scopeId: unitA.id });
      assert.equal(onUnit.organisationId, orgA.id);
      await rejects(accounts.grantRole(t.ctx, actor, account.id, { role: "manager", scopeType: "unit", scopeId: unitA.id }),
        Conflict, (e) => assert.deepEqual(e.fields, { role: "accounts.roleExists" }));
      await rejects(accounts.grantRole(t.ctx, actor, account.id, { role: "auditor", scopeType: "organisation", scopeId: orgA.id }), Conflict);
      await rejects(accounts.grantRole(t.ctx, actor, account.id, { role: "wizard", scopeType: "organisation", scopeId: orgA.id }), Invalid);

      // The grants take effect: the unit grant resolves to the unit's subtree.
      const dirk = await actorOf(t.ctx, account.id, orgA.id);
      assert.deepEqual(dirk.grants.map((g) => g.role).sort(), ["auditor", "employee", "manager"]);
      assert.equal(dirk.grants.find((g) => g.role === "manager")!.unitPath, unitA.path);

      const assignments = await accounts.listRoleAssignments(t.ctx, actor, orgA.id);
      assert.ok(assignments.some((a) => a.id === onUnit.id && a.scopeType === "unit"));
      assert.equal((await events(t.ctx, "roleAssignment.create", account.id)).length, 3);

      await accounts.revokeRole(t.ctx, actor, account.id, onUnit.id);
      await accounts.revokeRole(t.ctx, actor, account.id, onOrg.id, { organisationId: orgA.id });
      const after = await accounts.getAccount(t.ctx, actor, account.id);
      assert.deepEqual(after.roles.map((r) => r.role), ["employee"]);
      const revoked = await events(t.ctx, "roleAssignment.revoke", account.id);
      assert.equal(revoked.length, 2);
      assert.deepEqual(revoked.map((e) => JSON.parse(e.details).scopeType).sort(), ["organisation", "unit"]);
      // Revoking it again: it is gone.
      await rejects(accounts.revokeRole(t.ctx, actor, account.id, onUnit.id), NotFound);
      // A grant id with the wrong account id is not found either.
      await rejects(accounts.revokeRole(t.ctx, actor, adminA.id, after.roles[0]!.id), NotFound);
      assert.ok((await verify(t.ctx)).ok);
    });

    test("an admin of organisation A sees nothing of organisation B and cannot grant there", async () => {
      const actorA = await actorOf(t.ctx, adminA.id, orgA.id);
      const actorB = await actorOf(t.ctx, adminB.id, orgB.id);
      const { account: onlyB } = await accounts.createAccount(t.ctx, actorB, orgB.id, { displayName: "Eva", email: "eva@beekdorp.example", role: "employee" });
      const { account: inA } = await accounts.createAccount(t.ctx, actorA, orgA.id, { displayName: "Frank", email: "frank@aardam.example", role: "employee" });

      await rejects(accounts.getAccount(t.ctx, actorA, onlyB.id), NotFound);
      await rejects(accounts.grantRole(t.ctx, actorA, onlyB.id, { role: "hr", scopeType: "organisation", scopeId: orgA.id }), NotFound);
      await rejects(accounts.listAccounts(t.ctx, actorA, orgB.id), NotFound);
      await rejects(accounts.listRoleAssignments(t.ctx, actorA, orgB.id), NotFound);
      await rejects(accounts.setBlocked(t.ctx, actorA, orgA.id, onlyB.id, true), NotFound);
      // Own account, but the scope is B's organisation or a unit of B: not found.
      await rejects(accounts.grantRole(t.ctx, actorA, inA.id, { role: "hr", scopeType: "unit", scopeId: unitB.id }), NotFound);
      await rejects(accounts.grantRole(t.ctx, actorA, inA.id, { role: "hr", scopeType: "organisation", scopeId: orgB.id }), NotFound);
      // B's grant on its own account cannot be revoked from A.
      await rejects(accounts.revokeRole(t.ctx, actorA, onlyB.id, onlyB.roles[0]!.id), NotFound);
      // Nor can B reach A's account, even to grant it a role in B.
      await rejects(accounts.grantRole(t.ctx, actorB, inA.id, { role: "hr", scopeType: "organisation", scopeId: orgB.id }), NotFound);
      assert.ok(!(await accounts.listAccounts(t.ctx, actorA, orgA.id)).some((a) => a.id === onlyB.id));
      assert.equal((await t.ctx.db.selectFrom("role_assignments").select("id").where("account_id", "=", inA.id).execute()).length, 1);
    });

    test("an admin cannot revoke their own last admin grant, nor block themselves", async () => {
      const actor = await actorOf(t.ctx, adminA.id, orgA.id);
      const own = (await accounts.getAccount(t.ctx, actor, adminA.id)).roles.find((r) => r.role === "admin")!;
      await rejects(accounts.revokeRole(t.ctx, actor, adminA.id, own.id), Conflict, (e) => assert.equal(e.messageKey, "accounts.lastAdmin"));
      await rejects(accounts.setBlocked(t.ctx, actor, orgA.id, adminA.id, true), Conflict, (e) => assert.equal(e.messageKey, "accounts.cannotBlockSelf"));
      await rejects(accounts.toggleBlocked(t.ctx, actor, orgA.id, adminA.id), Conflict);
      assert.equal((await authRepo.findAccount(t.ctx.db, adminA.id))!.disabled, 0);

      // With a second admin grant on a unit (given by someone else: nobody grants themselves a role),
      // the organisation grant is still the last one that covers the whole organisation.
      await rejects(accounts.grantRole(t.ctx, actor, adminA.id, { role: "admin", scopeType: "unit", scopeId: unitA.id }), Conflict,
        (e) => assert.equal(e.messageKey, "accounts.cannotGrantSelf"));
      await grant(t.ctx, adminA.id, "admin", "unit", unitA.id, orgA.id);
      const unitGrant = (await accounts.getAccount(t.ctx, actor, adminA.id)).roles.find((r) => r.scopeType === "unit")!;
      const actor2 = await actorOf(t.ctx, adminA.id, orgA.id);
      await rejects(accounts.revokeRole(t.ctx, actor2, adminA.id, own.id), Conflict);
      // Their own extra unit grant may go: the organisation grant remains.
      await accounts.revokeRole(t.ctx, actor2, adminA.id, unitGrant.id);

      // Another administrator may revoke it; the organisation is not left without one by its own admin's mistake.
      const { account: second } = await accounts.createAccount(t.ctx, actor, orgA.id, { displayName: "Gerda", email: "gerda@aardam.example", role: "admin" });
      const gerda = await actorOf(t.ctx, second.id, orgA.id);
      const gerdaAdmin = second.roles[0]!;
      await rejects(accounts.revokeRole(t.ctx, gerda, second.id, gerdaAdmin.id), Conflict);
      await accounts.revokeRole(t.ctx, actor, second.id, gerdaAdmin.id);
      assert.equal((await events(t.ctx, "roleAssignment.revoke", second.id)).length, 1);
      assert.ok((await verify(t.ctx)).ok);
    });

    test("blocking ends the account's sessions and stops sign-in; unblocking allows it again", async () => {
      const actor = await actorOf(t.ctx, adminA.id, orgA.id);
      const { account, temporaryPassword } = await accounts.createAccount(t.ctx, actor, orgA.id, { displayName: "Hans", email: "hans@aardam.example", role: "employee" });
      await startSession(t.ctx, account.id, "full", { type: "account", id: account.id });
      await startSession(t.ctx, account.id, "full", { type: "account", id: account.id });
      const countSessions = async () => (await t.ctx.db.selectFrom("sessions").select("id").where("account_id", "=", account.id).execute()).length;
      assert.equal(await countSessions(), 2);
      const adminSessions = (await t.ctx.db.selectFrom("sessions").select("id").where("account_id", "=", adminA.id).execute()).length;

      assert.deepEqual(await accounts.toggleBlocked(t.ctx, actor, orgA.id, account.id), { disabled: true });
      assert.equal(await countSessions(), 0);
      assert.equal((await t.ctx.db.selectFrom("sessions").select("id").where("account_id", "=", adminA.id).execute()).length, adminSessions);
      assert.equal((await authRepo.findAccount(t.ctx.db, account.id))!.disabled, 1);
      const { login } = await import("../../src/auth/service.ts");
      assert.deepEqual(await login(t.ctx, "hans@aardam.example", temporaryPassword), { ok: false, reason: "invalid" });
      const blocked = await events(t.ctx, "account.block", account.id);
      assert.equal(blocked.length, 1);
      assert.equal(JSON.parse(blocked[0]!.details).sessionsEnded, 2);

      assert.deepEqual(await accounts.toggleBlocked(t.ctx, actor, orgA.id, account.id), { disabled: false });
      assert.equal((await events(t.ctx, "account.unblock", account.id)).length, 1);
      const again = await login(t.ctx, "hans@aardam.example", temporaryPassword);
      assert.ok(again.ok);
      const v = await verify(t.ctx);
      assert.ok(v.ok, JSON.stringify(v));
    });

    test("a group grant makes an account visible to the administrators of the group's organisations, but not revocable there", async () => {
      const actor = await actorOf(t.ctx, adminA.id, orgA.id);
      const regional = await makeAccount(t.ctx, "regio@example.test", { displayName: "Regio Coördinator" });
      const groupId = newId();
      await t.ctx.db.insertInto("organisation_groups").values({ id: groupId, name: "Regio West", kind: "region", created_at: now() }).execute();
      await t.ctx.db.insertInto("organisation_group_members").values({ group_id: groupId, organisation_id: orgA.id }).execute();
      await grant(t.ctx, regional.id, "auditor", "group", groupId, null);
      const list = await accounts.listAccounts(t.ctx, actor, orgA.id);
      const found = list.find((a) => a.id === regional.id)!;
      assert.deepEqual(found.roles.map((r) => [r.role, r.scopeType]), [["auditor", "group"]]);
      await rejects(accounts.revokeRole(t.ctx, actor, regional.id, found.roles[0]!.id), NotFound);
      const actorB = await actorOf(t.ctx, adminB.id, orgB.id);
      assert.ok(!(await accounts.listAccounts(t.ctx, actorB, orgB.id)).some((a) => a.id === regional.id));
    });
  });
}
