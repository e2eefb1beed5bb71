import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { authenticateBearer, authenticateSession, createApiToken, revokeApiToken, loadActor, startSession } from "../../src/auth/service.ts";
import { hashToken } from "../../src/crypto/tokens.ts";
import { DB_KINDS, freshDatabase, type TestDb } from "../helpers/db.ts";
import { makeAccount, makeOrganisation, grant } from "../helpers/fixtures.ts";

for (const { kind, skip } of DB_KINDS) {
  describe(`sessions and API tokens (${kind})`, { skip }, () => {
    let t: TestDb;
    before(async () => { t = await freshDatabase(kind); });
    after(async () => { await t?.drop(); });

    test("a session token is stored only as its hash, and ends after 30 idle minutes or 12 hours", async () => {
      const acc = await makeAccount(t.ctx, "sessie@example.test");
      const token = await startSession(t.ctx, acc.id, "full", { type: "account", id: acc.id });
      const stored = await t.ctx.db.selectFrom("sessions").selectAll().where("account_id", "=", acc.id).execute();
      assert.equal(stored.length, 1);
      assert.notEqual(stored[0]!.token_hash, token);
      assert.equal(stored[0]!.token_hash, hashToken(token));
      assert.ok(await authenticateSession(t.ctx, token));

      const idle = new Date(Date.now() - 31 * 60_000).toISOString();
      await t.ctx.db.updateTable("sessions").set({ last_seen_at: idle }).where("account_id", "=", acc.id).execute();
      assert.equal(await authenticateSession(t.ctx, token), null);
      assert.equal((await t.ctx.db.selectFrom("sessions").select("id").where("account_id", "=", acc.id).execute()).length, 0, "the expired session is removed");

      const token2 = await startSession(t.ctx, acc.id, "full", { type: "account", id: acc.id });
      await t.ctx.db.updateTable("sessions").set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where("account_id", "=", acc.id).execute();
      assert.equal(await authenticateSession(t.ctx, token2), null);

      const token3 = await startSession(t.ctx, acc.id, "full", { type: "account", id: acc.id });
      await t.ctx.db.updateTable("accounts").set({ disabled: 1 }).where("id", "=", acc.id).execute();
      assert.equal(await authenticateSession(t.ctx, token3), null, "a blocked account's session stops working");
    });

    test("API tokens: hashed, expire, can be revoked by their owner only", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Token");
      const acc = await makeAccount(t.ctx, "api@example.test");
      await grant(t.ctx, acc.id, "hr", "organisation", org.id, org.id);
      const { token } = await createApiToken(t.ctx, { type: "account", id: acc.id }, acc.id, "koppeling", 30);
      assert.match(token, /^intact_[A-Za-z0-9_-]{43}$/);
      const row = await t.ctx.db.selectFrom("api_tokens").selectAll().where("account_id", "=", acc.id).executeTakeFirstOrThrow();
      assert.equal(row.token_hash, hashToken(token));
      assert.equal((await authenticateBearer(t.ctx, token))?.id, acc.id);
      assert.equal(await authenticateBearer(t.ctx, token + "x"), null);
      await assert.rejects(createApiToken(t.ctx, { type: "account", id: acc.id }, acc.id, "", 30), (e: { fields?: object }) => "name" in (e.fields ?? {}));
      await assert.rejects(createApiToken(t.ctx, { type: "account", id: acc.id }, acc.id, "x", 400), (e: { fields?: object }) => "days" in (e.fields ?? {}));

      const other = await makeAccount(t.ctx, "ander@example.test");
      const otherActor = await loadActor(t.ctx.db, (await t.ctx.db.selectFrom("accounts").selectAll().where("id", "=", other.id).executeTakeFirstOrThrow()), null, "session");
      await assert.rejects(revokeApiToken(t.ctx, otherActor, row.id), /not_found/);
      assert.ok(await authenticateBearer(t.ctx, token), "still valid after someone else tried to revoke it");
      const owner = await loadActor(t.ctx.db, (await t.ctx.db.selectFrom("accounts").selectAll().where("id", "=", acc.id).executeTakeFirstOrThrow()), null, "token");
      await revokeApiToken(t.ctx, owner, row.id);
      assert.equal(await authenticateBearer(t.ctx, token), null);

      const { token: old } = await createApiToken(t.ctx, { type: "system", id: "cli" }, acc.id, "oud", 1);
      await t.ctx.db.updateTable("api_tokens").set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where("name", "=", "oud").execute();
      assert.equal(await authenticateBearer(t.ctx, old), null);
    });

    test("grants resolve to organisations: a group grant covers every member, a unit grant only its own organisation", async () => {
      const a = await makeOrganisation(t.ctx, "A"), b = await makeOrganisation(t.ctx, "B");
      const g = await t.ctx.db.insertInto("organisation_groups").values({ id: "g-" + a.id, name: "Regio", kind: "region", created_at: new Date().toISOString() }).execute();
      void g;
      await t.ctx.db.insertInto("organisation_group_members").values([{ group_id: "g-" + a.id, organisation_id: a.id }, { group_id: "g-" + a.id, organisation_id: b.id }]).execute();
      const acc = await makeAccount(t.ctx, "regio@example.test");
      await grant(t.ctx, acc.id, "coordinator", "group", "g-" + a.id, null);
      const row = await t.ctx.db.selectFrom("accounts").selectAll().where("id", "=", acc.id).executeTakeFirstOrThrow();
      const actor = await loadActor(t.ctx.db, row, b.id, "session");
      assert.deepEqual(actor.grants[0]!.organisationIds.sort(), [a.id, b.id].sort());
      assert.equal(actor.activeOrganisationId, b.id);
      const stranger = await loadActor(t.ctx.db, row, "not-mine", "session");
      assert.ok([a.id, b.id].includes(stranger.activeOrganisationId!), "an organisation without a grant cannot be made active");
    });
  });
}
