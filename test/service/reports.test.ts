import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { verify } from "../../src/audit/service.ts";
import type { Context } from "../../src/context.ts";
import { Conflict, DomainError, Invalid, NotFound } from "../../src/http/errors.ts";
import { exclusionTag, readMailbox, replyInMailbox, reportByReceipt } from "../../src/reports/intake.ts";
import * as repo from "../../src/reports/repository.ts";
import * as cases from "../../src/reports/service.ts";
import { DB_KINDS, freshDatabase, type TestDb } from "../helpers/db.ts";
import { makeGroup, makeOrganisation } from "../helpers/fixtures.ts";
import { actorWith, makeReport, orgRole, reportAnswers } from "../helpers/reports.ts";
import { submitReport } from "../../src/reports/intake.ts";
import { formatDate } from "../../src/ui/format.ts";

async function rejects(p: Promise<unknown>, cls: new (...a: never[]) => DomainError, fields?: Record<string, string>) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
    if (fields) assert.deepEqual((e as DomainError).fields, fields);
    return true;
  });
}
const events = async (ctx: Context, action: string) =>
  ctx.db.selectFrom("audit_events").selectAll().where("action", "=", action).orderBy("seq").execute();

for (const { kind, skip } of DB_KINDS) {
  describe(`reporting desk service (${kind})`, { skip }, () => {
    let t: TestDb;
    before(async () => { t = await freshDatabase(kind); });
    after(async () => { await t?.drop(); });

    test("an anonymous report: 16-digit receipt, metadata in columns, content sealed, no identity, one audit event", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Anoniem");
      const sent = await makeReport(t.ctx, org.slug, { description: "Kasgeld verdwijnt elke vrijdag." });
      assert.match(sent.receipt!, /^\d{16}$/);
      assert.match(sent.reference, /^\d{4}-0001$/);
      const row = (await repo.findReport(t.ctx.db, sent.reportId))!;
      assert.equal(row.status, "received");
      assert.equal(row.mode, "anonymous");
      assert.equal(row.channel, "web");
      assert.equal(row.ack_due_on, sent.ackDueOn);
      assert.notEqual(row.receipt_hash, sent.receipt);
      assert.equal(row.reporter_tag, null);
      const entries = await repo.listEntries(t.ctx.db, sent.reportId);
      assert.deepEqual(entries.map((e) => e.kind), ["content"]);
      assert.ok(!entries[0]!.sealed!.includes("Kasgeld"));
      const ev = (await events(t.ctx, "report.submit")).filter((e) => e.object_id === sent.reportId);
      assert.equal(ev.length, 1);
      assert.equal(ev[0]!.actor_type, "anonymous");
      assert.equal(ev[0]!.actor_id, null);
      assert.ok(!ev[0]!.details.includes("Kasgeld"));
      const second = await makeReport(t.ctx, org.slug);
      assert.match(second.reference, /-0002$/);
    });

    test("the receipt opens the mailbox (spaces allowed); a wrong code or another organisation's address does not", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Postbus");
      const other = await makeOrganisation(t.ctx, "Gemeente Elders");
      const sent = await makeReport(t.ctx, org.slug);
      const grouped = sent.receipt!.replace(/(\d{4})(?=\d)/g, "$1 ");
      assert.equal((await reportByReceipt(t.ctx, org.slug, { receipt: grouped })).id, sent.reportId);
      const wrong = sent.receipt!.slice(0, 15) + String((Number(sent.receipt!.at(-1)) + 1) % 10);
      await rejects(reportByReceipt(t.ctx, org.slug, { receipt: wrong }), Invalid, { receipt: "report.receiptUnknown" });
      await rejects(reportByReceipt(t.ctx, other.slug, { receipt: sent.receipt! }), Invalid, { receipt: "report.receiptUnknown" });
      await rejects(reportByReceipt(t.ctx, "no-such-organisation", { receipt: sent.receipt! }), Invalid, { receipt: "report.receiptUnknown" });
      await rejects(reportByReceipt(t.ctx, org.slug, { receipt: "12345" }), Invalid, { receipt: "report.receiptFormat" });
    });

    test("the coordinator acknowledges: the mailbox shows the acknowledgement with the feedback date; the reporter answers", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Bevestig");
      const coordinator = await orgRole(t.ctx, "coordinator", org.id);
      const sent = await makeReport(t.ctx, org.slug);
      let mailbox = await readMailbox(t.ctx, sent.reportId);
      assert.equal(mailbox.status, "received");
      assert.deepEqual(mailbox.messages, []);
      const acked = await cases.transition(t.ctx, coordinator, sent.reportId, { action: "acknowledge", reason: "Dank voor uw melding." });
      assert.equal(acked.status, "acknowledged");
      assert.ok(acked.feedback_due_on);
      mailbox = await readMailbox(t.ctx, sent.reportId);
      assert.equal(mailbox.messages.length, 1);
      assert.equal(mailbox.messages[0]!.from, "desk");
      assert.ok(mailbox.messages[0]!.acknowledgement);
      assert.match(mailbox.messages[0]!.body, new RegExp(sent.reference));
      assert.ok(mailbox.messages[0]!.body.includes(formatDate(`${acked.feedback_due_on}T12:00:00Z`, "nl")), "the feedback date, written out in Dutch");
      assert.match(mailbox.messages[0]!.body, / (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december) \d{4}/);
      assert.match(mailbox.messages[0]!.body, /Dank voor uw melding\./);
      await cases.sendMessage(t.ctx, coordinator, sent.reportId, { body: "Wanneer precies?" });
      await replyInMailbox(t.ctx, sent.reportId, { body: "Elke vrijdag rond vijf uur." });
      await cases.addNote(t.ctx, coordinator, sent.reportId, { body: "Intern: camera's bekijken." });
      mailbox = await readMailbox(t.ctx, sent.reportId);
      assert.deepEqual(mailbox.messages.map((m) => [m.from, m.body]).slice(1), [["desk", "Wanneer precies?"], ["reporter", "Elke vrijdag rond vijf uur."]]);
      const view = await cases.getCase(t.ctx, coordinator, sent.reportId);
      assert.deepEqual(view.timeline.map((e) => e.kind), ["status", "message_out", "message_out", "message_in", "note"]);
      assert.deepEqual(view.timeline.map((e) => e.position), [2, 3, 4, 5, 6]);
      await rejects(replyInMailbox(t.ctx, sent.reportId, { body: "  " }), Invalid, { body: "report.messageRequired" });
    });

    test("the whole road to closure, with findings and measures; closing needs feedback; reopening needs a reason", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Onderzoek");
      const coordinator = await orgRole(t.ctx, "coordinator", org.id);
      const sent = await makeReport(t.ctx, org.slug);
      const step = (action: string, extra: Record<string, unknown> = {}) => cases.transition(t.ctx, coordinator, sent.reportId, { action, ...extra });
      await step("acknowledge");
      await rejects(step("close"), Conflict);
      await step("startAssessment");
      assert.equal((await step("decideInvestigation", { investigationBy: "external" })).status, "awaiting_approval");
      await rejects(step("recordApproval", { approvedBy: "" }), Invalid, { approvedBy: "report.approvedByRequired", approvedOn: "report.approvedOnRequired" });
      await rejects(step("approveInvestigation"), Conflict, {}); // the coordinator is not the secretary
      assert.equal((await step("recordApproval", { approvedBy: "M. de Secretaris", approvedOn: "2026-03-01" })).status, "investigation");
      await rejects(step("concludeInvestigation"), Invalid, { findings: "report.findingsRequired" });
      await step("concludeInvestigation", { findings: [{ allegation: "Geld uit de kas genomen", finding: "substantiated" }, { allegation: "Collega bedreigd", finding: "unsubstantiated" }] });
      await step("decideMeasures", { measures: ["final_warning", "criminal_report"] });
      await rejects(step("close"), Conflict);
      await cases.sendMessage(t.ctx, coordinator, sent.reportId, { body: "Wij hebben onderzoek gedaan en maatregelen genomen.", feedback: "1" });
      const closed = await step("close");
      assert.equal(closed.status, "closed");
      assert.ok(closed.closed_at);
      await rejects(cases.sendMessage(t.ctx, coordinator, sent.reportId, { body: "Nog iets" }), Invalid);
      await rejects(step("reopen"), Invalid, { reason: "report.reasonRequired" });
      assert.equal((await step("reopen", { reason: "Nieuwe informatie" })).status, "assessment");
      const row = (await repo.findReport(t.ctx.db, sent.reportId))!;
      assert.equal(row.decision, "investigation");
      assert.ok(row.feedback_given_at);
      const statuses = (await repo.listEntries(t.ctx.db, sent.reportId)).filter((e) => e.kind === "status").map((e) => JSON.parse(e.meta));
      assert.deepEqual(statuses.find((m) => m.action === "concludeInvestigation").findings, ["substantiated", "unsubstantiated"]);
      assert.deepEqual(statuses.find((m) => m.action === "decideMeasures").measures, ["final_warning", "criminal_report"]);
      assert.ok((await verify(t.ctx)).ok);
    });

    test("the secretary approves or rejects a requested investigation from its metadata alone", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Secretaris");
      const other = await makeOrganisation(t.ctx, "Gemeente Anders");
      const coordinator = await orgRole(t.ctx, "coordinator", org.id);
      const secretary = await orgRole(t.ctx, "secretary", org.id);
      const otherSecretary = await orgRole(t.ctx, "secretary", other.id);
      const sent = await makeReport(t.ctx, org.slug, { description: "Geheime inhoud" });
      for (const action of ["acknowledge", "startAssessment"]) await cases.transition(t.ctx, coordinator, sent.reportId, { action });
      assert.deepEqual(await cases.listApprovals(t.ctx, secretary, "nl"), []);
      await rejects(cases.transition(t.ctx, coordinator, sent.reportId, { action: "decideInvestigation" }), Invalid, { investigationBy: "report.investigationByRequired" });
      await cases.transition(t.ctx, coordinator, sent.reportId, { action: "decideInvestigation", investigationBy: "internal" });
      const [request] = await cases.listApprovals(t.ctx, secretary, "nl");
      assert.equal(request?.reference, sent.reference);
      assert.equal(request?.investigationBy, "internal");
      const asked = (await repo.listEntries(t.ctx.db, sent.reportId)).filter((e) => e.kind === "status").at(-1)!.created_at;
      await replyInMailbox(t.ctx, sent.reportId, { body: "Nog een aanvulling." });
      assert.equal((await cases.listApprovals(t.ctx, secretary, "nl"))[0]?.requestedAt, asked, "the request's time, not the last activity");
      assert.ok(!JSON.stringify(request).includes("Geheime inhoud"), "the secretary never receives content");
      assert.deepEqual(await cases.listApprovals(t.ctx, otherSecretary, "nl"), []);
      await rejects(cases.decideApproval(t.ctx, otherSecretary, sent.reportId, { decision: "approve" }), NotFound);
      await rejects(cases.getCase(t.ctx, secretary, sent.reportId), NotFound);
      await rejects(cases.decideApproval(t.ctx, secretary, sent.reportId, { decision: "reject", reason: "" }), Invalid, { reason: "report.reasonRequired" });
      assert.equal((await cases.decideApproval(t.ctx, secretary, sent.reportId, { decision: "reject", reason: "Eerst een gesprek" })).status, "assessment");
      assert.deepEqual(await cases.listApprovals(t.ctx, secretary, "nl"), []);
      await cases.transition(t.ctx, coordinator, sent.reportId, { action: "decideInvestigation", investigationBy: "external" });
      const approved = await cases.decideApproval(t.ctx, secretary, sent.reportId, { decision: "approve" });
      assert.equal(approved.status, "investigation");
      assert.equal(approved.investigation_by, "external");
      await rejects(cases.decideApproval(t.ctx, secretary, sent.reportId, { decision: "approve" }), NotFound, undefined);
      const steps = (await events(t.ctx, "report.transition")).filter((e) => e.object_id === sent.reportId).map((e) => JSON.parse(e.details).step);
      assert.deepEqual(steps.slice(-3), ["rejectInvestigation", "decideInvestigation", "approveInvestigation"]);
    });

    test("two coordinators acknowledge at the same moment: one wins, the other is told the case changed", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Gelijktijdig");
      const a = await orgRole(t.ctx, "coordinator", org.id);
      const b = await orgRole(t.ctx, "coordinator", org.id);
      const sent = await makeReport(t.ctx, org.slug);
      const results = await Promise.allSettled([
        cases.transition(t.ctx, a, sent.reportId, { action: "acknowledge" }),
        cases.transition(t.ctx, b, sent.reportId, { action: "acknowledge" }),
      ]);
      assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
      const failed = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      assert.ok(failed.reason instanceof Conflict);
      const mailbox = await readMailbox(t.ctx, sent.reportId);
      assert.equal(mailbox.messages.length, 1, "one acknowledgement, not two");
    });

    test("who sees a case: own organisation's coordinators, a group coordinator, the assigned investigator without the identity — nobody else", async () => {
      const a = await makeOrganisation(t.ctx, "Gemeente A");
      const b = await makeOrganisation(t.ctx, "Gemeente B");
      const group = await makeGroup(t.ctx, "Regio AB", [a.id, b.id]);
      const coordA = await orgRole(t.ctx, "coordinator", a.id);
      const coordB = await orgRole(t.ctx, "coordinator", b.id);
      const regional = await actorWith(t.ctx, "coordinator", { type: "group", id: group.id, organisationId: null });
      const admin = await orgRole(t.ctx, "admin", a.id);
      const investigator = await orgRole(t.ctx, "investigator", a.id);
      const other = await orgRole(t.ctx, "investigator", a.id);
      const sent = await makeReport(t.ctx, a.slug, { mode: "confidential", identity: { name: "Jan Melder", email: "", phone: "", relation: "employee" } });
      const inB = await makeReport(t.ctx, b.slug);

      const ids = async (actor: typeof coordA) => (await cases.listCases(t.ctx, actor, {}, "nl")).items.map((i) => i.id).sort();
      assert.deepEqual(await ids(coordA), [sent.reportId]);
      assert.deepEqual(await ids(coordB), [inB.reportId]);
      assert.deepEqual(await ids(regional), [sent.reportId, inB.reportId].sort());
      assert.deepEqual(await ids(admin), []);
      assert.deepEqual(await ids(investigator), []);
      await rejects(cases.getCase(t.ctx, coordB, sent.reportId), NotFound);
      await rejects(cases.getCase(t.ctx, admin, sent.reportId), NotFound);
      await rejects(cases.getCase(t.ctx, investigator, sent.reportId), NotFound);
      await rejects(cases.transition(t.ctx, coordB, sent.reportId, { action: "acknowledge" }), NotFound);

      const seen = await cases.getCase(t.ctx, coordA, sent.reportId);
      assert.equal(seen.identity?.name, "Jan Melder");
      assert.equal(seen.content?.description, "Er verdwijnt geld uit de kas.");
      assert.equal((await cases.getCase(t.ctx, regional, sent.reportId)).identity?.name, "Jan Melder");

      await cases.assign(t.ctx, coordA, sent.reportId, { investigatorId: investigator.accountId });
      assert.deepEqual(await ids(investigator), [sent.reportId]);
      const asInvestigator = await cases.getCase(t.ctx, investigator, sent.reportId);
      assert.equal(asInvestigator.identity, null, "the investigator does not see who reported");
      assert.ok(asInvestigator.identityHidden);
      assert.equal(asInvestigator.content?.description, "Er verdwijnt geld uit de kas.");
      assert.deepEqual(asInvestigator.actions, [], "an investigator does not move the case");
      await cases.addNote(t.ctx, investigator, sent.reportId, { body: "Gesprek gepland." });
      await rejects(cases.sendMessage(t.ctx, investigator, sent.reportId, { body: "Hallo" }), NotFound);
      await rejects(cases.getCase(t.ctx, other, sent.reportId), NotFound);
      await rejects(cases.assign(t.ctx, coordA, sent.reportId, { investigatorId: coordB.accountId }), Invalid, { investigatorId: "report.assigneeInvalid" });
      const reads = (await events(t.ctx, "report.read")).filter((e) => e.object_id === sent.reportId);
      assert.ok(reads.some((e) => e.actor_id === investigator.accountId && JSON.parse(e.details).identity === false));
      assert.ok(reads.some((e) => e.actor_id === coordA.accountId && JSON.parse(e.details).identity === true));
    });

    test("the investigator sees the reporter's identity only after a recorded consent or legal ground", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Identiteit");
      const coordinator = await orgRole(t.ctx, "coordinator", org.id);
      const investigator = await orgRole(t.ctx, "investigator", org.id);
      const outsider = await orgRole(t.ctx, "hr", org.id);
      const sent = await makeReport(t.ctx, org.slug, { mode: "confidential", identity: { name: "Els Vertrouwelijk", email: "", phone: "", relation: "employee" } });
      await cases.assign(t.ctx, coordinator, sent.reportId, { investigatorId: investigator.accountId });
      assert.equal((await cases.getCase(t.ctx, investigator, sent.reportId)).identity, null);
      await rejects(cases.discloseIdentity(t.ctx, coordinator, sent.reportId, { accountId: investigator.accountId, basis: "consent", reason: "" }), Invalid, { reason: "report.disclosureReasonRequired" });
      await rejects(cases.discloseIdentity(t.ctx, coordinator, sent.reportId, { accountId: outsider.accountId, basis: "consent", reason: "Mondeling" }), Invalid, { accountId: "report.assigneeInvalid" });
      await rejects(cases.discloseIdentity(t.ctx, investigator, sent.reportId, { accountId: investigator.accountId, basis: "consent", reason: "Zelf" }), NotFound);
      await cases.discloseIdentity(t.ctx, coordinator, sent.reportId, { accountId: investigator.accountId, basis: "consent", reason: "Melder stemde op 3 maart telefonisch in." });
      const seen = await cases.getCase(t.ctx, investigator, sent.reportId);
      assert.equal(seen.identity?.name, "Els Vertrouwelijk");
      const disclosure = seen.timeline.find((e) => e.kind === "disclosure")!;
      assert.equal(disclosure.meta.basis, "consent");
      assert.equal((disclosure.sealed as { reason: string }).reason, "Melder stemde op 3 maart telefonisch in.");
      const ev = (await events(t.ctx, "report.identityDisclosed")).filter((e) => e.object_id === sent.reportId);
      assert.equal(ev.length, 1);
      assert.equal(JSON.parse(ev[0]!.details).basis, "consent");
      const anonymous = await makeReport(t.ctx, org.slug);
      await rejects(cases.discloseIdentity(t.ctx, coordinator, anonymous.reportId, { accountId: investigator.accountId, basis: "legal_ground", reason: "Wet" }), Conflict);
    });

    test("a person involved never finds the case; a report about a handler goes to the alternative recipient only", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Betrokken");
      const coord = await orgRole(t.ctx, "coordinator", org.id);
      const involved = await orgRole(t.ctx, "coordinator", org.id);
      const sent = await makeReport(t.ctx, org.slug);
      await cases.excludeAccount(t.ctx, coord, sent.reportId, involved.accountId);
      await rejects(cases.getCase(t.ctx, involved, sent.reportId), NotFound);
      assert.deepEqual((await cases.listCases(t.ctx, involved, {}, "nl")).items, []);
      const exclusions = await t.ctx.db.selectFrom("report_exclusions").selectAll().execute();
      assert.ok(exclusions.every((x) => x.account_tag !== involved.accountId), "the database does not name the excluded account");
      assert.ok(exclusions.some((x) => x.account_tag === exclusionTag(t.ctx, involved.accountId)));

      await rejects(makeReport(t.ctx, org.slug, { concernsHandler: "yes" }), Invalid, { concernsHandler: "report.noAlternativeRecipient" });
      const alternative = await actorWith(t.ctx, "coordinator", { type: "organisation", id: org.id, organisationId: org.id });
      await repo.updateSettings(t.ctx.db, org.id, { alternative_account_id: alternative.accountId });
      const aboutHandler = await makeReport(t.ctx, org.slug, { concernsHandler: "yes" });
      await rejects(cases.getCase(t.ctx, coord, aboutHandler.reportId), NotFound);
      assert.ok(!(await cases.listCases(t.ctx, coord, {}, "nl")).items.some((i) => i.id === aboutHandler.reportId));
      assert.ok((await cases.listCases(t.ctx, alternative, {}, "nl")).items.some((i) => i.id === aboutHandler.reportId));
      assert.equal((await cases.getCase(t.ctx, alternative, aboutHandler.reportId)).report.routing, "alternative");
      await rejects(cases.excludeAccount(t.ctx, alternative, aboutHandler.reportId, alternative.accountId), Invalid, { email: "report.excludeRecipient" });
      // Changing the setting later re-routes new reports only: the coordinator the report may be about never gets this one.
      await repo.updateSettings(t.ctx.db, org.id, { alternative_account_id: coord.accountId });
      await rejects(cases.getCase(t.ctx, coord, aboutHandler.reportId), NotFound);
      assert.equal((await cases.getCase(t.ctx, alternative, aboutHandler.reportId)).report.alternative_account_id, alternative.accountId);
      const events = await t.ctx.db.selectFrom("audit_events").select(["occurred_at", "actor_type"]).where("object_id", "=", aboutHandler.reportId).where("action", "=", "report.submit").execute();
      assert.match(events[0]!.occurred_at, /T00:00:00\.000Z$/, "an anonymous reporter's event is dated by the day only");
    });

    test("inbox filters, deadline states and paging", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Inbox");
      const coord = await orgRole(t.ctx, "coordinator", org.id);
      const made = [];
      for (let i = 0; i < 30; i++) made.push(await makeReport(t.ctx, org.slug));
      // One overdue acknowledgement, one acknowledged with feedback overdue, one acknowledged and fed back.
      await t.ctx.db.updateTable("reports").set({ ack_due_on: "2020-01-08" }).where("id", "=", made[0]!.reportId).execute();
      await cases.transition(t.ctx, coord, made[1]!.reportId, { action: "acknowledge" });
      await t.ctx.db.updateTable("reports").set({ feedback_due_on: "2020-04-01" }).where("id", "=", made[1]!.reportId).execute();
      await cases.transition(t.ctx, coord, made[2]!.reportId, { action: "acknowledge" });
      await cases.sendMessage(t.ctx, coord, made[2]!.reportId, { body: "Terugkoppeling", feedback: "1" });

      const page1 = await cases.listCases(t.ctx, coord, { organisationId: org.id }, "nl");
      assert.equal(page1.total, 30);
      assert.equal(page1.items.length, cases.PAGE_SIZE);
      assert.equal(page1.pages, 2);
      assert.deepEqual(page1.items.slice(0, 2).map((i) => i.id), [made[0]!.reportId, made[1]!.reportId], "sorted by the next statutory date");
      assert.equal(page1.items[0]!.ackState, "overdue");
      assert.equal(page1.items[1]!.feedbackState, "overdue");
      const page2 = await cases.listCases(t.ctx, coord, { organisationId: org.id, page: "2" }, "nl");
      assert.equal(page2.items.length, 5);
      assert.equal(page2.items.at(-1)!.id, made[2]!.reportId, "all deadlines met: last");
      const overdue = await cases.listCases(t.ctx, coord, { deadline: "overdue" }, "nl");
      assert.deepEqual(overdue.items.map((i) => i.id), [made[0]!.reportId, made[1]!.reportId]);
      assert.deepEqual((await cases.listCases(t.ctx, coord, { deadline: "met" }, "nl")).items.map((i) => i.id), [made[2]!.reportId]);
      assert.equal((await cases.listCases(t.ctx, coord, { deadline: "dueSoon" }, "nl")).total, 27);
      assert.equal((await cases.listCases(t.ctx, coord, { status: "acknowledged" }, "nl")).total, 2);
      await cases.assign(t.ctx, coord, made[3]!.reportId, { coordinatorId: coord.accountId });
      assert.deepEqual((await cases.listCases(t.ctx, coord, { handler: "me" }, "nl")).items.map((i) => i.id), [made[3]!.reportId]);
      assert.equal((await cases.listCases(t.ctx, coord, { handler: "none" }, "nl")).total, 29);
      await rejects(cases.listCases(t.ctx, coord, { deadline: "soonish" }, "nl"), Invalid);
    });

    test("nothing half-written: an invalid report leaves no row, no entry and no counter", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Half");
      const before = await t.ctx.db.selectFrom("reports").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      await rejects(submitReport(t.ctx, org.slug, { ...(await reportAnswers(t.ctx, org.slug)), description: "" }, { locale: "nl" }), Invalid, { description: "report.descriptionRequired" });
      await rejects(submitReport(t.ctx, org.slug, { ...(await reportAnswers(t.ctx, org.slug)), mode: "open" }, { locale: "nl" }), Invalid, { "identity.name": "report.nameRequired" });
      const afterCount = await t.ctx.db.selectFrom("reports").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      assert.equal(Number(afterCount.n), Number(before.n));
      assert.equal((await t.ctx.db.selectFrom("report_counters").selectAll().where("organisation_id", "=", org.id).execute()).length, 0);
    });
  });
}
