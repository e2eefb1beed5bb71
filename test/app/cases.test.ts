import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Context } from "../../src/context.ts";
import { intakeTarget, submitReport } from "../../src/reports/intake.ts";
import { formatDate } from "../../src/ui/format.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { testApp } from "../helpers/app.ts";
import { Client } from "../helpers/client.ts";
import { grant, makeAccount, makeGroup, makeOrganisation, selectOptions, signedIn } from "../helpers/fixtures.ts";
import { startSession } from "../../src/auth/service.ts";

// The handlers' pages through the real app: the inbox with its filters and paging, the case page, and
// every step of a case's life as a plain form post, with the statutory clock in words.

type Org = { id: string; name: string; slug: string };

async function report(ctx: Context, org: Org, description: string, mode: "anonymous" | "confidential" = "anonymous", name = "Jan de Vries") {
  const target = await intakeTarget(ctx, org.slug);
  return submitReport(ctx, org.slug, {
    categoryId: target.categories[0]!.id, description, occurredOn: "", occurredWhen: "", unitId: "", location: "", involved: "",
    howKnown: "saw", howKnownDetail: "", reportedBefore: "no", reportedBeforeDetail: "", concernsHandler: "no", mode, noticeEmail: "",
    ...(mode === "anonymous" ? {} : { identity: { name, email: "", phone: "", relation: "employee" } }),
  }, { locale: "nl" });
}

const day = (d: string) => formatDate(`${d}T12:00:00Z`, "nl");
const version = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? "";
/** Every id on a page is unique (labels, error links and aria references depend on it). */
function assertUniqueIds(html: string, label: string) {
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
  const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
  assert.deepEqual(dupes, [], `duplicate ids on ${label}`);
  for (const m of html.matchAll(/(?:for|aria-labelledby|aria-describedby)="([^"]+)"/g)) {
    for (const ref of m[1]!.split(" ")) assert.ok(ids.includes(ref), `${label}: reference to a missing id ${ref}`);
  }
}
/** The rows of the inbox table (each row's first cell holds the reference). */
const rows = (html: string) => [...html.matchAll(/<tr[^>]*>\s*<th scope="row"[^>]*><a[^>]*>([^<]+)<\/a>/g)].map((m) => m[1]!);

for (const { kind, skip } of DB_KINDS) {
  describe(`cases: inbox and case page (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    before(async () => { t = await testApp(kind); });
    after(async () => { await t?.close(); });

    test("the inbox lists cases with reference, status in words and the acknowledgement date; filters, paging and access", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Inbox");
      const other = await makeOrganisation(t.ctx, "Gemeente Anders");
      const coordinator = await signedIn(t.ctx, "coordinator", org.id);
      const c = new Client(t.app, coordinator.sessionToken);

      const first = await report(t.ctx, org, "Een collega neemt kantoorspullen mee naar huis.");
      const late = await report(t.ctx, org, "Een aanbesteding is steeds aan dezelfde partij gegund.");
      const elsewhere = await report(t.ctx, other, "Iets in de andere gemeente.");
      await t.ctx.db.updateTable("reports").set({ ack_due_on: "2020-01-03" }).where("id", "=", late.reportId).execute();

      const page = await c.get("/meldingen");
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<caption[^>]*>Gevonden meldingen: 2<\/caption>/);
      assert.match(page.body, new RegExp(`href="/meldingen/${first.reportId}"[^>]*>${first.reference}</a>`));
      assert.match(page.body, />Ontvangen</);
      assert.match(page.body, new RegExp(`ontvangst bevestigen uiterlijk ${day(first.ackDueOn)}`));
      assert.match(page.body, /Te laat: bevestiging was uiterlijk 3 januari 2020/);
      assert.match(page.body, /<a href="\/meldingen" aria-current="page">Meldingen<\/a>/, "the menu has the inbox");
      // Sorted by the next deadline: the overdue case first.
      assert.deepEqual(rows(page.body), [late.reference, first.reference]);
      assert.match(page.body, /aria-sort="ascending"/);
      assert.doesNotMatch(page.body, new RegExp(elsewhere.reportId));

      const overdue = await c.get("/meldingen?deadline=overdue");
      assert.deepEqual(rows(overdue.body), [late.reference]);
      const newest = await c.get("/meldingen?sort=-received");
      assert.deepEqual(rows(newest.body), [late.reference, first.reference]);
      assert.match(newest.body, /aria-sort="descending"/);

      // Acknowledge one through its form: the status filter then tells them apart.
      const ack = await c.post(`/meldingen/${first.reportId}/stap`, { action: "acknowledge", version: "1", reason: "" });
      assert.equal(ack.statusCode, 303);
      assert.deepEqual(rows((await c.get("/meldingen?status=acknowledged")).body), [first.reference]);
      assert.deepEqual(rows((await c.get("/meldingen?status=received")).body), [late.reference]);
      const empty = await c.get("/meldingen?status=closed");
      assert.match(empty.body, /Er zijn geen meldingen die bij deze filters passen/);
      // An edited address with a value that is no choice: said so, and listed without it.
      const bad = await c.get("/meldingen?kind=iets");
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /href="#field-kind"/);
      assertUniqueIds(bad.body, "the inbox with an error");
      assert.deepEqual(rows(bad.body).length, 2);

      // Someone of another organisation neither sees it in the list nor opens it.
      const outsider = new Client(t.app, (await signedIn(t.ctx, "coordinator", other.id)).sessionToken);
      const theirs = await outsider.get("/meldingen");
      assert.deepEqual(rows(theirs.body), [elsewhere.reference]);
      assert.equal((await outsider.get(`/meldingen/${first.reportId}`)).statusCode, 404);
      assert.equal((await outsider.post(`/meldingen/${first.reportId}/notities`, { "note.body": "Hallo" })).statusCode, 404);
      // An administrator may not read reports at all.
      const admin = new Client(t.app, (await signedIn(t.ctx, "admin", org.id)).sessionToken);
      assert.equal((await admin.get("/meldingen")).statusCode, 403);
      assert.equal((await admin.get(`/meldingen/${first.reportId}`)).statusCode, 403);
    });

    test("a coordinator of a group: the category filter offers the chosen organisation's categories, and filters by them", async () => {
      const west = await makeOrganisation(t.ctx, "Gemeente West"), oost = await makeOrganisation(t.ctx, "Gemeente Oost");
      const group = await makeGroup(t.ctx, "Regio Categorie", [west.id, oost.id]);
      const account = await makeAccount(t.ctx, `regio-${west.id.slice(0, 8)}@example.test`);
      await grant(t.ctx, account.id, "coordinator", "group", group.id, null);
      const c = new Client(t.app, await startSession(t.ctx, account.id, "full", { type: "account", id: account.id }));
      const inWest = await report(t.ctx, west, "Melding in West.");
      const inOost = await report(t.ctx, oost, "Melding in Oost.");
      const westCategories = (await intakeTarget(t.ctx, west.slug)).categories;
      const second = westCategories[1]!;
      await t.ctx.db.updateTable("reports").set({ category_id: second.id }).where("id", "=", inWest.reportId).execute();

      // Without an organisation chosen there is no category list (a pool's would hold every member's categories).
      const all = await c.get("/meldingen");
      assert.deepEqual(new Set(rows(all.body)), new Set([inWest.reference, inOost.reference]));
      assert.deepEqual(selectOptions(all.body, "categoryId"), []);
      assert.equal(selectOptions(all.body, "organisationId").length, 2);
      // With West chosen: West's categories, in its own words, and none of Oost's.
      const chosen = await c.get(`/meldingen?organisationId=${west.id}`);
      assert.deepEqual(rows(chosen.body), [inWest.reference]);
      assert.deepEqual(selectOptions(chosen.body, "categoryId"), westCategories.map((x) => x.label_nl));
      const filtered = await c.get(`/meldingen?organisationId=${west.id}&categoryId=${second.id}`);
      assert.deepEqual(rows(filtered.body), [inWest.reference]);
      assert.match(filtered.body, new RegExp(`<option value="${second.id}"[^>]*selected`));
      assert.deepEqual(rows((await c.get(`/meldingen?organisationId=${west.id}&categoryId=${westCategories[0]!.id}`)).body), []);

      // The organisation changed and West's subject kept (the form cannot change its list without a new page): said
      // at the subject list, and Oost's cases listed without it — no filter applies that the form does not show.
      const switched = await c.get(`/meldingen?organisationId=${oost.id}&categoryId=${second.id}`);
      assert.equal(switched.statusCode, 422);
      assert.deepEqual(rows(switched.body), [inOost.reference]);
      assert.match(switched.body, /href="#field-categoryId">[^<]*<!-- -->Dit onderwerp hoort niet bij de gekozen organisatie/);
      assert.doesNotMatch(switched.body, new RegExp(`<option value="${second.id}"`));
      assertUniqueIds(switched.body, "the inbox with a subject of another organisation");
      // A subject while no organisation is chosen: there is no subject list, so the message stands at the organisation choice.
      const unchosen = await c.get(`/meldingen?categoryId=${second.id}`);
      assert.equal(unchosen.statusCode, 422);
      assert.deepEqual(new Set(rows(unchosen.body)), new Set([inWest.reference, inOost.reference]));
      assert.match(unchosen.body, /href="#field-organisationId">[^<]*<!-- -->Dit onderwerp hoort niet bij de gekozen organisatie/);
      assertUniqueIds(unchosen.body, "the inbox with a subject and no organisation");
    });

    test("paging keeps the filters", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Veel");
      const c = new Client(t.app, (await signedIn(t.ctx, "coordinator", org.id)).sessionToken);
      for (let i = 0; i < 27; i++) await report(t.ctx, org, `Melding nummer ${i}`);
      const one = await c.get("/meldingen?status=open");
      assert.equal(rows(one.body).length, 25);
      assert.match(one.body, /Pagina 1 van 2/);
      assert.match(one.body, /<a[^>]*href="\/meldingen\?status=open&amp;page=2"[^>]*>Volgende pagina<\/a>/);
      const two = await c.get("/meldingen?status=open&page=2");
      assert.equal(rows(two.body).length, 2);
      assert.match(two.body, /Pagina 2 van 2/);
      assert.match(two.body, /href="\/meldingen\?status=open"[^>]*>Vorige pagina/);
      // The sort links keep the filter too, and start again at page 1.
      assert.match(two.body, /href="\/meldingen\?status=open&amp;sort=-received"/);
    });

    test("the case page shows the content and the confidential reporter's name, and reading it is audited", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Lezen");
      const coordinator = await signedIn(t.ctx, "coordinator", org.id);
      const c = new Client(t.app, coordinator.sessionToken);
      const r = await report(t.ctx, org, "Eerste regel.\nTweede regel.", "confidential", "Jan de Vries");
      const page = await c.get(`/meldingen/${r.reportId}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, new RegExp(`<title>Melding ${r.reference}`));
      assert.match(page.body, new RegExp(`<h1[^>]*>Melding ${r.reference}</h1>`));
      assert.match(page.body, /class="[^"]*intact-multiline[^"]*">Eerste regel.\nTweede regel.</, "line breaks are kept");
      assert.match(page.body, /Jan de Vries/);
      assert.match(page.body, /Vertrouwelijk: geef de naam van de melder aan niemand door/);
      assert.match(page.body, /Online meldformulier/);
      assert.match(page.body, /Ontvangst bevestigen/);
      const reads = await t.ctx.db.selectFrom("audit_events").select(["actor_id", "details"]).where("action", "=", "report.read")
        .where("object_id", "=", r.reportId).execute();
      assert.equal(reads.length, 1);
      assert.equal(reads[0]!.actor_id, coordinator.id);
      assert.equal(JSON.parse(reads[0]!.details).identity, true);

      const anonymous = await report(t.ctx, org, "Zonder naam.");
      const anon = await c.get(`/meldingen/${anonymous.reportId}`);
      assert.match(anon.body, /Anoniem. Niemand weet wie deze melding deed/);
    });

    test("a case from acknowledgement to closing, through the forms", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Stappen");
      const coordinator = await signedIn(t.ctx, "coordinator", org.id);
      const investigator = await signedIn(t.ctx, "investigator", org.id);
      const c = new Client(t.app, coordinator.sessionToken);
      const r = await report(t.ctx, org, "Er wordt gesjoemeld met declaraties.", "confidential", "Petra Melder");
      const url = `/meldingen/${r.reportId}`;
      const step = async (action: string, fields: Record<string, string> = {}) => {
        const page = await c.get(url);
        assertUniqueIds(page.body, `the case page before ${action}`);
        return c.post(`${url}/stap`, { action, version: version(page.body), ...fields });
      };

      // Acknowledge: the standard text plus a personal line goes to the mailbox; the feedback clock starts.
      let page = await c.get(url);
      assert.match(page.body, /name="action" value="acknowledge"/);
      const ack = await c.post(`${url}/stap`, { action: "acknowledge", version: version(page.body), reason: "Dank voor uw melding." });
      assert.equal(ack.statusCode, 303);
      assert.equal(ack.headers.location, url);
      page = await c.get(url);
      assert.match(page.body, /De ontvangst is bevestigd/);
      assert.match(page.body, /<strong>Ontvangst bevestigd<\/strong>/);
      assert.match(page.body, /Ontvangstbevestiging aan de melder/);
      assert.match(page.body, /Dank voor uw melding./);
      assert.match(page.body, /Ontvangst bevestigd op/);
      assert.match(page.body, /Terugkoppelen uiterlijk/);
      // The same form again, with the version it was shown with: someone changed it meanwhile.
      const stale = await c.post(`${url}/stap`, { action: "startAssessment", version: "1" });
      assert.equal(stale.statusCode, 409);
      assert.match(stale.body, /Iemand anders heeft deze melding net gewijzigd/);

      // A message, a note (internal), and an empty note (422 at its field).
      const msg = await c.post(`${url}/berichten`, { "message.body": "Wij hebben een vraag: wanneer was dit?" });
      assert.equal(msg.statusCode, 303);
      const note = await c.post(`${url}/notities`, { "note.body": "Eerst met HR overleggen." });
      assert.equal(note.statusCode, 303);
      const emptyNote = await c.post(`${url}/notities`, { "note.body": "  " });
      assert.equal(emptyNote.statusCode, 422);
      assert.match(emptyNote.body, /href="#field-note-body"/);
      assert.match(emptyNote.body, /Schrijf een notitie./);
      page = await c.get(url);
      assert.match(page.body, /Bericht aan de melder<\/h3>/);
      assert.match(page.body, /Wij hebben een vraag: wanneer was dit\?/);
      assert.match(page.body, /Interne notitie(<!-- -->)? <span class="intact-tag">Niet zichtbaar voor de melder<\/span>/);
      assert.match(page.body, /Eerst met HR overleggen./);

      // Assign the investigator: they see the case under /onderzoeken, without the reporter's name.
      const assign = await c.post(`${url}/toewijzing`, { "assign.coordinatorId": coordinator.id, "assign.investigatorId": investigator.id });
      assert.equal(assign.statusCode, 303);
      const badAssign = await c.post(`${url}/toewijzing`, { "assign.coordinatorId": investigator.id, "assign.investigatorId": "" });
      assert.equal(badAssign.statusCode, 422);
      assert.match(badAssign.body, /href="#field-assign-coordinatorId"/);
      const inv = new Client(t.app, investigator.sessionToken);
      const list = await inv.get("/onderzoeken");
      assert.equal(list.statusCode, 200);
      assert.deepEqual(rows(list.body), [r.reference]);
      const invPage = await inv.get(`/onderzoeken/${r.reportId}`);
      assert.equal(invPage.statusCode, 200);
      assert.match(invPage.body, /Er wordt gesjoemeld met declaraties./);
      assert.doesNotMatch(invPage.body, /Petra Melder/);
      assert.match(invPage.body, /De naam en contactgegevens van de melder zijn afgeschermd/);
      assert.doesNotMatch(invPage.body, /\/stap"/, "an investigator takes no steps");
      assertUniqueIds(invPage.body, "the investigator's case page");
      assert.equal((await inv.get(url)).statusCode, 403);
      const invNote = await inv.post(`/onderzoeken/${r.reportId}/notities`, { "note.body": "Getuigen gesproken." });
      assert.equal(invNote.statusCode, 303);
      assert.equal(invNote.headers.location, `/onderzoeken/${r.reportId}`);
      page = await c.get(url);
      assert.match(page.body, /Toewijzing gewijzigd/);
      assert.match(page.body, /Getuigen gesproken./);

      // The way through a formal investigation.
      assert.equal((await step("startAssessment")).statusCode, 303);
      assert.equal((await step("decideInvestigation", { investigationBy: "internal" })).statusCode, 303);
      const noApprover = await step("recordApproval", { approvedBy: "", approvedOn: "2026-01-05" });
      assert.equal(noApprover.statusCode, 422);
      assert.match(noApprover.body, /href="#field-approvedBy"/);
      assert.match(noApprover.body, /Vul in wie toestemming gaf./);
      assert.equal((await step("recordApproval", { approvedBy: "A. Secretaris", approvedOn: "2026-01-05" })).statusCode, 303);
      const noFindings = await step("concludeInvestigation");
      assert.equal(noFindings.statusCode, 422);
      assert.match(noFindings.body, /href="#field-findings"/);
      const halfRow = await step("concludeInvestigation", { "findings.0.allegation": "Te hoge declaraties", "findings.0.finding": "substantiated", "findings.2.allegation": "Valse bonnen" });
      assert.equal(halfRow.statusCode, 422);
      assert.match(halfRow.body, /href="#field-findings-2-finding"/, "the error lands at the row that was filled in");
      assert.match(halfRow.body, /id="field-findings-2-finding"/);
      assertUniqueIds(halfRow.body, "the findings form with errors");
      assert.equal((await step("concludeInvestigation", { "findings.0.allegation": "Te hoge declaraties", "findings.0.finding": "substantiated" })).statusCode, 303);
      assert.equal((await step("decideMeasures", { measures: "warning" })).statusCode, 303);

      // Closing before the feedback is refused (409, with the reason); after the feedback it closes.
      page = await c.get(url);
      assert.match(page.body, /<strong>Terugkoppelen en afsluiten<\/strong>/);
      const early = await step("close");
      assert.equal(early.statusCode, 409);
      assert.match(early.body, /Stuur eerst een terugkoppeling aan de melder/);
      const feedback = await c.post(`${url}/berichten`, { "message.body": "Uw melding is onderzocht en er zijn maatregelen genomen.", "message.feedback": "1" });
      assert.equal(feedback.statusCode, 303);
      page = await c.get(url);
      assert.match(page.body, /De terugkoppeling is verstuurd/);
      assert.match(page.body, /Terugkoppeling aan de melder<\/h3>/);
      assert.match(page.body, /Teruggekoppeld op/);
      const close = await step("close");
      assert.equal(close.statusCode, 303);
      page = await c.get(url);
      assert.match(page.body, /De melding is afgesloten./);
      assert.match(page.body, /<strong>Afgesloten<\/strong>/);
      assert.match(page.body, /De melding is afgesloten. U kunt de melder geen bericht meer sturen./);
      assert.match(page.body, /name="action" value="reopen"/);
      // The timeline tells the whole story in words, oldest first.
      assert.match(page.body, /het oudste eerst/);
      assert.match(page.body, /Besluiten: formeel onderzoek: status van ‘Vooronderzoek’ naar ‘Wacht op toestemming voor onderzoek’/);
      assert.match(page.body, /Intern onderzoeksbureau/);
      assert.match(page.body, /A. Secretaris/);
      assert.match(page.body, /Te hoge declaraties: <strong>Gegrond<\/strong>/);
      assert.match(page.body, /Waarschuwing/);
      const order = ["Ontvangstbevestiging aan de melder", "Toewijzing gewijzigd", "Bevindingen vastleggen:", "Melding afsluiten:"].map((s) => page.body.indexOf(s));
      assert.ok(order.every((p, i) => p > 0 && (i === 0 || p > order[i - 1]!)), `timeline order ${order}`);

      // Reopen needs a reason; a referral is recorded.
      const noReason = await step("reopen", { reason: "" });
      assert.equal(noReason.statusCode, 422);
      assert.match(noReason.body, /href="#field-reason"/);
      const refer = await c.post(`${url}/doorverwijzing`, { "refer.body": "huis_klokkenluiders", "refer.reason": "Op verzoek van de melder." });
      assert.equal(refer.statusCode, 303);
      page = await c.get(url);
      assert.match(page.body, /Doorverwezen naar Huis voor Klokkenluiders/);
      const events = await t.ctx.db.selectFrom("audit_events").select(["action", "details"]).where("object_id", "=", r.reportId).orderBy("seq").execute();
      for (const a of ["report.transition", "report.message", "report.note", "report.assign", "report.feedback", "report.refer"]) {
        assert.ok(events.some((e) => e.action === a), `audit has ${a}`);
      }
      const steps = events.filter((e) => e.action === "report.transition").map((e) => JSON.parse(e.details).step ?? JSON.parse(e.details).action);
      for (const s of ["acknowledge", "recordApproval", "concludeInvestigation", "close"]) assert.ok(steps.includes(s), `audit has the step ${s}: ${steps}`);
    });

    test("the coordinator's home page counts cases by deadline state, with links to the inbox", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Thuis");
      const coordinator = await signedIn(t.ctx, "coordinator", org.id);
      const a = await report(t.ctx, org, "Een.");
      await report(t.ctx, org, "Twee.");
      await t.ctx.db.updateTable("reports").set({ ack_due_on: "2020-02-01" }).where("id", "=", a.reportId).execute();
      const home = await new Client(t.app, coordinator.sessionToken).get("/");
      assert.equal(home.statusCode, 200);
      assert.match(home.body, /<a[^>]*href="\/meldingen\?deadline=overdue"[^>]*>Te laat: 1<\/a>/);
      assert.match(home.body, /<a[^>]*href="\/meldingen\?deadline=dueSoon"[^>]*>Termijn binnen 7 dagen: 1<\/a>/);
      assert.match(home.body, /<a[^>]*href="\/meldingen\?status=open"[^>]*>Open meldingen: 2<\/a>/);
      assert.doesNotMatch(home.body, /volgende versie/);
      const investigator = await signedIn(t.ctx, "investigator", org.id);
      const invHome = await new Client(t.app, investigator.sessionToken).get("/");
      assert.match(invHome.body, /href="\/onderzoeken"/);
    });
  });
}
