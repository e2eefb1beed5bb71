import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as audit from "../../src/audit/service.ts";
import { verify } from "../../src/audit/service.ts";
import { inTransaction } from "../../src/context.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { testApp } from "../helpers/app.ts";
import { Client } from "../helpers/client.ts";
import { makeOrganisation, makeUnit, makeUnitTree, selectOptions, signedIn } from "../helpers/fixtures.ts";

const rows = (html: string) => (html.match(/<tr[ >]/g) ?? []).length - 1; // minus the header row

for (const { kind, skip } of DB_KINDS) {
  describe(`accounts and audit log pages (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    let org: { id: string; name: string }, other: { id: string; name: string };
    let admin: Awaited<ReturnType<typeof signedIn>>, otherAdmin: Awaited<ReturnType<typeof signedIn>>;
    let unit: { id: string; name: string };
    before(async () => {
      t = await testApp(kind);
      org = await makeOrganisation(t.ctx, "Gemeente Aardam");
      other = await makeOrganisation(t.ctx, "Gemeente Beekdorp");
      unit = await makeUnit(t.ctx, org.id, "Team Vergunningen");
      admin = await signedIn(t.ctx, "admin", org.id, "anna@aardam.example");
      otherAdmin = await signedIn(t.ctx, "admin", other.id, "bart@beekdorp.example");
    });
    after(async () => { await t?.close(); });

    test("an admin creates an account, sees the temporary password once, and the new account can sign in with it", async () => {
      const c = new Client(t.app, admin.sessionToken);
      const list = await c.get("/beheer/accounts");
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /<caption[^>]*>Accounts met een rol in Gemeente Aardam<\/caption>/);
      assert.match(list.body, /anna@aardam\.example/);
      assert.doesNotMatch(list.body, /bart@beekdorp\.example/);

      const bad = await c.post("/beheer/accounts", { displayName: "", email: "geen-adres", role: "" });
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /Er is een probleem/);
      assert.match(bad.body, /href="#field-email"/);
      assert.match(bad.body, /href="#field-role"/);
      assert.match(bad.body, /value="geen-adres"/);

      const created = await c.post("/beheer/accounts", { displayName: "Carla Claes", email: "carla@aardam.example", employeeNumber: "", role: "employee" });
      assert.equal(created.statusCode, 201);
      const password = /data-testid="temporary-password">([^<]+)</.exec(created.body)?.[1];
      assert.ok(password && password.length === 20, "the page shows a 20-character temporary password");
      assert.match(created.body, /Geef dit tijdelijke wachtwoord veilig door/);
      assert.match(created.body, /<h1[^>]*>Carla Claes<\/h1>/);
      const accountId = /action="\/beheer\/accounts\/([0-9a-f-]{36})\/rollen"/.exec(created.body)![1]!;

      // Once: not on the detail page, not in the list, not in the audit log.
      const detail = await c.get(`/beheer/accounts/${accountId}`);
      assert.equal(detail.statusCode, 200);
      assert.ok(!detail.body.includes(password));
      assert.ok(!(await c.get("/beheer/accounts")).body.includes(password));
      const events = await t.ctx.db.selectFrom("audit_events").select("details").execute();
      assert.ok(events.every((e) => !e.details.includes(password)));

      const dup = await c.post("/beheer/accounts", { displayName: "Carla 2", email: "Carla@Aardam.example", role: "employee" });
      assert.equal(dup.statusCode, 409);
      assert.match(dup.body, /Er bestaat al een account met dit e-mailadres/);

      const carla = new Client(t.app);
      const login = await carla.post("/inloggen", { email: "carla@aardam.example", password });
      assert.equal(login.statusCode, 303);
      assert.equal(login.headers.location, "/account/nieuw-wachtwoord", "a temporary password is replaced first");
      const own = await carla.post("/account/nieuw-wachtwoord", { password: "carla haar eigen wachtwoord" });
      assert.equal(own.headers.location, "/");
      const home = await carla.get("/");
      assert.equal(home.statusCode, 200);
      assert.match(home.body, /Welkom, Carla Claes/);
      assert.doesNotMatch(home.body, /href="\/beheer\/medewerkers\/import"/);

      // The admin grants the hr role through the form; Carla's next page shows the HR starting points.
      const granted = await c.post(`/beheer/accounts/${accountId}/rollen`, { role: "hr", unitId: "" });
      assert.equal(granted.statusCode, 303);
      assert.equal(granted.headers.location, `/beheer/accounts/${accountId}#rollen`);
      const withHr = await c.get(`/beheer/accounts/${accountId}`);
      assert.match(withHr.body, /De rol is toegekend/);
      assert.match(withHr.body, />HR<\/th>/);
      const hrHome = await carla.get("/");
      assert.match(hrHome.body, /Personeel/);
      assert.match(hrHome.body, /href="\/beheer\/medewerkers\/import"/);
      assert.match(hrHome.body, /href="\/beheer\/medewerkers"/);

      // A duplicate grant is refused on the form; a unit grant is labelled with its unit.
      const again = await c.post(`/beheer/accounts/${accountId}/rollen`, { role: "hr", unitId: "" });
      assert.equal(again.statusCode, 409);
      assert.match(again.body, /Dit account heeft deze rol hier al/);
      assert.equal((await c.post(`/beheer/accounts/${accountId}/rollen`, { role: "manager", unitId: unit.id })).statusCode, 303);
      const withUnit = await c.get(`/beheer/accounts/${accountId}`);
      assert.match(withUnit.body, /Team Vergunningen \(Gemeente Aardam\)/);

      // Revoke the hr role through its form: Carla loses the HR links.
      const hrGrant = await t.ctx.db.selectFrom("role_assignments").select("id").where("account_id", "=", accountId).where("role", "=", "hr").executeTakeFirstOrThrow();
      const revoked = await c.post(`/beheer/accounts/${accountId}/rollen/${hrGrant.id}/intrekken`, {});
      assert.equal(revoked.statusCode, 303);
      assert.doesNotMatch((await carla.get("/")).body, /href="\/beheer\/medewerkers\/import"/);

      // Blocking signs Carla out at once.
      const blocked = await c.post(`/beheer/accounts/${accountId}/blokkeren`, {});
      assert.equal(blocked.statusCode, 303);
      assert.match((await c.get(`/beheer/accounts/${accountId}`)).body, /Blokkering opheffen/);
      assert.equal((await carla.get("/")).statusCode, 401);
      assert.equal((await c.post(`/beheer/accounts/${accountId}/blokkeren`, {})).statusCode, 303);
      assert.ok((await verify(t.ctx)).ok);
    });

    test("accounts of another organisation answer 404; self-protection answers 409; other roles get 403", async () => {
      const c = new Client(t.app, admin.sessionToken);
      assert.equal((await c.get(`/beheer/accounts/${otherAdmin.id}`)).statusCode, 404);
      assert.equal((await c.get("/beheer/accounts/00000000-0000-0000-0000-000000000000")).statusCode, 404);
      await c.get("/beheer/accounts");
      assert.equal((await c.post(`/beheer/accounts/${otherAdmin.id}/rollen`, { role: "hr", unitId: "" })).statusCode, 404);
      assert.equal((await c.post(`/beheer/accounts/${otherAdmin.id}/blokkeren`, {})).statusCode, 404);
      const otherGrant = await t.ctx.db.selectFrom("role_assignments").select("id").where("account_id", "=", otherAdmin.id).executeTakeFirstOrThrow();
      assert.equal((await c.post(`/beheer/accounts/${otherAdmin.id}/rollen/${otherGrant.id}/intrekken`, {})).statusCode, 404);

      // A unit of another organisation cannot be used as a scope.
      const otherUnit = await makeUnit(t.ctx, other.id, "Team Belastingen");
      const created = await c.post("/beheer/accounts", { displayName: "Dirk", email: "dirk@aardam.example", role: "employee" });
      const dirkId = /action="\/beheer\/accounts\/([0-9a-f-]{36})\/rollen"/.exec(created.body)![1]!;
      assert.equal((await c.post(`/beheer/accounts/${dirkId}/rollen`, { role: "hr", unitId: otherUnit.id })).statusCode, 404);

      const self = await c.get(`/beheer/accounts/${admin.id}`);
      assert.equal(self.statusCode, 200);
      assert.doesNotMatch(self.body, /Account blokkeren/);
      assert.equal((await c.post(`/beheer/accounts/${admin.id}/blokkeren`, {})).statusCode, 409);
      const ownGrant = await t.ctx.db.selectFrom("role_assignments").select("id").where("account_id", "=", admin.id).executeTakeFirstOrThrow();
      const last = await c.post(`/beheer/accounts/${admin.id}/rollen/${ownGrant.id}/intrekken`, {});
      assert.equal(last.statusCode, 409);
      assert.match(last.body, /eigen laatste beheerdersrol/);

      const hr = await signedIn(t.ctx, "hr", org.id);
      const h = new Client(t.app, hr.sessionToken);
      assert.equal((await h.get("/beheer/accounts")).statusCode, 403);
      assert.equal((await h.get(`/beheer/accounts/${admin.id}`)).statusCode, 403);
      assert.equal((await h.get("/beheer/logboek")).statusCode, 403);
      await h.get("/");
      assert.equal((await h.post("/beheer/accounts", { displayName: "X", email: "x@aardam.example", role: "admin" })).statusCode, 403);
      assert.equal(await t.ctx.db.selectFrom("accounts").select("id").where("email", "=", "x@aardam.example").executeTakeFirst(), undefined);
      assert.equal((await new Client(t.app).get("/beheer/logboek")).statusCode, 401);
    });

    test("the scope chooser on an account lists the units as a tree, siblings by name, indented", async () => {
      const tree = await makeOrganisation(t.ctx, "Gemeente Takken");
      const { expectedOptions } = await makeUnitTree(t.ctx, tree.id);
      const treeAdmin = await signedIn(t.ctx, "admin", tree.id);
      const page = await new Client(t.app, treeAdmin.sessionToken).get(`/beheer/accounts/${treeAdmin.id}`);
      assert.equal(page.statusCode, 200);
      assert.deepEqual(selectOptions(page.body, "unitId"), expectedOptions);
    });

    test("the audit log shows the organisation's events to an admin and an auditor, and nothing of another organisation", async () => {
      // Something happens in the other organisation, with its own action name.
      await inTransaction(t.ctx, (trx) => audit.record(t.ctx, trx, {
        actor: { type: "account", id: otherAdmin.id }, action: "secret.otherOrganisation", objectType: "account", objectId: otherAdmin.id, organisationId: other.id,
      }));
      const b = new Client(t.app, otherAdmin.sessionToken);
      await b.get("/beheer/accounts");
      const made = await b.post("/beheer/accounts", { displayName: "Eva Beekdorp", email: "eva@beekdorp.example", role: "employee" });
      assert.equal(made.statusCode, 201);
      await inTransaction(t.ctx, async (trx) => {
        for (let i = 0; i < 55; i++) await audit.record(t.ctx, trx, { actor: { type: "system", id: "import" }, action: "test.bulk", objectType: "person", objectId: `p${i}`, organisationId: org.id, details: { n: i } });
      });

      const auditor = await signedIn(t.ctx, "auditor", org.id, "olga@aardam.example");
      for (const who of [admin, auditor]) {
        const c = new Client(t.app, who.sessionToken);
        const page = await c.get("/beheer/logboek");
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /<caption[^>]*>Gebeurtenissen in het logboek<\/caption>/);
        assert.equal(rows(page.body), 50, "50 a page");
        assert.match(page.body, /href="\/beheer\/logboek\?pagina=2"/);
        assert.doesNotMatch(page.body, /secret\.otherOrganisation/);
        assert.doesNotMatch(page.body, /Eva Beekdorp|bart@beekdorp|>bart</);

        const creates = await c.get("/beheer/logboek?action=account.create");
        assert.equal(creates.statusCode, 200);
        assert.match(creates.body, /<td[^>]*>Account aangemaakt<\/td>/, "the action in words, not its code");
        assert.match(creates.body, />anna</, "who: the admin's display name");
        assert.doesNotMatch(creates.body, /<code>test\.bulk<\/code>/);
        const dbCreates = await t.ctx.db.selectFrom("audit_events").select("object_id").where("action", "=", "account.create").where("organisation_id", "=", org.id).execute();
        assert.equal(rows(creates.body), dbCreates.length);
        for (const e of dbCreates) assert.ok(creates.body.includes(e.object_id!.slice(0, 8)));
        const otherCreates = await t.ctx.db.selectFrom("audit_events").select("object_id").where("action", "=", "account.create").where("organisation_id", "=", other.id).execute();
        assert.equal(otherCreates.length, 1);
        assert.ok(!creates.body.includes(otherCreates[0]!.object_id!));

        // The action filter offers only this organisation's actions.
        assert.match(page.body, /<option value="roleAssignment\.create"/);
        assert.doesNotMatch(page.body, /<option value="secret\.otherOrganisation"/);

        const bulk2 = await c.get("/beheer/logboek?action=test.bulk&pagina=2");
        assert.equal(rows(bulk2.body), 5);
        assert.match(bulk2.body, /55 gebeurtenissen/);
        assert.match(bulk2.body, /Systeem \(import\)/);
        assert.match(bulk2.body, /Pagina 2 van 2/);
        assert.match(bulk2.body, /href="\/beheer\/logboek\?action=test\.bulk&amp;pagina=1"/);
        assert.match(bulk2.body, /<dt[^>]*>n<\/dt><dd[^>]*>4<\/dd>/, "details as a key/value list; an unknown key stays as it is");

        // Dates: today (inclusive "to") finds them, tomorrow onwards finds nothing, nonsense is refused.
        const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(new Date());
        const tomorrow = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(new Date(Date.now() + 86_400_000));
        assert.match((await c.get(`/beheer/logboek?action=test.bulk&from=${today}&to=${today}`)).body, /55 gebeurtenissen/);
        const none = await c.get(`/beheer/logboek?from=${tomorrow}`);
        assert.match(none.body, /Geen gebeurtenissen gevonden/);
        const badDate = await c.get("/beheer/logboek?from=31-12-2024");
        assert.equal(badDate.statusCode, 422);
        assert.match(badDate.body, /href="#field-from"/);
        assert.equal((await c.get(`/beheer/logboek?from=${tomorrow}&to=${today}`)).statusCode, 422);
      }

      // The other organisation's admin sees their own events and none of ours.
      const theirs = await b.get("/beheer/logboek");
      assert.match(theirs.body, /secret\.otherOrganisation/);
      assert.doesNotMatch(theirs.body, /test\.bulk|Carla|>anna</);
    });
  });
}
