import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createApiToken } from "../../src/auth/service.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { testApp } from "../helpers/app.ts";
import { grant, makeAccount, makeOrganisation } from "../helpers/fixtures.ts";

for (const { kind, skip } of DB_KINDS) {
  describe(`API v1 (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    let adminToken = "", hrToken = "", orgA = "", orgB = "";
    const call = (method: string, url: string, token?: string, body?: unknown) => t.app.inject({
      method: method as "GET", url, payload: body === undefined ? undefined : JSON.stringify(body),
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
    });

    before(async () => {
      t = await testApp(kind);
      orgA = (await makeOrganisation(t.ctx, "Gemeente A")).id;
      orgB = (await makeOrganisation(t.ctx, "Gemeente B")).id;
      const admin = await makeAccount(t.ctx, "admin@a.example");
      await grant(t.ctx, admin.id, "admin", "organisation", orgA, orgA);
      const hr = await makeAccount(t.ctx, "hr@a.example");
      await grant(t.ctx, hr.id, "hr", "organisation", orgA, orgA);
      adminToken = (await createApiToken(t.ctx, { type: "system", id: "test" }, admin.id, "test", 1)).token;
      hrToken = (await createApiToken(t.ctx, { type: "system", id: "test" }, hr.id, "test", 1)).token;
    });
    after(async () => { await t?.close(); });

    test("the OpenAPI document lists every operation with a camelCase operationId", async () => {
      const res = await call("GET", "/api/v1/openapi.json");
      assert.equal(res.statusCode, 200);
      const doc = res.json();
      assert.equal(doc.openapi, "3.0.3");
      const ids = Object.values(doc.paths as Record<string, Record<string, { operationId: string }>>).flatMap((p) => Object.values(p).map((o) => o.operationId));
      for (const id of ["listOrganisations", "getOrganisation", "listUnits", "createUnit", "listAccounts", "createAccount", "listRoleAssignments", "createRoleAssignment", "deleteRoleAssignment", "getCurrentAccount"]) {
        assert.ok(ids.includes(id), `missing ${id}`);
      }
      for (const id of ids) assert.match(id, /^[a-z][a-zA-Z]+$/);
      assert.equal(new Set(ids).size, ids.length, "operationIds are unique");
      assert.ok(doc.paths["/organisations/{organisationId}/units"].post.requestBody);
      assert.equal(res.headers["api-version"], "1.0.0");
    });

    test("a bearer token reads and writes through the same services as the pages", async () => {
      assert.equal((await call("GET", "/api/v1/organisations")).statusCode, 401);
      assert.equal((await call("GET", "/api/v1/organisations", "intact_wrong")).statusCode, 401);
      const orgs = await call("GET", "/api/v1/organisations", adminToken);
      assert.equal(orgs.statusCode, 200);
      assert.deepEqual(orgs.json().items.map((o: { id: string }) => o.id), [orgA]);
      const created = await call("POST", `/api/v1/organisations/${orgA}/units`, adminToken, { name: "Afdeling API", kind: "department" });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(created.json().name, "Afdeling API");
      assert.equal(created.json().path, undefined, "internal columns are not exposed");
      const units = await call("GET", `/api/v1/organisations/${orgA}/units`, hrToken);
      assert.deepEqual(units.json().items.map((u: { name: string }) => u.name), ["Afdeling API"]);
      const audit = await t.ctx.db.selectFrom("audit_events").select(["action", "organisation_id"]).where("action", "=", "unit.create").execute();
      assert.deepEqual(audit, [{ action: "unit.create", organisation_id: orgA }]);
    });

    test("bad input answers problem+json naming the field, in Dutch by default", async () => {
      const res = await call("POST", `/api/v1/organisations/${orgA}/units`, adminToken, { name: "", kind: "wijk" });
      assert.equal(res.statusCode, 422);
      assert.match(String(res.headers["content-type"]), /application\/problem\+json/);
      const body = res.json();
      assert.deepEqual(body.invalidParams.map((p: { name: string }) => p.name).sort(), ["kind", "name"]);
      assert.equal(body.invalidParams.find((p: { name: string }) => p.name === "name").reason, "Vul dit veld in.");
      const malformed = await t.app.inject({ method: "POST", url: `/api/v1/organisations/${orgA}/units`, payload: "{not json",
        headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" } });
      assert.equal(malformed.statusCode, 400);
      assert.match(String(malformed.headers["content-type"]), /problem\+json/);
    });

    test("another organisation's resources answer 404, a missing permission 403", async () => {
      assert.equal((await call("GET", `/api/v1/organisations/${orgB}`, adminToken)).statusCode, 404);
      assert.equal((await call("POST", `/api/v1/organisations/${orgB}/units`, adminToken, { name: "X", kind: "team" })).statusCode, 404);
      assert.equal((await call("GET", `/api/v1/organisations/${orgB}/role-assignments`, adminToken)).statusCode, 404);
      assert.equal((await call("POST", `/api/v1/organisations/${orgA}/units`, hrToken, { name: "X", kind: "team" })).statusCode, 403);
      assert.equal((await call("GET", `/api/v1/organisations/${orgA}/accounts`, hrToken)).statusCode, 403);
    });

    test("accounts and role assignments: create, grant, revoke", async () => {
      const created = await call("POST", `/api/v1/organisations/${orgA}/accounts`, adminToken, { displayName: "Cor Coördinator", email: "cor@a.example", role: "coordinator" });
      assert.equal(created.statusCode, 201, created.body);
      const { account, temporaryPassword } = created.json();
      assert.equal(temporaryPassword.length, 20);
      assert.equal(account.roles[0].role, "coordinator");
      assert.equal(account.passwordHash, undefined);
      const granted = await call("POST", `/api/v1/organisations/${orgA}/role-assignments`, adminToken, { accountId: account.id, role: "investigator", scopeType: "organisation", scopeId: orgA });
      assert.equal(granted.statusCode, 201, granted.body);
      const list = (await call("GET", `/api/v1/organisations/${orgA}/role-assignments`, adminToken)).json().items;
      assert.ok(list.some((g: { id: string }) => g.id === granted.json().id));
      const del = await call("DELETE", `/api/v1/organisations/${orgA}/role-assignments/${granted.json().id}`, adminToken);
      assert.equal(del.statusCode, 204);
      assert.equal((await call("DELETE", `/api/v1/organisations/${orgA}/role-assignments/${granted.json().id}`, adminToken)).statusCode, 404);
      const me = (await call("GET", "/api/v1/me", adminToken)).json();
      assert.equal(me.email, "admin@a.example");
    });
  });
}
