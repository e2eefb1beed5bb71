import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Context } from "../../src/context.ts";
import { Conflict, DomainError, Forbidden, Invalid } from "../../src/http/errors.ts";
import { addDays, localDate, today } from "../../src/reports/deadlines.ts";
import { ensureSettings, readMailbox, reportByReceipt } from "../../src/reports/intake.ts";
import { approveMinutes, correctMinutes, currentMinutes } from "../../src/reports/minutes.ts";
import { receivedAtFor, recordMinutesApproval, registerReport, reviseMinutes } from "../../src/reports/register.ts";
import * as repo from "../../src/reports/repository.ts";
import * as cases from "../../src/reports/service.ts";
import { DB_KINDS, freshDatabase, type TestDb } from "../helpers/db.ts";
import { makeOrganisation } from "../helpers/fixtures.ts";
import { orgRole, reportAnswers } from "../helpers/reports.ts";

async function rejects(p: Promise<unknown>, cls: new (...a: never[]) => DomainError, fields?: Record<string, string>) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
    if (fields) assert.deepEqual((e as DomainError).fields, fields);
    return true;
  });
}
const events = async (ctx: Context, action: string, objectId: string) =>
  ctx.db.selectFrom("audit_events").selectAll().where("action", "=", action).where("object_id", "=", objectId).execute();

/** The intake's answers plus what registering adds; override what the test is about. */
async function registration(ctx: Context, slug: string, over: Record<string, unknown> = {}) {
  return { ...(await reportAnswers(ctx, slug, { description: "Telefonisch: de melder zag dat kasgeld werd meegenomen." })), channel: "phone", receivedOn: today(), ...over };
}

for (const { kind, skip } of DB_KINDS) {
  describe(`registering a report that came in another way (${kind})`, { skip }, () => {
    let t: TestDb;
    before(async () => { t = await freshDatabase(kind); });
    after(async () => { await t?.drop(); });

    test("a phone report received three days ago: the 7 days run from then, the minutes wait for the reporter, the coordinator is the audit actor", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Telefoon");
      const coordinator = await orgRole(t.ctx, "coordinator", org.id);
      const receivedOn = addDays(today(), -3);
      const done = await registerReport(t.ctx, coordinator, org.id, await registration(t.ctx, org.slug, { receivedOn }));
      assert.equal(done.receipt, null);
      assert.equal(done.visible, true);
      assert.equal(done.minutes, true);
      assert.equal(done.receivedOn, receivedOn);
      const row = (await repo.findReport(t.ctx.db, done.reportId))!;
      assert.equal(row.channel, "phone");
      assert.equal(row.mode, "anonymous");
      assert.equal(row.routing, "desk");
      assert.equal(localDate(row.received_at), receivedOn);
      assert.equal(row.ack_due_on, addDays(receivedOn, 7));
      assert.equal(row.receipt_hash, null);
      assert.equal(row.reporter_tag, null);
      assert.match(row.reference, new RegExp(`^${receivedOn.slice(0, 4)}-\\d{4}$`));

      const entries = await repo.listEntries(t.ctx.db, done.reportId);
      assert.deepEqual(entries.map((e) => [e.kind, e.author_type, e.author_account_id, e.visible_to_reporter]), [
        ["content", "account", coordinator.accountId, 0], ["minutes", "account", coordinator.accountId, 1],
      ]);
      assert.ok(entries.every((e) => !e.sealed!.includes("kasgeld")));
      assert.deepEqual(JSON.parse(entries[1]!.meta), { version: 1, state: "pending" });

      const ev = await events(t.ctx, "report.register", done.reportId);
      assert.equal(ev.length, 1);
      assert.equal(ev[0]!.actor_type, "account");
      assert.equal(ev[0]!.actor_id, coordinator.accountId);
      assert.deepEqual(JSON.parse(ev[0]!.details), {
        reference: row.reference, channel: "phone", mode: "anonymous", kind: "integrity", receivedOn, receipt: false, minutes: true,
      });
      assert.equal((await events(t.ctx, "report.submit", done.reportId)).length, 0);

      // The case page shows the minutes in force: version 1, waiting for the reporter.
      const view = await cases.getCase(t.ctx, coordinator, done.reportId);
      assert.equal(view.content?.description, "Telefonisch: de melder zag dat kasgeld werd meegenomen.");
      const minutes = currentMinutes(view.timeline)!;
      assert.equal(minutes.version, 1);
      assert.equal(minutes.state, "pending");
      assert.equal(minutes.body, view.content?.description);
    });

    test("received today counts from now; another day from noon in Amsterdam", () => {
      const day = today();
      const at = receivedAtFor(day);
      assert.ok(Math.abs(Date.parse(at) - Date.now()) < 5_000);
      assert.equal(receivedAtFor("2026-07-01"), "2026-07-01T10:00:00.000Z");
      assert.equal(receivedAtFor("2026-01-15"), "2026-01-15T11:00:00.000Z");
    });

    test("what the form must get right: channel, date, the advisor's consent, a code only where it can be handed over, no name when anonymous", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Regels");
      const coordinator = await orgRole(t.ctx, "coordinator", org.id);
      const register = async (over: Record<string, unknown>) => registerReport(t.ctx, coordinator, org.id, await registration(t.ctx, org.slug, over));
      await rejects(register({ channel: "advisor" }), Invalid, { consent: "register.consentRequired" });
      await rejects(register({ receivedOn: addDays(today(), 1) }), Invalid, { receivedOn: "register.receivedOnFuture" });
      await rejects(register({ receivedOn: "2026-02-30" }), Invalid, { receivedOn: "field.date" });
      await rejects(register({ channel: "web" }), Invalid, { channel: "register.channelRequired" });
      await rejects(register({ channel: "email", receipt: "1" }), Invalid, { receipt: "register.receiptNotPossible" });
      await rejects(register({ mode: "open", receipt: "1" }), Invalid, {
        receipt: "register.receiptNotPossible", "identity.name": "register.nameRequired",
      });
      await rejects(register({ mode: "anonymous", identity: { name: "Piet", email: "", phone: "", relation: "" } }), Invalid, { "identity.name": "register.nameWithAnonymous" });
      await rejects(register({ categoryId: "", description: "" }), Invalid, { categoryId: "register.categoryRequired", description: "register.descriptionRequired" });
      await rejects(register({ concernsHandler: "yes" }), Invalid, { concernsHandler: "register.noAlternativeRecipient" });

      const advised = await register({ channel: "advisor", consent: "1", mode: "confidential", identity: { name: "Els", email: "", phone: "", relation: "employee" } });
      assert.equal(advised.minutes, false);
      const view = await cases.getCase(t.ctx, coordinator, advised.reportId);
      assert.equal(view.identity?.name, "Els");
      assert.equal(currentMinutes(view.timeline), null);
      assert.equal(JSON.parse((await events(t.ctx, "report.register", advised.reportId))[0]!.details).consent, true);
    });

    test("only a coordinator of the organisation registers", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Wie");
      const other = await makeOrganisation(t.ctx, "Gemeente Anders");
      const input = await registration(t.ctx, org.slug);
      for (const role of ["admin", "investigator", "secretary", "employee"] as const) {
        await rejects(registerReport(t.ctx, await orgRole(t.ctx, role, org.id), org.id, input), Forbidden);
      }
      await rejects(registerReport(t.ctx, await orgRole(t.ctx, "coordinator", other.id), org.id, input), Forbidden);
    });

    test("with a report code the mailbox opens and shows the minutes; approving records it once, with the date", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Code");
      const coordinator = await orgRole(t.ctx, "coordinator", org.id);
      const done = await registerReport(t.ctx, coordinator, org.id, await registration(t.ctx, org.slug, { channel: "in_person", receipt: "1" }));
      assert.match(done.receipt!, /^\d{16}$/);
      assert.equal((await reportByReceipt(t.ctx, org.slug, { receipt: done.receipt! })).id, done.reportId);
      let mailbox = await readMailbox(t.ctx, done.reportId);
      assert.equal(mailbox.minutes?.body, "Telefonisch: de melder zag dat kasgeld werd meegenomen.");
      assert.equal(mailbox.minutes?.state, "pending");
      assert.deepEqual(mailbox.messages, []);

      await rejects(approveMinutes(t.ctx, done.reportId, { version: "2" }), Conflict);
      await approveMinutes(t.ctx, done.reportId, { version: "1" });
      await approveMinutes(t.ctx, done.reportId, { version: "1" }); // a second click
      mailbox = await readMailbox(t.ctx, done.reportId);
      assert.equal(mailbox.minutes?.state, "approved");
      assert.equal(mailbox.minutes?.approvedOn, today());
      assert.equal(mailbox.minutes?.approvedVia, "mailbox");
      const ev = await events(t.ctx, "report.minutesApproved", done.reportId);
      assert.equal(ev.length, 1);
      assert.equal(ev[0]!.actor_type, "anonymous");
      assert.equal(ev[0]!.actor_id, null);
      // Approved minutes take no correction; the reporter writes a normal message instead.
      await rejects(correctMinutes(t.ctx, done.reportId, { version: "1", body: "Toch nog iets." }), Conflict);
      const view = await cases.getCase(t.ctx, coordinator, done.reportId);
      assert.equal(currentMinutes(view.timeline)?.state, "approved");
    });

    test("a correction is a mailbox message marked as such; the case page shows it; a new version waits for approval again", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Correctie");
      const coordinator = await orgRole(t.ctx, "coordinator", org.id);
      const done = await registerReport(t.ctx, coordinator, org.id, await registration(t.ctx, org.slug, { mode: "confidential", receipt: "1",
        identity: { name: "Jan Bel", email: "", phone: "06", relation: "employee" } }));
      await rejects(correctMinutes(t.ctx, done.reportId, { version: "1", body: "  " }), Invalid, { body: "minutes.correctionRequired" });
      await correctMinutes(t.ctx, done.reportId, { version: "1", body: "Het was niet kasgeld maar een laptop." });
      const mailbox = await readMailbox(t.ctx, done.reportId);
      assert.deepEqual(mailbox.messages.map((m) => [m.from, m.body]), [["reporter", "Het was niet kasgeld maar een laptop."]]);
      assert.equal(mailbox.minutes?.state, "corrected");
      assert.equal((await events(t.ctx, "report.minutesCorrected", done.reportId)).length, 1);
      await rejects(approveMinutes(t.ctx, done.reportId, { version: "1" }), Conflict);

      let view = await cases.getCase(t.ctx, coordinator, done.reportId);
      let minutes = currentMinutes(view.timeline)!;
      assert.equal(minutes.state, "corrected");
      assert.equal(minutes.correctedOn, today());
      const correction = view.timeline.find((e) => e.id === minutes.correctionId)!;
      assert.equal(correction.kind, "message_in");
      assert.equal(correction.meta.minutesCorrection, 1);
      assert.equal((correction.sealed as { body: string }).body, "Het was niet kasgeld maar een laptop.");

      await rejects(reviseMinutes(t.ctx, coordinator, done.reportId, { body: "" }), Invalid, { body: "minutes.bodyRequired" });
      assert.equal(await reviseMinutes(t.ctx, coordinator, done.reportId, { body: "De melder zag dat een laptop werd meegenomen." }), 2);
      view = await cases.getCase(t.ctx, coordinator, done.reportId);
      minutes = currentMinutes(view.timeline)!;
      assert.deepEqual([minutes.version, minutes.state, minutes.body], [2, "pending", "De melder zag dat een laptop werd meegenomen."]);
      assert.deepEqual(view.timeline.filter((e) => e.kind === "minutes").map((e) => e.meta.version), [1, 2]);
      assert.equal((await readMailbox(t.ctx, done.reportId)).minutes?.version, 2);
      await approveMinutes(t.ctx, done.reportId, { version: "2" });
      assert.equal((await readMailbox(t.ctx, done.reportId)).minutes?.state, "approved");
      // Someone who only investigates cannot write minutes.
      const investigator = await orgRole(t.ctx, "investigator", org.id);
      await cases.assign(t.ctx, coordinator, done.reportId, { investigatorId: investigator.accountId });
      await assert.rejects(reviseMinutes(t.ctx, investigator, done.reportId, { body: "Nee." }));
    });

    test("without a mailbox the desk records an approval given on paper; an e-mail report has no minutes", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Papier");
      const coordinator = await orgRole(t.ctx, "coordinator", org.id);
      const done = await registerReport(t.ctx, coordinator, org.id, await registration(t.ctx, org.slug, { mode: "open",
        identity: { name: "Open Melder", email: "", phone: "", relation: "external" } }));
      await rejects(recordMinutesApproval(t.ctx, coordinator, done.reportId, { version: "1", approvedOn: addDays(today(), 1) }), Invalid, { approvedOn: "minutes.approvedOnFuture" });
      await rejects(recordMinutesApproval(t.ctx, coordinator, done.reportId, { version: "1", approvedOn: "" }), Invalid, { approvedOn: "minutes.approvedOnRequired" });
      await recordMinutesApproval(t.ctx, coordinator, done.reportId, { version: "1", approvedOn: addDays(today(), -1) });
      const minutes = currentMinutes((await cases.getCase(t.ctx, coordinator, done.reportId)).timeline)!;
      assert.deepEqual([minutes.state, minutes.approvedOn, minutes.approvedVia], ["approved", addDays(today(), -1), "desk"]);
      const ev = await events(t.ctx, "report.minutesApproved", done.reportId);
      assert.equal(ev[0]!.actor_id, coordinator.accountId);

      const mail = await registerReport(t.ctx, coordinator, org.id, await registration(t.ctx, org.slug, { channel: "email" }));
      assert.equal(mail.minutes, false);
      await rejects(reviseMinutes(t.ctx, coordinator, mail.reportId, { body: "Iets" }), Conflict);
    });

    test("a report about a handler goes to the alternative recipient; the coordinator who registered it cannot open it", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Omweg");
      const coordinator = await orgRole(t.ctx, "coordinator", org.id);
      const alternative = await orgRole(t.ctx, "coordinator", org.id);
      await ensureSettings(t.ctx, org.id);
      await repo.updateSettings(t.ctx.db, org.id, { alternative_account_id: alternative.accountId });
      const done = await registerReport(t.ctx, coordinator, org.id, await registration(t.ctx, org.slug, { concernsHandler: "yes", receipt: "1" }));
      assert.equal(done.visible, false);
      assert.match(done.receipt!, /^\d{16}$/);
      assert.equal((await repo.findReport(t.ctx.db, done.reportId))!.routing, "alternative");
      await assert.rejects(cases.getCase(t.ctx, coordinator, done.reportId));
      assert.equal((await cases.getCase(t.ctx, alternative, done.reportId)).report.channel, "phone");
      // The alternative recipient registering one themselves does see it.
      const own = await registerReport(t.ctx, alternative, org.id, await registration(t.ctx, org.slug, { concernsHandler: "yes" }));
      assert.equal(own.visible, true);
    });
  });
}
