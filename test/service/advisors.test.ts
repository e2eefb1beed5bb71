import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as advisors from "../../src/advisors/service.ts";
import { runNotesRetention } from "../../src/advisors/retention.ts";
import { Conflict, DomainError, Invalid, NotFound } from "../../src/http/errors.ts";
import { addMonths, today } from "../../src/reports/deadlines.ts";
import { DB_KINDS, freshDatabase, type TestDb } from "../helpers/db.ts";
import { makeGroup, makeOrganisation, makeUnit } from "../helpers/fixtures.ts";
import { actorWith, orgRole } from "../helpers/reports.ts";

// The confidential advisor's register (issue 4) through its service: a contact is counts without names,
// visible only to its own advisor (and a successor the visitor agreed to); its notes are sealed and
// destroyed a configurable time after closing, while the counts stay.

async function rejects(p: Promise<unknown>, cls: new (...a: never[]) => DomainError, fields?: Record<string, string>) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
    if (fields) assert.deepEqual((e as DomainError).fields, fields);
    return true;
  });
}

const contact = (organisationId: string, over: Record<string, unknown> = {}) => ({
  contactOn: "2026-03-02", organisationId, unitId: "", relation: "employee", natures: ["bullying", "aggression"], people: "2", form: "in_person",
  conversations: "1", minutes: "45", followUp: "listening_advice", ...over,
});

for (const { kind, skip } of DB_KINDS) {
  describe(`advisors' register (${kind})`, { skip }, () => {
    let t: TestDb;
    before(async () => { t = await freshDatabase(kind); });
    after(async () => { await t?.drop(); });

    test("a contact is registered with its natures in their table and no name anywhere; bad input is refused field by field", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Vertrouwen");
      const unit = await makeUnit(t.ctx, org.id, "Team Wijk");
      const advisor = await orgRole(t.ctx, "advisor", org.id);
      const form = await advisors.contactForm(t.ctx, advisor);
      assert.deepEqual(form.organisations.map((o) => o.name), ["Gemeente Vertrouwen"]);
      assert.deepEqual(form.organisations[0]!.natures.map((n) => n.code),
        ["bullying", "sexual_harassment", "aggression", "discrimination", "integrity", "work_situation", "other"]);

      const row = await advisors.createContact(t.ctx, advisor, contact(org.id, { unitId: unit.id }));
      assert.deepEqual([row.people, row.conversations, row.minutes, row.status, row.unit_id], [2, 1, 45, "open", unit.id]);
      const natures = await t.ctx.db.selectFrom("advisor_contact_natures").select("code").where("contact_id", "=", row.id).orderBy("code").execute();
      assert.deepEqual(natures.map((n) => n.code), ["aggression", "bullying"]);
      const audit = await t.ctx.db.selectFrom("audit_events").selectAll().where("object_id", "=", row.id).execute();
      assert.deepEqual(audit.map((a) => [a.action, a.details, a.organisation_id]), [["advisorContact.create", "{}", null]],
        "the audit trail says that, never what, and no organisation's audit page lists it");
      assert.match(audit[0]!.occurred_at, /T00:00:00\.000Z$/, "by the day only");

      await rejects(advisors.createContact(t.ctx, advisor, contact(org.id, { natures: [], people: "0", contactOn: "gisteren" })), Invalid,
        { natures: "advisor.natureRequired", people: "advisor.peopleInvalid", contactOn: "field.date" });
      await rejects(advisors.createContact(t.ctx, advisor, contact(org.id, { natures: ["gossip"] })), Invalid, { natures: "advisor.natureUnknown" });
      await rejects(advisors.createContact(t.ctx, advisor, contact(org.id, { contactOn: addMonths(today(), 1) })), Invalid, { contactOn: "advisor.dateInFuture" });
      await rejects(advisors.createContact(t.ctx, advisor, contact(org.id, { contactOn: "2025-02-31" })), Invalid, { contactOn: "field.date" });
      const lastYear = Number(today().slice(0, 4)) - 1;
      await rejects(advisors.createContact(t.ctx, advisor, contact(org.id, { contactOn: `${lastYear - 1}-12-31` })), Invalid, { contactOn: "advisor.dateTooEarly" });
      assert.equal((await advisors.createContact(t.ctx, advisor, contact(org.id, { contactOn: `${lastYear}-01-01` }))).contact_on, `${lastYear}-01-01`);
      const other = await makeOrganisation(t.ctx, "Gemeente Elders");
      await rejects(advisors.createContact(t.ctx, advisor, contact(other.id)), Invalid, { organisationId: "advisor.organisationRequired" });
      const elsewhere = await makeUnit(t.ctx, other.id, "Elders");
      await rejects(advisors.createContact(t.ctx, advisor, contact(org.id, { unitId: elsewhere.id })), Invalid, { unitId: "field.choose" });
      const count = await t.ctx.db.selectFrom("advisor_contacts").select((eb) => eb.fn.countAll().as("n")).where("organisation_id", "=", org.id).executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 2, "nothing half-written");
    });

    test("a failure late in the transaction (the audit event) leaves no contact, nature, key or note behind", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Half");
      const advisor = await orgRole(t.ctx, "advisor", org.id);
      const { sql } = await import("kysely");
      await sql`alter table audit_events rename to audit_events_away`.execute(t.ctx.db);
      try {
        await assert.rejects(advisors.createContact(t.ctx, advisor, contact(org.id)));
      } finally {
        await sql`alter table audit_events_away rename to audit_events`.execute(t.ctx.db);
      }
      const mine = await t.ctx.db.selectFrom("advisor_contacts").select("id").where("organisation_id", "=", org.id).execute();
      assert.deepEqual(mine, []);
      const orphanNatures = await t.ctx.db.selectFrom("advisor_contact_natures").select("contact_id")
        .where("contact_id", "not in", t.ctx.db.selectFrom("advisor_contacts").select("id")).execute();
      const orphanKeys = await t.ctx.db.selectFrom("advisor_contact_keys").select("contact_id")
        .where("contact_id", "not in", t.ctx.db.selectFrom("advisor_contacts").select("id")).execute();
      assert.deepEqual([orphanNatures, orphanKeys], [[], []]);
      // And the register works again afterwards.
      assert.ok((await advisors.createContact(t.ctx, advisor, contact(org.id))).id);
    });

    test("only the contact's own advisor finds it; every other role and another advisor get NotFound", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Zwijgplicht");
      const advisor = await orgRole(t.ctx, "advisor", org.id);
      const row = await advisors.createContact(t.ctx, advisor, contact(org.id));
      await advisors.addNote(t.ctx, advisor, row.id, { body: "Bezoeker wil eerst zelf het gesprek aangaan." });
      const view = await advisors.getContact(t.ctx, advisor, row.id);
      assert.deepEqual(view.natures.map((n) => n.label_nl), ["Pesten", "Agressie en geweld (intimidatie)"]);
      assert.equal(view.notes[0]!.body, "Bezoeker wil eerst zelf het gesprek aangaan.");
      assert.deepEqual((await advisors.listMyContacts(t.ctx, advisor, "open")).map((c) => c.contact.id), [row.id]);

      for (const role of ["advisor", "coordinator", "secretary", "admin", "hr", "auditor", "manager", "employee", "investigator"] as const) {
        const someone = await orgRole(t.ctx, role, org.id);
        await rejects(advisors.getContact(t.ctx, someone, row.id), NotFound);
        await rejects(advisors.addNote(t.ctx, someone, row.id, { body: "x" }), NotFound);
        assert.deepEqual(await advisors.listMyContacts(t.ctx, someone), [], `${role} lists nothing`);
      }
    });

    test("a pool advisor on a group registers for each organisation in it; figures count only their own contacts", async () => {
      const a = await makeOrganisation(t.ctx, "Gemeente Pool A");
      const b = await makeOrganisation(t.ctx, "Gemeente Pool B");
      const group = await makeGroup(t.ctx, "Pool Vertrouwenspersonen", [a.id, b.id]);
      const advisor = await actorWith(t.ctx, "advisor", { type: "group", id: group.id, organisationId: null });
      assert.deepEqual((await advisors.contactForm(t.ctx, advisor)).organisations.map((o) => o.name).sort(), ["Gemeente Pool A", "Gemeente Pool B"]);
      const year = Number(today().slice(0, 4));
      await advisors.createContact(t.ctx, advisor, contact(a.id, { contactOn: today(), people: "3" }));
      await advisors.createContact(t.ctx, advisor, contact(b.id, { contactOn: today(), minutes: "30" }));
      await advisors.createContact(t.ctx, advisor, contact(b.id, { contactOn: `${year - 1}-12-31` }));
      const figures = await advisors.myFigures(t.ctx, advisor);
      assert.deepEqual(figures, { year, contacts: 2, people: 5, open: 2, minutes: 75 });
    });

    test("closing starts the notes' clock; the retention job destroys notes and key after it, keeps the counts; a successor with consent reads the notes", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Vergeten");
      const advisor = await orgRole(t.ctx, "advisor", org.id);
      const successor = await orgRole(t.ctx, "advisor", org.id);
      const row = await advisors.createContact(t.ctx, advisor, contact(org.id));
      await advisors.addNote(t.ctx, advisor, row.id, { body: "Eerste gesprek, volgende week opnieuw." });
      await rejects(advisors.addNote(t.ctx, advisor, row.id, { body: "   " }), Invalid, { body: "advisor.noteRequired" });

      // A successor only with the visitor's recorded agreement, and only an advisor of this organisation.
      await rejects(advisors.recordSuccessor(t.ctx, advisor, row.id, { accountId: successor.accountId, consentOn: today() }), Invalid, { consent: "advisor.consentRequired" });
      const coordinator = await orgRole(t.ctx, "coordinator", org.id);
      await rejects(advisors.recordSuccessor(t.ctx, advisor, row.id, { accountId: coordinator.accountId, consentOn: today(), consent: "1" }), Invalid, { accountId: "advisor.successorInvalid" });
      await rejects(advisors.getContact(t.ctx, successor, row.id), NotFound);
      await advisors.recordSuccessor(t.ctx, advisor, row.id, { accountId: successor.accountId, consentOn: today(), consent: "1" });
      assert.equal((await advisors.getContact(t.ctx, successor, row.id)).notes[0]!.body, "Eerste gesprek, volgende week opnieuw.");
      await rejects(advisors.recordSuccessor(t.ctx, successor, row.id, { accountId: advisor.accountId, consentOn: today(), consent: "1" }), NotFound, undefined);

      await rejects(advisors.closeContact(t.ctx, advisor, row.id, {}), Invalid, { _form: "advisor.versionInvalid" });
      await rejects(advisors.closeContact(t.ctx, advisor, row.id, { version: "twee" }), Invalid, { _form: "advisor.versionInvalid" });
      const version = (await advisors.getContact(t.ctx, advisor, row.id, { notes: false })).contact.version;
      await advisors.closeContact(t.ctx, advisor, row.id, { version: String(version) });
      await rejects(advisors.closeContact(t.ctx, advisor, row.id, { version: String(version + 1) }), Conflict);
      await rejects(advisors.closeContact(t.ctx, advisor, row.id, {}), Conflict, undefined);
      const closed = (await t.ctx.db.selectFrom("advisor_contacts").selectAll().where("id", "=", row.id).executeTakeFirstOrThrow());
      assert.equal(closed.notes_destroy_on, addMonths(today(), 12));

      // The day before: nothing happens. On the day: notes and key go, the counts and natures stay.
      const dayBefore = Date.parse(`${addMonths(today(), 12)}T00:00:00Z`) - 36 * 3600_000;
      assert.deepEqual(await runNotesRetention(t.ctx, dayBefore), { destroyed: 0, closed: 0 });
      const onTheDay = Date.parse(`${addMonths(today(), 12)}T12:00:00Z`);
      assert.deepEqual(await runNotesRetention(t.ctx, onTheDay), { destroyed: 1, closed: 0 });
      assert.deepEqual(await runNotesRetention(t.ctx, onTheDay), { destroyed: 0, closed: 0 }, "once");
      assert.equal((await t.ctx.db.selectFrom("advisor_notes").selectAll().where("contact_id", "=", row.id).execute()).length, 0);
      assert.equal((await t.ctx.db.selectFrom("advisor_contact_keys").selectAll().where("contact_id", "=", row.id).execute()).length, 0);
      const after = await advisors.getContact(t.ctx, advisor, row.id);
      assert.deepEqual([after.contact.people, after.natures.length, after.notes.length], [2, 2, 0]);
      assert.ok(after.contact.notes_destroyed_at);
      await rejects(advisors.addNote(t.ctx, advisor, row.id, { body: "Nog iets" }), Conflict);
      const events = await t.ctx.db.selectFrom("audit_events").select(["action", "actor_type"]).where("object_id", "=", row.id).orderBy("seq").execute();
      assert.deepEqual(events.map((e) => e.action), [
        "advisorContact.create", "advisorContact.addNote", "advisorContact.successor", "advisorContact.readNotes", "advisorContact.close", "advisorContact.destroyNotes",
      ], "the successor's reading of the notes is recorded; after destruction there is nothing to read");
      assert.equal(events.at(-1)!.actor_type, "system");
    });

    test("a contact nobody can close any more (advisor and successor lost the role) is closed by the job, which starts the notes' clock", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Vertrek");
      const leaving = await orgRole(t.ctx, "advisor", org.id);
      const staying = await orgRole(t.ctx, "advisor", org.id);
      const orphan = await advisors.createContact(t.ctx, leaving, contact(org.id));
      await advisors.addNote(t.ctx, leaving, orphan.id, { body: "Vertrouwelijk." });
      const kept = await advisors.createContact(t.ctx, staying, contact(org.id));
      assert.deepEqual(await runNotesRetention(t.ctx), { destroyed: 0, closed: 0 }, "both advisors still hold the role");
      await t.ctx.db.deleteFrom("role_assignments").where("account_id", "=", leaving.accountId).execute();
      assert.deepEqual(await runNotesRetention(t.ctx), { destroyed: 0, closed: 1 });
      const rows = await t.ctx.db.selectFrom("advisor_contacts").select(["id", "status", "notes_destroy_on"]).where("organisation_id", "=", org.id).orderBy("created_at").execute();
      assert.deepEqual(rows.map((r) => [r.id, r.status, r.notes_destroy_on]), [[orphan.id, "closed", addMonths(today(), 12)], [kept.id, "open", null]]);
      const events = await t.ctx.db.selectFrom("audit_events").select(["action", "actor_type", "organisation_id"]).where("object_id", "=", orphan.id).orderBy("seq").execute();
      assert.deepEqual(events.at(-1), { action: "advisorContact.closeOrphaned", actor_type: "system", organisation_id: null });
    });
  });
}
