import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as accountsRepo from "../../src/accounts/repository.ts";
import * as auditRepo from "../../src/audit/repository.ts";
import { loadDemo } from "../../src/demo/load.ts";
import * as orgRepo from "../../src/organisations/repository.ts";
import * as peopleRepo from "../../src/people/repository.ts";
import { DB_KINDS, freshDatabase, type TestDb } from "../helpers/db.ts";
import { grant, makeAccount } from "../helpers/fixtures.ts";

// Tenancy is a parameter: every repository read that takes an organisation returns only that
// organisation's records, even when asked for another organisation's record by its id.
// The demo region gives four organisations with the same unit and position names, so a read that
// forgot its organisation filter would find a look-alike record of another organisation.

for (const { kind, skip } of DB_KINDS) {
  describe(`no repository read crosses organisations (${kind})`, { skip }, () => {
    let t: TestDb;
    let A = "", B = "";
    const b = { unit: "", unitName: "", position: "", positionTitle: "", person: "", personNumber: "", account: "", grant: "" };
    before(async () => {
      t = await freshDatabase(kind);
      await loadDemo(t.ctx);
      const orgs = await t.ctx.db.selectFrom("organisations").select(["id", "slug"]).execute();
      A = orgs.find((o) => o.slug === "duinrand")!.id;
      B = orgs.find((o) => o.slug === "polderwijk")!.id;
      const unit = await t.ctx.db.selectFrom("units").select(["id", "name"]).where("organisation_id", "=", B).orderBy("name").executeTakeFirstOrThrow();
      const pos = await t.ctx.db.selectFrom("positions").select(["id", "title"]).where("organisation_id", "=", B).orderBy("title").executeTakeFirstOrThrow();
      const person = await t.ctx.db.selectFrom("people").select(["id", "employee_number"]).where("organisation_id", "=", B).executeTakeFirstOrThrow();
      const acc = await makeAccount(t.ctx, "alleen-b@polderwijk.example");
      await grant(t.ctx, acc.id, "hr", "organisation", B, B);
      const g = await t.ctx.db.selectFrom("role_assignments").select("id").where("account_id", "=", acc.id).executeTakeFirstOrThrow();
      Object.assign(b, { unit: unit.id, unitName: unit.name, position: pos.id, positionTitle: pos.title, person: person.id,
        personNumber: person.employee_number, account: acc.id, grant: g.id });
    });
    after(async () => { await t?.drop(); });

    const onlyA = (rows: { organisation_id?: string | null }[], what: string) => {
      assert.ok(rows.length > 0, `${what}: expected some rows of organisation A`);
      for (const r of rows) assert.equal(r.organisation_id, A, `${what} returned a record of another organisation`);
    };

    test("organisations, units and positions", async () => {
      const db = t.ctx.db;
      assert.equal(await orgRepo.findOrganisation(db, [A], B), undefined);
      assert.deepEqual((await orgRepo.listOrganisations(db, [A])).map((o) => o.id), [A]);
      assert.equal(await orgRepo.findUnit(db, A, b.unit), undefined);
      const sameName = await orgRepo.findUnitByName(db, A, b.unitName);
      if (sameName) assert.equal(sameName.organisation_id, A);
      onlyA(await orgRepo.listUnits(db, A), "listUnits");
      onlyA(await orgRepo.listPositions(db, A), "listPositions");
      assert.equal(await orgRepo.findPosition(db, A, b.position), undefined);
      const sameTitle = await orgRepo.findPositionByTitle(db, A, b.positionTitle);
      if (sameTitle) assert.equal(sameTitle.organisation_id, A);
      const countsA = await orgRepo.counts(db, A);
      const peopleA = await db.selectFrom("people").select((e) => e.fn.countAll<number>().as("n")).where("organisation_id", "=", A).executeTakeFirstOrThrow();
      assert.equal(countsA.people, Number(peopleA.n));
    });

    test("people", async () => {
      const db = t.ctx.db;
      assert.equal(await peopleRepo.findPerson(db, A, b.person), undefined);
      const sameNumber = await peopleRepo.findPersonByNumber(db, A, b.personNumber);
      if (sameNumber) assert.equal(sameNumber.organisation_id, A);
      assert.deepEqual(await peopleRepo.findPeopleByIds(db, A, [b.person]), []);
      onlyA(await peopleRepo.allPeople(db, A), "allPeople");
      const page = await peopleRepo.listPeople(db, A, null, {}, { limit: 1000, offset: 0 });
      const all = await db.selectFrom("people").select("id").where("organisation_id", "=", A).execute();
      assert.deepEqual(page.rows.map((r) => r.id).sort(), all.map((r) => r.id).sort());
      assert.equal(page.total, all.length);
    });

    test("accounts and role assignments", async () => {
      const db = t.ctx.db;
      assert.equal(await accountsRepo.findAccount(db, [A], b.account), undefined);
      assert.ok(!(await accountsRepo.listAccounts(db, [A])).some((a) => a.id === b.account));
      const grants = await accountsRepo.listGrants(db, [A]);
      assert.ok(grants.length > 0);
      for (const g of grants) assert.ok(g.organisation_id === A || g.scope_type === "group", `grant ${g.id} of another organisation`);
      assert.equal(await accountsRepo.findGrant(db, [A], b.grant), undefined);
      assert.equal(await accountsRepo.findUnit(db, [A], b.unit), undefined);
    });

    test("audit events", async () => {
      const { rows } = await auditRepo.search(t.ctx.db, { organisationIds: [B] }, 1, 100);
      for (const r of rows) assert.equal(r.organisation_id, B);
      const none = await auditRepo.search(t.ctx.db, { organisationIds: [] }, 1, 100);
      assert.equal(none.total, 0, "an empty scope sees nothing, not everything");
    });
  });
}
