import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as audit from "../../src/audit/service.ts";
import { inTransaction } from "../../src/context.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { testApp } from "../helpers/app.ts";
import { Client } from "../helpers/client.ts";
import { makeOrganisation, signedIn } from "../helpers/fixtures.ts";

const cell = (text: string) => new RegExp(`<td[^>]*>${text}</td>`);
const pair = (key: string, value: string) => new RegExp(`<dt[^>]*>${key}</dt><dd[^>]*>${value}</dd>`);

for (const { kind, skip } of DB_KINDS) {
  describe(`audit log page in words (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    let org: { id: string; name: string };
    let admin: Awaited<ReturnType<typeof signedIn>>;
    let accountId: string;
    before(async () => {
      t = await testApp(kind);
      org = await makeOrganisation(t.ctx, "Gemeente Aardam");
      admin = await signedIn(t.ctx, "admin", org.id, "anna@aardam.example");
      const c = new Client(t.app, admin.sessionToken);
      await c.get("/beheer/accounts");
      const created = await c.post("/beheer/accounts", { displayName: "Carla Claes", email: "carla@aardam.example", employeeNumber: "", role: "employee" });
      assert.equal(created.statusCode, 201);
      accountId = /action="\/beheer\/accounts\/([0-9a-f-]{36})\/rollen"/.exec(created.body)![1]!;
      await inTransaction(t.ctx, async (trx) => {
        await audit.record(t.ctx, trx, { actor: { type: "system", id: "import" }, action: "person.create", objectType: "person", objectId: "0b6f3c1e-3a55-4f63-9d1e-5b2b8a7c9d10",
          organisationId: org.id, details: { fields: ["given_name", "family_name"] } });
        // An action from a later version: shown as its code, never a crash.
        await audit.record(t.ctx, trx, { actor: { type: "system", id: "future" }, action: "future.thing", objectType: "spaceship", objectId: null,
          organisationId: org.id, details: { n: 4, sessionsEnded: 2, nested: { a: 1 } } });
      });
    });
    after(async () => { await t?.close(); });

    test("a Dutch reader sees actions, object types and details in words, not codes or JSON", async () => {
      const c = new Client(t.app, admin.sessionToken);
      const page = await c.get("/beheer/logboek");
      assert.equal(page.statusCode, 200);
      // Still an accessible table.
      assert.match(page.body, /<caption[^>]*>Gebeurtenissen in het logboek<\/caption>/);
      assert.equal((page.body.match(/<th scope="col"/g) ?? []).length, 5);

      assert.match(page.body, cell("Rol toegekend"));
      assert.match(page.body, cell("Account aangemaakt"));
      assert.match(page.body, cell("Medewerker toegevoegd"));
      assert.doesNotMatch(page.body, />roleAssignment\.create</);
      assert.doesNotMatch(page.body, />account\.create</);
      assert.doesNotMatch(page.body, />person\.create</);
      // The object type in words, with the short id.
      assert.match(page.body, new RegExp(`<td[^>]*>Account<!-- --> <code title="${accountId}">${accountId.slice(0, 8)}</code></td>`));
      assert.match(page.body, /<td[^>]*>Medewerker<!-- --> <code title="0b6f3c1e-/);
      assert.doesNotMatch(page.body, /<td[^>]*>person</);

      // The filter offers the actions in words; the value stays the code.
      assert.match(page.body, /<option value="roleAssignment\.create"[^>]*>Rol toegekend<\/option>/);
      assert.match(page.body, /<option value="account\.create"[^>]*>Account aangemaakt<\/option>/);
      assert.match(page.body, /<option value="future\.thing"[^>]*>future\.thing<\/option>/);

      // Details: a key/value list with translated keys and readable values; no raw JSON.
      assert.match(page.body, pair("Rol", "Medewerker"));
      assert.match(page.body, pair("Geldt voor", "Hele organisatie"));
      assert.match(page.body, pair("Gekoppeld aan medewerker", "Nee"));
      assert.match(page.body, pair("Ingevulde velden", "given_name, family_name"));
      assert.doesNotMatch(page.body, /&quot;role&quot;|&quot;fields&quot;|&quot;grantId&quot;/);
      assert.doesNotMatch(page.body, /intact-audit-details/, "no event falls back to raw text");

      // An unknown action, object type and detail key fall back to their codes.
      assert.match(page.body, cell("<code>future\\.thing</code>"));
      assert.match(page.body, cell("spaceship"));
      assert.match(page.body, pair("n", "4"));
      assert.match(page.body, pair("Beëindigde sessies", "2"));
      assert.match(page.body, pair("nested", "\\{&quot;a&quot;:1\\}"));

      // The filter by the code still works and shows the words.
      const roles = await c.get("/beheer/logboek?action=roleAssignment.create");
      assert.equal(roles.statusCode, 200);
      assert.match(roles.body, cell("Rol toegekend"));
      assert.doesNotMatch(roles.body, cell("Account aangemaakt"));
    });

    test("an English reader sees the English words", async () => {
      await t.ctx.db.updateTable("accounts").set({ locale: "en" }).where("id", "=", admin.id).execute();
      const page = await new Client(t.app, admin.sessionToken).get("/beheer/logboek");
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<caption[^>]*>Events in the audit log<\/caption>/);
      assert.match(page.body, cell("Role granted"));
      assert.match(page.body, cell("Staff member added"));
      assert.match(page.body, /<option value="roleAssignment\.create"[^>]*>Role granted<\/option>/);
      assert.match(page.body, pair("Role", "Employee"));
      assert.match(page.body, pair("Applies to", "Whole organisation"));
      assert.match(page.body, pair("Linked to staff member", "No"));
      assert.doesNotMatch(page.body, />roleAssignment\.create</);
    });
  });
}
