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

    test("the OpenAPI document is OpenAPI 3.0: no schema uses what only JSON Schema 2020-12 (OpenAPI 3.1) has", async () => {
      const doc = (await call("GET", "/api/v1/openapi.json")).json();
      const problems: string[] = [];
      let schemas = 0, nullable = 0;
      // Every Schema Object of the document: under `schema`, and in `components.schemas`, walked down to the leaves.
      const walkSchema = (s: unknown, at: string): void => {
        if (!s || typeof s !== "object") return;
        if (Array.isArray(s)) { s.forEach((x, i) => walkSchema(x, `${at}/${i}`)); return; }
        const o = s as Record<string, unknown>;
        schemas++;
        if (Array.isArray(o.type)) problems.push(`${at}: type is an array`);
        if (o.type === "null") problems.push(`${at}: type null`);
        for (const k of ["const", "$schema", "$defs", "prefixItems", "examples", "unevaluatedProperties", "dependentRequired", "contentEncoding", "if"]) {
          if (k in o) problems.push(`${at}: ${k}`);
        }
        for (const k of ["exclusiveMinimum", "exclusiveMaximum"]) if (k in o && typeof o[k] !== "boolean") problems.push(`${at}: ${k} is not a boolean`);
        if (o.nullable === true) nullable++;
        for (const k of ["properties", "patternProperties"]) {
          if (o[k] && typeof o[k] === "object") for (const [name, v] of Object.entries(o[k] as object)) walkSchema(v, `${at}/${k}/${name}`);
        }
        for (const k of ["items", "additionalProperties", "not"]) if (o[k] && typeof o[k] === "object") walkSchema(o[k], `${at}/${k}`);
        for (const k of ["anyOf", "oneOf", "allOf"]) if (Array.isArray(o[k])) walkSchema(o[k], `${at}/${k}`);
      };
      const walkDoc = (v: unknown, at: string): void => {
        if (!v || typeof v !== "object") return;
        for (const [k, x] of Object.entries(v as object)) {
          if (k === "schema") walkSchema(x, `${at}/schema`);
          else walkDoc(x, `${at}/${k}`);
        }
      };
      walkDoc(doc.paths, "#/paths");
      for (const [name, s] of Object.entries(doc.components.schemas)) walkSchema(s, `#/components/schemas/${name}`);
      assert.ok(schemas > 200, `walked ${schemas} schemas`);
      assert.ok(nullable > 10, "nullable fields say so the 3.0 way");
      assert.deepEqual(problems, []);

      // What the advisors' operations document beyond their types.
      const report = doc.paths["/advisors/yearly-report"].get;
      const year = report.parameters.find((p: { name: string }) => p.name === "year");
      assert.equal(year.schema.minimum, 2000);
      assert.match(year.schema.description, /2000 up to and including this year/);
      assert.match(report.responses["404"].description, /not_published/);
      const withheld = report.responses["200"].content["application/json"].schema.properties.withheldYears;
      assert.deepEqual([withheld.type, withheld.items.type], ["array", "integer"]);
      const contactOn = doc.paths["/advisors/contacts"].post.requestBody.content["application/json"].schema.properties.contactOn;
      assert.equal(contactOn.format, "date");
      assert.match(contactOn.description, /not before 1 January of last year/);
      assert.match(contactOn.description, /published/);
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
      const english = await t.app.inject({ method: "POST", url: `/api/v1/organisations/${orgA}/units`, payload: JSON.stringify({ name: "", kind: "team" }),
        headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json", "accept-language": "en-GB,en;q=0.9" } });
      assert.equal(english.json().invalidParams[0].reason, "Fill in this field.");
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

    test("people: create, read, update, list, and the CSV import with preview", async () => {
      const bad = await call("POST", `/api/v1/organisations/${orgA}/people`, adminToken, { employeeNumber: "", givenName: "Els", familyName: "Bakker", employmentType: "boss", startDate: "2024-02-30" });
      assert.equal(bad.statusCode, 422);
      assert.deepEqual(bad.json().invalidParams.map((p: { name: string }) => p.name).sort(), ["employeeNumber", "employmentType", "startDate"]);
      const created = await call("POST", `/api/v1/organisations/${orgA}/people`, hrToken, { employeeNumber: "1001", givenName: "Els", familyName: "Bakker", employmentType: "employee", email: "els@a.example" });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().id;
      const updated = await call("PUT", `/api/v1/organisations/${orgA}/people/${id}`, hrToken, { employeeNumber: "1001", givenName: "Els", familyName: "de Bakker", employmentType: "hired" });
      assert.equal(updated.statusCode, 200, updated.body);
      assert.equal(updated.json().familyName, "de Bakker");
      assert.equal(updated.json().email, null, "PUT replaces the record");
      assert.equal((await call("GET", `/api/v1/organisations/${orgA}/people/${id}`, adminToken)).json().employmentType, "hired");
      assert.equal((await call("GET", `/api/v1/organisations/${orgB}/people/${id}`, adminToken)).statusCode, 404);

      const csv = "personeelsnummer;voornaam;achternaam;dienstverband\n2001;Jan;Smit;medewerker\n2002;Piet;Jansen;baas\n";
      const preview = await call("POST", `/api/v1/organisations/${orgA}/people/imports`, hrToken, { csv, mode: "preview" });
      assert.equal(preview.statusCode, 200, preview.body);
      assert.deepEqual(preview.json().summary, { create: 1, update: 0, unchanged: 0, reject: 1 });
      const rejected = preview.json().rows.find((r: { line: number }) => r.line === 3);
      assert.equal(rejected.errors[0].field, "dienstverband");
      assert.match(rejected.errors[0].reason, /Onbekend dienstverband/);
      assert.equal((await call("GET", `/api/v1/organisations/${orgA}/people?q=Smit`, hrToken)).json().total, 0, "a preview writes nothing");
      assert.equal((await call("POST", `/api/v1/organisations/${orgA}/people/imports`, hrToken, { csv, mode: "all" })).statusCode, 409);
      const valid = await call("POST", `/api/v1/organisations/${orgA}/people/imports`, hrToken, { csv, mode: "valid" });
      assert.equal(valid.json().committed.created, 1);
      const list = (await call("GET", `/api/v1/organisations/${orgA}/people`, adminToken)).json();
      assert.deepEqual(list.items.map((p: { employeeNumber: string }) => p.employeeNumber).sort(), ["1001", "2001"]);

      const missing = await call("POST", `/api/v1/organisations/${orgA}/people/imports`, hrToken, { csv: "nummer;naam\n1;x\n", mode: "preview" });
      assert.equal(missing.statusCode, 422);
      assert.match(missing.json().invalidParams[0].reason, /Deze kolommen ontbreken: personeelsnummer, voornaam, achternaam/);
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
