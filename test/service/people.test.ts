import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import zlib from "node:zlib";
import type { Actor } from "../../src/access/actor.ts";
import { verify } from "../../src/audit/service.ts";
import * as authRepo from "../../src/auth/repository.ts";
import { loadActor } from "../../src/auth/service.ts";
import type { Context } from "../../src/context.ts";
import { Conflict, Forbidden, Invalid, NotFound } from "../../src/http/errors.ts";
import * as orgRepo from "../../src/organisations/repository.ts";
import * as people from "../../src/people/service.ts";
import { migrateTo, migrateToLatest } from "../../src/db/migrate.ts";
import { searchKey } from "../../src/people/search-key.ts";
import { DB_KINDS, freshDatabase, type TestDb } from "../helpers/db.ts";
import { grant, makeAccount, makeOrganisation, makeUnit } from "../helpers/fixtures.ts";

async function actorFor(ctx: Context, accountId: string, organisationId: string): Promise<Actor> {
  return loadActor(ctx.db, (await authRepo.findAccount(ctx.db, accountId))!, organisationId, "session");
}
async function asRole(ctx: Context, role: "hr" | "coordinator" | "admin", organisationId: string) {
  const a = await makeAccount(ctx, `${role}-${Math.random().toString(36).slice(2, 8)}@example.test`);
  await grant(ctx, a.id, role, "organisation", organisationId, organisationId);
  return actorFor(ctx, a.id, organisationId);
}
const count = async (ctx: Context, table: "people" | "positions" | "audit_events" | "import_commits") =>
  Number((await ctx.db.selectFrom(table).select((e) => e.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
const events = (ctx: Context, action: string) => ctx.db.selectFrom("audit_events").selectAll().where("action", "=", action).orderBy("seq").execute();
const numbers = async (ctx: Context, organisationId: string) =>
  (await ctx.db.selectFrom("people").select("employee_number").where("organisation_id", "=", organisationId).orderBy("employee_number").execute()).map((r) => r.employee_number);

const HEADER = "personeelsnummer;voornaam;achternaam;email;eenheid;functie;leidinggevende;dienstverband;datum_in_dienst;datum_uit_dienst";

for (const { kind, skip } of DB_KINDS) {
  describe(`people service and CSV import (${kind})`, { skip }, () => {
    let t: TestDb;
    before(async () => { t = await freshDatabase(kind); });
    after(async () => { await t?.drop(); });

    test("a preview writes nothing; commit 'all' is refused while a row is rejected; 'valid' imports only the valid rows", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Voorbeeld");
      await makeUnit(t.ctx, org.id, "Burgerzaken");
      const hr = await asRole(t.ctx, "hr", org.id);
      const csv = [HEADER,
        "200;Sanne;Bakker;sanne@voorbeeld.nl;Burgerzaken;Teamleider;;medewerker;01-02-2020;",
        "201;Ali;Yilmaz;;burgerzaken;Baliemedewerker;200;inhuur;2021-05-01;",
        "202;Kees;Smit;;Bestaat Niet;;;;;",
        "203;Fleur;de Wit;;;;202;stagiair;;",
        "204;Piet;Post;;;;;zzp;;"].join("\n");
      const before = { people: await count(t.ctx, "people"), positions: await count(t.ctx, "positions"), audit: await count(t.ctx, "audit_events") };
      const preview = await people.importPeople(t.ctx, hr, org.id, csv, "preview");
      assert.deepEqual({ people: await count(t.ctx, "people"), positions: await count(t.ctx, "positions"), audit: await count(t.ctx, "audit_events") }, before);
      assert.deepEqual(preview.summary, { create: 2, update: 0, unchanged: 0, reject: 3 });
      assert.deepEqual(preview.rows.map((r) => [r.line, r.action]), [[2, "create"], [3, "create"], [4, "reject"], [5, "reject"], [6, "reject"]]);
      assert.deepEqual(preview.rows[2]!.errors, [{ field: "eenheid", key: "people.unitUnknown" }]);
      assert.deepEqual(preview.rows[3]!.errors, [{ field: "leidinggevende", key: "import.managerRejected" }]);
      assert.deepEqual(preview.rows[4]!.errors, [{ field: "dienstverband", key: "import.unknownEmployment" }]);
      assert.equal(preview.rows[0]!.newPosition, "Teamleider");
      assert.deepEqual(preview.newPositions, ["Teamleider", "Baliemedewerker"]);
      assert.ok(preview.signed?.payload && preview.signed.signature);

      await assert.rejects(people.importPeople(t.ctx, hr, org.id, csv, "all"), (e) => e instanceof Conflict && e.messageKey === "import.hasErrors");
      await assert.rejects(people.commitPreview(t.ctx, hr, org.id, preview.signed!, "all"), (e) => e instanceof Conflict && e.messageKey === "import.hasErrors");
      assert.equal(await count(t.ctx, "people"), 0);

      const done = await people.commitPreview(t.ctx, hr, org.id, preview.signed!, "valid");
      assert.deepEqual(done.committed, { created: 2, updated: 0, unchanged: 0, skipped: 3, positionsCreated: 2 });
      assert.deepEqual(await numbers(t.ctx, org.id), ["200", "201"]);
      const ali = await t.ctx.db.selectFrom("people").selectAll().where("employee_number", "=", "201").executeTakeFirstOrThrow();
      const sanne = await t.ctx.db.selectFrom("people").selectAll().where("employee_number", "=", "200").executeTakeFirstOrThrow();
      assert.equal(ali.manager_id, sanne.id);
      assert.equal(ali.employment_type, "hired");
      assert.equal(sanne.start_date, "2020-02-01");
      assert.equal(sanne.email, "sanne@voorbeeld.nl");
      assert.ok(ali.unit_id && ali.unit_id === sanne.unit_id);
      const [ev] = await events(t.ctx, "person.import");
      assert.deepEqual(JSON.parse(ev!.details), { created: 2, updated: 0, unchanged: 0, skipped: 3, positionsCreated: 2 });
      assert.doesNotMatch(ev!.details, /Sanne|Bakker|voorbeeld\.nl/);
      assert.equal((await verify(t.ctx)).ok, true);
    });

    test("an existing employee number is an update with the changed fields listed; same data is unchanged", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Update");
      const unit = await makeUnit(t.ctx, org.id, "Financiën");
      await makeUnit(t.ctx, org.id, "ICT");
      const hr = await asRole(t.ctx, "hr", org.id);
      const { id } = await people.createPerson(t.ctx, hr, org.id, { employeeNumber: "300", givenName: "Jan", familyName: "Jansen", unitId: unit.id, employmentType: "employee", startDate: "2019-01-01" });
      await people.createPerson(t.ctx, hr, org.id, { employeeNumber: "301", givenName: "Els", familyName: "Dekker", employmentType: "employee" });
      // Absent columns (email, functie, …) are left alone.
      const csv = "personeelsnummer,voornaam,achternaam,eenheid,datum_in_dienst\n300,Jan,Jansen-Kok,ICT,01-01-2019\n301,Els,Dekker,,\n302,Nieuw,Mens,,\n";
      const preview = await people.importPeople(t.ctx, hr, org.id, csv, "preview");
      assert.deepEqual(preview.rows.map((r) => [r.employeeNumber, r.action, r.changes]), [
        ["300", "update", ["achternaam", "eenheid"]], ["301", "unchanged", []], ["302", "create", []]]);
      const done = await people.commitPreview(t.ctx, hr, org.id, preview.signed!, "all");
      assert.deepEqual(done.committed, { created: 1, updated: 1, unchanged: 1, skipped: 0, positionsCreated: 0 });
      const { person } = await people.getPerson(t.ctx, hr, org.id, id);
      assert.equal(person.familyName, "Jansen-Kok");
      assert.equal(person.unit?.name, "ICT");
      assert.equal(person.startDate, "2019-01-01");
      // The direct API path does the same in one call, and a second run changes nothing.
      const again = await people.importPeople(t.ctx, hr, org.id, csv, "valid");
      assert.deepEqual(again.committed, { created: 0, updated: 0, unchanged: 3, skipped: 0, positionsCreated: 0 });
    });

    test("a tampered or foreign signature is refused, and a row that went bad since the preview rolls back everything", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Sleutel");
      const unit = await makeUnit(t.ctx, org.id, "Tijdelijk");
      const hr = await asRole(t.ctx, "hr", org.id);
      const other = await asRole(t.ctx, "hr", org.id);
      const csv = `${HEADER}\n400;Eva;Ek;;;;;;;\n401;Bas;Bos;;Tijdelijk;;400;;;`;
      const preview = await people.importPeople(t.ctx, hr, org.id, csv, "preview");
      const expired = (e: unknown) => e instanceof Conflict && e.messageKey === "import.expired";
      const json = zlib.inflateRawSync(Buffer.from(preview.signed!.payload, "base64url")).toString("utf8");
      const forged = zlib.deflateRawSync(json.replace("Eva", "Evil")).toString("base64url");
      await assert.rejects(people.commitPreview(t.ctx, hr, org.id, { payload: forged, signature: preview.signed!.signature }, "all"), expired);
      await assert.rejects(people.commitPreview(t.ctx, hr, org.id, { payload: preview.signed!.payload, signature: "0".repeat(64) }, "all"), expired);
      await assert.rejects(people.commitPreview(t.ctx, hr, org.id, { payload: "not base64 deflate", signature: preview.signed!.signature }, "all"), expired);
      await assert.rejects(people.commitPreview(t.ctx, other, org.id, preview.signed!, "all"), expired);
      assert.deepEqual(await numbers(t.ctx, org.id), []);

      await orgRepo.deleteUnit(t.ctx.db, org.id, unit.id);
      const auditBefore = await count(t.ctx, "audit_events");
      await assert.rejects(people.commitPreview(t.ctx, hr, org.id, preview.signed!, "all"), expired);
      assert.deepEqual(await numbers(t.ctx, org.id), []);
      assert.equal(await count(t.ctx, "audit_events"), auditBefore);
    });

    test("a manager with a unit grant sees only the people in that subtree", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Boom");
      const dept = await makeUnit(t.ctx, org.id, "Ruimte");
      const team = await makeUnit(t.ctx, org.id, "Team Vergunningen", dept);
      const otherDept = await makeUnit(t.ctx, org.id, "Sociaal Domein");
      const hr = await asRole(t.ctx, "hr", org.id);
      const ids: Record<string, string> = {};
      for (const [n, name, unitId] of [["500", "Ruud Ruimte", dept.id], ["501", "Tessa Team", team.id], ["502", "Sofie Sociaal", otherDept.id], ["503", "Nora Nergens", undefined]] as const) {
        const [given, family] = name.split(" ");
        ids[n] = (await people.createPerson(t.ctx, hr, org.id, { employeeNumber: n, givenName: given, familyName: family, unitId, employmentType: "employee" })).id;
      }
      const acc = await makeAccount(t.ctx, "manager-ruimte@example.test");
      await grant(t.ctx, acc.id, "manager", "unit", dept.id, org.id);
      const manager = await actorFor(t.ctx, acc.id, org.id);
      const list = await people.listPeople(t.ctx, manager, org.id);
      assert.deepEqual(list.items.map((p) => p.employeeNumber).sort(), ["500", "501"]);
      assert.equal(list.total, 2);
      assert.equal(list.can.manage, false);
      assert.deepEqual((await people.listPeople(t.ctx, manager, org.id, { q: "tessa" })).items.map((p) => p.employeeNumber), ["501"]);
      assert.deepEqual((await people.listPeople(t.ctx, manager, org.id, { unitId: team.id })).items.map((p) => p.employeeNumber), ["501"]);
      assert.deepEqual((await people.listPeople(t.ctx, manager, org.id, { unitId: otherDept.id })).items, []);
      assert.deepEqual((await people.visibleUnits(t.ctx, manager, org.id)).map((u) => u.name), ["Ruimte", "Team Vergunningen"]);
      assert.equal((await people.getPerson(t.ctx, manager, org.id, ids["501"]!)).person.name, "Tessa Team");
      await assert.rejects(people.getPerson(t.ctx, manager, org.id, ids["502"]!), NotFound);
      await assert.rejects(people.getPerson(t.ctx, manager, org.id, ids["503"]!), NotFound);
      await assert.rejects(people.updatePerson(t.ctx, manager, org.id, ids["501"]!, { employeeNumber: "501", givenName: "X", familyName: "Y", employmentType: "employee" }), Forbidden);
      await assert.rejects(people.importPeople(t.ctx, manager, org.id, "personeelsnummer;voornaam;achternaam\n1;a;b", "preview"), Forbidden);

      const all = await people.listPeople(t.ctx, hr, org.id, { unitId: dept.id });
      assert.deepEqual(all.items.map((p) => p.employeeNumber).sort(), ["500", "501"]);
      assert.equal((await people.listPeople(t.ctx, hr, org.id)).total, 4);
      assert.deepEqual((await people.listPeople(t.ctx, hr, org.id, { q: "50_" })).items, []);
      assert.equal((await people.listPeople(t.ctx, hr, org.id, { q: "NORA nergens" })).items[0]?.employeeNumber, "503");
    });

    test("the list pages by 50", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Groot");
      const hr = await asRole(t.ctx, "hr", org.id);
      const csv = "personeelsnummer;voornaam;achternaam\n" + Array.from({ length: 120 }, (_, i) => `${1000 + i};Voor${i};Achter${String(i).padStart(3, "0")}`).join("\n");
      await people.importPeople(t.ctx, hr, org.id, csv, "all");
      const p1 = await people.listPeople(t.ctx, hr, org.id);
      const p3 = await people.listPeople(t.ctx, hr, org.id, { page: 3 });
      assert.deepEqual([p1.items.length, p1.pages, p1.total], [50, 3, 120]);
      assert.equal(p1.items[0]!.familyName, "Achter000");
      assert.deepEqual([p3.items.length, p3.page, p3.items[0]!.familyName], [20, 3, "Achter100"]);
      assert.equal((await people.listPeople(t.ctx, hr, org.id, { page: 99 })).page, 3);
    });

    test("create and update check manager, dates and number, and audit only field names", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Formulier");
      const hr = await asRole(t.ctx, "hr", org.id);
      const boss = await people.createPerson(t.ctx, hr, org.id, { employeeNumber: "600", givenName: "Baas", familyName: "Boven", employmentType: "employee" });
      const invalid = (fields: Record<string, string>) => (e: unknown) => e instanceof Invalid && assert.deepEqual(e.fields, fields) === undefined;
      await assert.rejects(people.createPerson(t.ctx, hr, org.id, { employeeNumber: "601", givenName: "A", familyName: "B", employmentType: "employee", managerNumber: "999" }), invalid({ managerNumber: "people.managerUnknown" }));
      await assert.rejects(people.createPerson(t.ctx, hr, org.id, { employeeNumber: "601", givenName: "A", familyName: "B", employmentType: "employee", managerNumber: "601" }), invalid({ managerNumber: "people.managerSelf" }));
      await assert.rejects(people.createPerson(t.ctx, hr, org.id, { employeeNumber: "601", givenName: "A", familyName: "B", employmentType: "employee", startDate: "2024-05-01", endDate: "2024-04-30" }), invalid({ endDate: "people.endBeforeStart" }));
      await assert.rejects(people.createPerson(t.ctx, hr, org.id, { employeeNumber: "600", givenName: "A", familyName: "B", employmentType: "employee" }), invalid({ employeeNumber: "people.numberTaken" }));
      await assert.rejects(people.createPerson(t.ctx, hr, org.id, { employeeNumber: "601", givenName: "", familyName: "B", employmentType: "boss", startDate: "2024-02-30" }), invalid({ givenName: "field.required", employmentType: "field.choose", startDate: "field.date" }));
      const { id } = await people.createPerson(t.ctx, hr, org.id, { employeeNumber: "601", givenName: "Anna", familyName: "Geheim", email: "anna@geheim.nl", employmentType: "employee", managerNumber: "600" });
      const { person } = await people.getPerson(t.ctx, hr, org.id, id);
      assert.deepEqual(person.manager, { id: boss.id, employeeNumber: "600", name: "Baas Boven" });
      await assert.rejects(people.updatePerson(t.ctx, hr, org.id, boss.id, { employeeNumber: "600", givenName: "Baas", familyName: "Boven", employmentType: "employee", managerNumber: "600" }), invalid({ managerNumber: "people.managerSelf" }));
      const upd = await people.updatePerson(t.ctx, hr, org.id, id, { employeeNumber: "601", givenName: "Anna", familyName: "Openbaar", email: "anna@geheim.nl", employmentType: "intern", managerNumber: "600" });
      assert.deepEqual(upd.changed.sort(), ["employment_type", "family_name"]);
      const [created] = (await events(t.ctx, "person.create")).filter((e) => e.object_id === id);
      const [updated] = (await events(t.ctx, "person.update")).filter((e) => e.object_id === id);
      assert.deepEqual(JSON.parse(updated!.details), { changed: ["family_name", "employment_type"] });
      for (const ev of [created!, updated!]) assert.doesNotMatch(ev.details, /Anna|Geheim|Openbaar|geheim\.nl/);
    });

    test("a signed preview is committed once: posting it again (a reload) is refused and writes nothing, also over later edits", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Eenmaal");
      const hr = await asRole(t.ctx, "hr", org.id);
      const { id } = await people.createPerson(t.ctx, hr, org.id, { employeeNumber: "800", givenName: "Olga", familyName: "Oud", employmentType: "employee" });
      const preview = await people.importPeople(t.ctx, hr, org.id, "personeelsnummer;voornaam;achternaam\n800;Olga;Nieuw\n801;Piet;Plas", "preview");
      assert.deepEqual(preview.summary, { create: 1, update: 1, unchanged: 0, reject: 0 });
      const done = await people.commitPreview(t.ctx, hr, org.id, preview.signed!, "all");
      assert.deepEqual(done.committed, { created: 1, updated: 1, unchanged: 0, skipped: 0, positionsCreated: 0 });
      assert.deepEqual((await t.ctx.db.selectFrom("import_commits").selectAll().where("organisation_id", "=", org.id).execute()).map((r) => r.account_id), [hr.accountId]);
      // Later, someone corrects the name by hand; a replay of the old preview must not undo that.
      await people.updatePerson(t.ctx, hr, org.id, id, { employeeNumber: "800", givenName: "Olga", familyName: "Handmatig", employmentType: "employee" });
      const before = { people: await count(t.ctx, "people"), audit: await count(t.ctx, "audit_events"), commits: await count(t.ctx, "import_commits") };
      const alreadyDone = (e: unknown) => e instanceof Conflict && e.messageKey === "import.alreadyDone";
      await assert.rejects(people.commitPreview(t.ctx, hr, org.id, preview.signed!, "all"), alreadyDone);
      await assert.rejects(people.commitPreview(t.ctx, hr, org.id, preview.signed!, "valid"), alreadyDone);
      assert.deepEqual({ people: await count(t.ctx, "people"), audit: await count(t.ctx, "audit_events"), commits: await count(t.ctx, "import_commits") }, before);
      assert.equal((await people.getPerson(t.ctx, hr, org.id, id)).person.familyName, "Handmatig");
      assert.equal((await events(t.ctx, "person.import")).filter((e) => e.organisation_id === org.id).length, 1);
      // Two commits of one preview at the same time: one wins, the other is refused.
      const twice = await people.importPeople(t.ctx, hr, org.id, "personeelsnummer;voornaam;achternaam\n802;Rik;Rap", "preview");
      const results = await Promise.allSettled([0, 1].map(() => people.commitPreview(t.ctx, hr, org.id, twice.signed!, "all")));
      assert.deepEqual(results.map((r) => r.status).sort(), ["fulfilled", "rejected"]);
      assert.ok(alreadyDone((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason));
      assert.deepEqual(await numbers(t.ctx, org.id), ["800", "801", "802"]);
    });

    test("a person changed or added since the preview refuses the commit and rolls back everything", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Intussen");
      const hr = await asRole(t.ctx, "hr", org.id);
      const { id } = await people.createPerson(t.ctx, hr, org.id, { employeeNumber: "850", givenName: "Vera", familyName: "Voor", employmentType: "employee" });
      await people.createPerson(t.ctx, hr, org.id, { employeeNumber: "851", givenName: "Wim", familyName: "Wel", employmentType: "employee" });
      const expired = (e: unknown) => e instanceof Conflict && e.messageKey === "import.expired";
      const snapshot = async () => ({ people: await count(t.ctx, "people"), audit: await count(t.ctx, "audit_events"), commits: await count(t.ctx, "import_commits"), positions: await count(t.ctx, "positions") });

      // An updated row: the person was edited after the preview.
      const update = await people.importPeople(t.ctx, hr, org.id, `${HEADER}\n850;Vera;Uit CSV;;;Nieuwe Functie;;;;\n852;Xander;Xi;;;;;;;`, "preview");
      assert.deepEqual(update.rows.map((r) => r.action), ["update", "create"]);
      await people.updatePerson(t.ctx, hr, org.id, id, { employeeNumber: "850", givenName: "Vera", familyName: "Voor", email: "vera@intussen.nl", employmentType: "employee" });
      let before = await snapshot();
      await assert.rejects(people.commitPreview(t.ctx, hr, org.id, update.signed!, "all"), expired);
      assert.deepEqual(await snapshot(), before);
      const vera = (await people.getPerson(t.ctx, hr, org.id, id)).person;
      assert.deepEqual([vera.familyName, vera.email, vera.position], ["Voor", "vera@intussen.nl", null]);
      assert.deepEqual(await numbers(t.ctx, org.id), ["850", "851"]);

      // An unchanged row whose person was edited since would otherwise turn into an update of the new data.
      const same = await people.importPeople(t.ctx, hr, org.id, "personeelsnummer;voornaam;achternaam\n851;Wim;Wel", "preview");
      assert.deepEqual(same.rows.map((r) => r.action), ["unchanged"]);
      const wim = (await people.listPeople(t.ctx, hr, org.id, { q: "wim" })).items[0]!;
      await people.updatePerson(t.ctx, hr, org.id, wim.id, { employeeNumber: "851", givenName: "Willem", familyName: "Wel", employmentType: "employee" });
      before = await snapshot();
      await assert.rejects(people.commitPreview(t.ctx, hr, org.id, same.signed!, "all"), expired);
      assert.deepEqual(await snapshot(), before);
      assert.equal((await people.getPerson(t.ctx, hr, org.id, wim.id)).person.givenName, "Willem");

      // A new row whose number was taken by someone added since.
      const create = await people.importPeople(t.ctx, hr, org.id, "personeelsnummer;voornaam;achternaam\n853;Yara;Yilmaz", "preview");
      await people.createPerson(t.ctx, hr, org.id, { employeeNumber: "853", givenName: "Ymke", familyName: "IJzer", employmentType: "employee" });
      before = await snapshot();
      await assert.rejects(people.commitPreview(t.ctx, hr, org.id, create.signed!, "all"), expired);
      assert.deepEqual(await snapshot(), before);

      // A fresh preview of the same file goes through.
      const again = await people.importPeople(t.ctx, hr, org.id, `${HEADER}\n850;Vera;Uit CSV;;;;;;;`, "preview");
      assert.deepEqual((await people.commitPreview(t.ctx, hr, org.id, again.signed!, "all")).committed?.updated, 1);
    });

    test("search ignores case and accents beyond ASCII, on the name and the number, after create, update and import", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Accent");
      const hr = await asRole(t.ctx, "hr", org.id);
      const { id } = await people.createPerson(t.ctx, hr, org.id, { employeeNumber: "X-900", givenName: "Çağla", familyName: "Özdemir", employmentType: "employee" });
      await people.createPerson(t.ctx, hr, org.id, { employeeNumber: "901", givenName: "Zoë", familyName: "Ødegård", employmentType: "employee" });
      await people.importPeople(t.ctx, hr, org.id, "personeelsnummer;voornaam;achternaam\n902;Ümit;ŞAHİN\n903;Anna;Åberg", "all");
      const find = async (q: string) => (await people.listPeople(t.ctx, hr, org.id, { q })).items.map((p) => p.employeeNumber);
      for (const q of ["özdemir", "ÖZDEMIR", "ozdemir", "Çağla Özdemir", "cagla ozd", "x-900"]) assert.deepEqual(await find(q), ["X-900"], q);
      for (const q of ["zoe", "ZOË", "Zoë"]) assert.deepEqual(await find(q), ["901"], q);
      for (const q of ["sahin", "Şahin", "ümit şahin", "902"]) assert.deepEqual(await find(q), ["902"], q);
      assert.deepEqual(await find("åberg"), ["903"]);
      assert.deepEqual(await find("aberg"), ["903"]);
      assert.deepEqual(await find("a_b"), []);
      // Renaming changes the key; the old name no longer matches.
      await people.updatePerson(t.ctx, hr, org.id, id, { employeeNumber: "X-900", givenName: "Çağla", familyName: "Yıldız", employmentType: "employee" });
      assert.deepEqual(await find("özdemir"), []);
      assert.deepEqual(await find("yıldız"), ["X-900"]);
      // An update through the import changes it too.
      await people.importPeople(t.ctx, hr, org.id, "personeelsnummer;voornaam;achternaam\n903;Anna;Ängström", "all");
      assert.deepEqual(await find("angstrom"), ["903"]);
      assert.deepEqual(await find("aberg"), []);
      const rows = await t.ctx.db.selectFrom("people").selectAll().where("organisation_id", "=", org.id).execute();
      for (const r of rows) assert.equal(r.search_key, searchKey(r));
    });

    test("another organisation's person does not exist for the actor", async () => {
      const a = await makeOrganisation(t.ctx, "Gemeente A");
      const b = await makeOrganisation(t.ctx, "Gemeente B");
      const hrA = await asRole(t.ctx, "hr", a.id);
      const hrB = await asRole(t.ctx, "hr", b.id);
      const { id } = await people.createPerson(t.ctx, hrB, b.id, { employeeNumber: "700", givenName: "Bea", familyName: "Bee", employmentType: "employee" });
      await assert.rejects(people.getPerson(t.ctx, hrA, a.id, id), NotFound);
      await assert.rejects(people.getPerson(t.ctx, hrA, b.id, id), NotFound);
      await assert.rejects(people.updatePerson(t.ctx, hrA, a.id, id, { employeeNumber: "700", givenName: "X", familyName: "Y", employmentType: "employee" }), NotFound);
      await assert.rejects(people.listPeople(t.ctx, hrA, b.id), NotFound);
      assert.deepEqual((await people.listPeople(t.ctx, hrA, a.id)).items, []);
      // The same employee number is free in another organisation.
      await people.createPerson(t.ctx, hrA, a.id, { employeeNumber: "700", givenName: "Aad", familyName: "Aa", employmentType: "employee" });
      // A preview signed for one organisation cannot be committed in another.
      const preview = await people.importPeople(t.ctx, hrB, b.id, "personeelsnummer;voornaam;achternaam\n701;C;D", "preview");
      const adminBoth = await asRole(t.ctx, "admin", a.id);
      await grant(t.ctx, adminBoth.accountId, "admin", "organisation", b.id, b.id);
      await assert.rejects(people.commitPreview(t.ctx, await actorFor(t.ctx, adminBoth.accountId, a.id), a.id, preview.signed!, "all"), Conflict);
    });
  });
}

for (const { kind, skip } of DB_KINDS) {
  describe(`migration 0002 fills the search key of existing people (${kind})`, { skip }, () => {
    let t: TestDb;
    before(async () => { t = await freshDatabase(kind, {}, { migrate: false }); });
    after(async () => { await t?.drop(); });

    test("people written before the column existed are found by a folded search after the upgrade", async () => {
      await migrateTo(t.ctx.db, "0001_foundation");
      const org = await makeOrganisation(t.ctx, "Gemeente Oud");
      const at = new Date().toISOString();
      const old = t.ctx.db as unknown as import("kysely").Kysely<any>; // the schema of 0001: no search_key yet
      await old.insertInto("people").values([
        { id: "p-1", organisation_id: org.id, employee_number: "1", given_name: "Ülkü", family_name: "Öztürk", employment_type: "employee", created_at: at, updated_at: at },
        { id: "p-2", organisation_id: org.id, employee_number: "2", given_name: "Jan", family_name: "Jansen", employment_type: "employee", created_at: at, updated_at: at },
      ]).execute();
      await migrateToLatest(t.ctx.db);
      const rows = await t.ctx.db.selectFrom("people").select(["id", "search_key"]).orderBy("id").execute();
      assert.deepEqual(rows, [{ id: "p-1", search_key: "ulku ozturk 1" }, { id: "p-2", search_key: "jan jansen 2" }]);
      const hr = await asRole(t.ctx, "hr", org.id);
      assert.deepEqual((await people.listPeople(t.ctx, hr, org.id, { q: "OZTURK" })).items.map((p) => p.id), ["p-1"]);
    });
  });
}
