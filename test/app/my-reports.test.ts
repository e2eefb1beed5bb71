import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { newId } from "../../src/crypto/tokens.ts";
import { accountTag, intakeTarget } from "../../src/reports/intake.ts";
import { transition } from "../../src/reports/service.ts";
import { formatDate } from "../../src/ui/format.ts";
import { testApp } from "../helpers/app.ts";
import { Client } from "../helpers/client.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { makeOrganisation, signedIn } from "../helpers/fixtures.ts";
import { actorOf } from "../helpers/reports.ts";

// "Mijn meldingen": a signed-in employee reports openly or confidentially through the same questions as the public
// intake, gets no receipt, and follows the report under /mijn-meldingen. Nobody else finds it there, and a report made
// on the public form (also from a browser that is signed in) is never tied to the account.

const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
const h1 = (html: string) => /<h1[^>]*>(.*?)<\/h1>/s.exec(html)?.[1];
const fieldValue = (html: string, name: string) =>
  new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"|<input[^>]*value="([^"]*)"[^>]*name="${name}"`).exec(html)?.slice(1).find((v) => v !== undefined);

/** A browser going through the questions of one flow (the signed-in one by default): remembers the last page. */
class Walker extends Client {
  last!: LightMyRequestResponse;
  constructor(app: FastifyInstance, session?: string, readonly base = { step: "/mijn-meldingen/nieuw/stap", send: "/mijn-meldingen/nieuw/versturen" }) {
    super(app, session);
  }
  async open(url: string) { this.last = await this.get(url); return this.last; }
  async press(nav: string, fields: Record<string, string> = {}) {
    const form: Record<string, string> = { draft: hidden(this.last.body, "draft")!, step: hidden(this.last.body, "step")!, nav, ...fields };
    const from = hidden(this.last.body, "from");
    if (from) form.from = from;
    this.last = await this.post(this.base.step, form);
    return this.last;
  }
  next(fields: Record<string, string> = {}) { return this.press("next", fields); }
  async send() { this.last = await this.post(this.base.send, { draft: hidden(this.last.body, "draft")! }); return this.last; }
}

for (const { kind, skip } of DB_KINDS) {
  describe(`my reports (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    before(async () => { t = await testApp(kind); });
    after(async () => { await t?.close(); });

    /** An employee with a real display name, signed in. */
    async function employee(organisationId: string, name: string) {
      const e = await signedIn(t.ctx, "employee", organisationId);
      await t.ctx.db.updateTable("accounts").set({ display_name: name }).where("id", "=", e.id).execute();
      return e;
    }

    /** Answers every question up to the way to be known (the signed-in flow). */
    async function upToMode(w: Walker, slug: string) {
      const target = await intakeTarget(t.ctx, slug);
      let p = await w.open("/mijn-meldingen/nieuw");
      assert.equal(p.statusCode, 200);
      const answers: Record<string, string>[] = [{ categoryId: target.categories[0]!.id }, { description: "Mijn collega declareert reizen die hij niet maakt." },
        {}, {}, {}, { howKnown: "saw" }, { reportedBefore: "no" }, { concernsHandler: "no" }, {}];
      for (const f of answers) p = await w.next(f);
      return p;
    }

    test("an employee reports confidentially without a receipt and follows the report under Mijn meldingen", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Eigenwijs");
      const emp = await employee(org.id, "Eva de Vries");
      const w = new Walker(t.app, emp.sessionToken);

      // The home page and the navigation lead here.
      const home = await w.get("/");
      assert.match(home.body, /href="\/mijn-meldingen\/nieuw"[^>]*>Een vermoeden melden/);
      assert.match(home.body, /<nav[^>]*>.*href="\/mijn-meldingen"[^>]*>Mijn meldingen/s);

      // Nothing yet: how to report, anonymously through the public form, and the other ways.
      const empty = await w.get("/mijn-meldingen");
      assert.equal(empty.statusCode, 200);
      assert.equal(h1(empty.body), "Mijn meldingen");
      assert.match(empty.body, /data-testid="my-reports-empty"/);
      assert.match(empty.body, new RegExp(`href="/melden/${org.slug}"[^>]*>Naar het openbare meldformulier`));
      assert.match(empty.body, /Log dan eerst uit/);
      assert.match(empty.body, /vertrouwenspersoon/);
      assert.match(empty.body, /huisvoorklokkenluiders\.nl/);

      // The same questions as the public intake, under the signed-in addresses, one fewer (no notice address).
      let p = await w.open("/mijn-meldingen/nieuw");
      assert.equal(h1(p.body), "Waar gaat uw melding over?");
      assert.match(p.body, /Vraag 1 van 11/);
      assert.match(p.body, /U meldt als ingelogde medewerker bij het meldpunt van Gemeente Eigenwijs/);
      assert.match(p.body, /action="\/mijn-meldingen\/nieuw\/stap"/);
      assert.match(p.body, /Snel weg/);
      assert.doesNotMatch(p.body, new RegExp(`action="/melden/${org.slug}`));
      p = await upToMode(w, org.slug);
      assert.equal(h1(p.body), "Hoe wilt u bekend zijn?");
      assert.match(p.body, /Vraag 10 van 11/);
      assert.match(p.body, /value="open"/);
      assert.match(p.body, /value="confidential"/);
      assert.doesNotMatch(p.body, /value="anonymous"/);
      assert.match(p.body, /Log dan uit en gebruik het openbare meldformulier/);
      assert.match(p.body, new RegExp(`href="/melden/${org.slug}"`));
      // An edited form cannot choose anonymous here.
      const anonymous = await w.next({ mode: "anonymous" });
      assert.equal(anonymous.statusCode, 422);
      assert.match(anonymous.body, /Anoniem melden kan alleen zonder in te loggen/);

      // The name and address come from the account, and can be changed.
      p = await w.next({ mode: "confidential" });
      assert.equal(h1(p.body), "Uw naam en hoe wij u kunnen bereiken");
      assert.match(p.body, /Vraag 11 van 11/);
      assert.equal(fieldValue(p.body, "name"), "Eva de Vries");
      assert.equal(fieldValue(p.body, "email"), emp.email);
      assert.match(p.body, /U kunt ze aanpassen/);
      p = await w.next({ name: "Eva de Vries", email: "", phone: "06 12345678", relation: "employee" });
      // No question about a notice address: straight to the check page.
      assert.equal(h1(p.body), "Controleer uw antwoorden");
      assert.match(p.body, /Eva de Vries/);
      assert.match(p.body, /Vertrouwelijk/);
      assert.match(p.body, /action="\/mijn-meldingen\/nieuw\/versturen"/);
      assert.doesNotMatch(p.body, /seintje|nieuw bericht is/);

      const sent = await w.send();
      assert.equal(sent.statusCode, 200);
      assert.equal(h1(sent.body), "Uw melding is verstuurd");
      assert.doesNotMatch(sent.body, /data-testid="receipt"/);
      assert.doesNotMatch(sent.body, /meldingscode maar één keer|Uw meldingscode/);
      const row = await t.ctx.db.selectFrom("reports").selectAll().where("organisation_id", "=", org.id).executeTakeFirstOrThrow();
      assert.deepEqual([row.mode, row.status, row.channel, row.receipt_hash], ["confidential", "received", "web", null]);
      assert.equal(row.reporter_tag, accountTag(t.ctx, emp.id));
      assert.match(sent.body, new RegExp(`Het kenmerk van uw melding is ${row.reference}`));
      assert.match(sent.body, new RegExp(`Uiterlijk op ${formatDate(row.ack_due_on, "nl")} laten wij u onder ‘Mijn meldingen’ weten`));
      assert.match(sent.body, new RegExp(`href="/mijn-meldingen/${row.id}"[^>]*>Naar uw melding`));

      // Stored like any confidential report: the identity sealed apart, no notice address, and nothing written "by the
      // account": the timeline and the audit log say "the reporter", only the tag ties the case to the account.
      const entries = await t.ctx.db.selectFrom("report_entries").select(["kind", "author_type", "author_account_id", "sealed"]).where("report_id", "=", row.id).execute();
      assert.deepEqual(entries.map((e) => e.kind).sort(), ["content", "identity"]);
      assert.ok(entries.every((e) => e.author_type === "reporter" && e.author_account_id === null));
      assert.ok(entries.every((e) => !String(e.sealed).includes("Vries")));
      const events = await t.ctx.db.selectFrom("audit_events").selectAll().where("object_id", "=", row.id).execute();
      assert.deepEqual(events.map((e) => [e.action, e.actor_type, e.actor_id]), [["report.submit", "anonymous", null]]);
      assert.ok(!events.some((e) => e.details.includes(emp.id)));

      // The list: reference, organisation, date, how known, the status in words, and what comes next.
      let list = await w.get("/mijn-meldingen");
      assert.match(list.body, /data-testid="my-reports"/);
      assert.match(list.body, new RegExp(`href="/mijn-meldingen/${row.id}"[^>]*>${row.reference}`));
      assert.match(list.body, /Gemeente Eigenwijs/);
      assert.match(list.body, /Vertrouwelijk/);
      assert.match(list.body, new RegExp(`Ontvangen. Wij bevestigen de ontvangst uiterlijk op ${formatDate(row.ack_due_on, "nl")}.`));

      // The desk acknowledges; the employee reads it and answers.
      const coordinator = await signedIn(t.ctx, "coordinator", org.id);
      await transition(t.ctx, await actorOf(t.ctx, coordinator.id, org.id), row.id, { action: "acknowledge" });
      const acknowledged = await t.ctx.db.selectFrom("reports").selectAll().where("id", "=", row.id).executeTakeFirstOrThrow();
      list = await w.get("/mijn-meldingen");
      assert.match(list.body, /Ontvangst bevestigd/);
      assert.match(list.body, new RegExp(`Uiterlijk op ${formatDate(acknowledged.feedback_due_on!, "nl")} hoort u wat wij met uw melding doen`));

      let mine = await w.get(`/mijn-meldingen/${row.id}`);
      assert.equal(mine.statusCode, 200);
      assert.equal(h1(mine.body), `Uw melding ${row.reference}`);
      assert.match(mine.body, /href="\/mijn-meldingen"[^>]*>Terug naar Mijn meldingen/);
      assert.match(mine.body, /data-testid="mailbox-status"[^>]*>Ontvangst bevestigd/);
      assert.match(mine.body, /Bevestiging van ontvangst/);
      assert.match(mine.body, new RegExp(`Wij hebben uw melding ${row.reference} ontvangen`));
      assert.match(mine.body, new RegExp(`action="/mijn-meldingen/${row.id}/berichten"`));
      assert.match(mine.body, new RegExp(`action="/mijn-meldingen/${row.id}/bestanden"`));
      // The receipt mailbox's shell stays on the public pages: no link there, no "Afsluiten".
      assert.doesNotMatch(mine.body, /\/postbus/);
      assert.doesNotMatch(mine.body, /Afsluiten/);

      const blank = await w.post(`/mijn-meldingen/${row.id}/berichten`, { body: " " });
      assert.equal(blank.statusCode, 422);
      assert.match(blank.body, /Schrijf een bericht./);
      const replied = await w.post(`/mijn-meldingen/${row.id}/berichten`, { body: "Ik heb de reisdeclaraties van maart bewaard." });
      assert.equal(replied.statusCode, 303);
      assert.equal(replied.headers.location, `/mijn-meldingen/${row.id}`);
      const file = await w.postMultipart(`/mijn-meldingen/${row.id}/bestanden`, {}, { name: "declaraties.txt", content: "maart: 3 reizen", type: "text/plain" });
      assert.equal(file.statusCode, 303);
      mine = await w.get(`/mijn-meldingen/${row.id}`);
      assert.match(mine.body, /Ik heb de reisdeclaraties van maart bewaard./);
      assert.match(mine.body, /U stuurde een bestand/);
      assert.match(mine.body, /declaraties\.txt/);
      const replies = await t.ctx.db.selectFrom("report_entries").select(["kind", "author_type"]).where("report_id", "=", row.id)
        .where("kind", "in", ["message_in", "attachment"]).execute();
      assert.deepEqual(replies.map((e) => e.author_type), ["reporter", "reporter"]);

      // The coordinator's case page: the identity as the reporter gave it, every entry "by the reporter", never the tag.
      const desk = new Client(t.app, coordinator.sessionToken);
      const casePage = await desk.get(`/meldingen/${row.id}`);
      assert.equal(casePage.statusCode, 200);
      assert.match(casePage.body, /Eva de Vries/);
      assert.match(casePage.body, /door de melder/);
      assert.ok(!casePage.body.includes(row.reporter_tag!));
      assert.ok(!casePage.body.includes(emp.email));
    });

    test("nobody else finds an employee's report under Mijn meldingen, and a draft is bound to its account", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Buurman");
      const emp = await employee(org.id, "Ali Open");
      const w = new Walker(t.app, emp.sessionToken);
      await upToMode(w, org.slug);
      await w.next({ mode: "open" });
      await w.next({ name: "Ali Open", email: emp.email, phone: "", relation: "employee" });
      // Half-way, a colleague's browser gets hold of the draft: it does not open for them.
      const colleague = await employee(org.id, "Bo Buur");
      const other = new Walker(t.app, colleague.sessionToken);
      await other.get("/mijn-meldingen");
      const stolen = await other.post("/mijn-meldingen/nieuw/stap", { draft: hidden(w.last.body, "draft")!, step: "check", nav: "goto", target: "identity" });
      assert.equal(stolen.statusCode, 400);
      assert.match(stolen.body, /Wij konden uw antwoorden niet lezen/);
      assert.doesNotMatch(stolen.body, /Ali Open/);
      const sent = await w.send();
      assert.equal(sent.statusCode, 200);
      const row = await t.ctx.db.selectFrom("reports").selectAll().where("organisation_id", "=", org.id).executeTakeFirstOrThrow();
      assert.equal(row.mode, "open");

      const list = await other.get("/mijn-meldingen");
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /data-testid="my-reports-empty"/);
      assert.ok(!list.body.includes(row.reference));
      for (const res of [
        await other.get(`/mijn-meldingen/${row.id}`),
        await other.get(`/mijn-meldingen/${row.id}/berichten`),
        await other.post(`/mijn-meldingen/${row.id}/berichten`, { body: "Dit is niet van mij." }),
        await other.postMultipart(`/mijn-meldingen/${row.id}/bestanden`, {}, { name: "x.txt", content: "x", type: "text/plain" }),
        await other.get(`/mijn-meldingen/${newId()}`),
      ]) {
        assert.equal(res.statusCode, 404);
        assert.ok(!res.body.includes(row.reference));
      }
      const written = await t.ctx.db.selectFrom("report_entries").select("kind").where("report_id", "=", row.id).where("kind", "in", ["message_in", "attachment"]).execute();
      assert.equal(written.length, 0);
      // The owner still can.
      assert.equal((await w.get(`/mijn-meldingen/${row.id}`)).statusCode, 200);
    });

    test("a report on the public form, from a browser that is signed in, is not tied to the account", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Dubbel");
      const target = await intakeTarget(t.ctx, org.slug);
      const emp = await employee(org.id, "Sam Stil");
      const w = new Walker(t.app, emp.sessionToken, { step: `/melden/${org.slug}/stap`, send: `/melden/${org.slug}/versturen` });
      await w.open(`/melden/${org.slug}`);
      w.last = await w.post(`/melden/${org.slug}/stap`, { nav: "start" });
      assert.match(w.last.body, /Vraag 1 van 12/);
      const answers: Record<string, string>[] = [{ categoryId: target.categories[0]!.id }, { description: "Anoniem, ook al ben ik ingelogd." }, {}, {}, {},
        { howKnown: "heard_from_others" }, { reportedBefore: "no" }, { concernsHandler: "no" }, {}, { mode: "anonymous" }, { noticeEmail: "" }];
      for (const f of answers) await w.next(f);
      const publicDraft = hidden(w.last.body, "draft")!;
      const sent = await w.send();
      assert.equal(sent.statusCode, 200);
      assert.match(sent.body, /data-testid="receipt"/);
      const row = await t.ctx.db.selectFrom("reports").selectAll().where("organisation_id", "=", org.id).executeTakeFirstOrThrow();
      assert.equal(row.reporter_tag, null);
      const list = await w.get("/mijn-meldingen");
      assert.match(list.body, /data-testid="my-reports-empty"/);
      assert.ok(!list.body.includes(row.reference));
      assert.equal((await w.get(`/mijn-meldingen/${row.id}`)).statusCode, 404);
      // A public draft does not open in the signed-in flow either.
      const carried = await w.post("/mijn-meldingen/nieuw/versturen", { draft: publicDraft });
      assert.equal(carried.statusCode, 400);
      assert.match(carried.body, /Wij konden uw antwoorden niet lezen/);
      assert.equal((await t.ctx.db.selectFrom("reports").select("id").where("organisation_id", "=", org.id).execute()).length, 1);
    });

    test("the language switch on a question keeps the answers and changes the account's language", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Taal");
      const emp = await employee(org.id, "Lou Lingua");
      const w = new Walker(t.app, emp.sessionToken);
      const p = await upToMode(w, org.slug);
      assert.equal(h1(p.body), "Hoe wilt u bekend zijn?");
      const en = await w.press("lang", { locale: "en" });
      assert.equal(en.statusCode, 200);
      assert.equal(h1(en.body), "How do you want to be known?");
      assert.match(en.body, /Question 10 of 11/);
      const list = await w.get("/mijn-meldingen");
      assert.equal(h1(list.body), "My reports");
    });

    test("roles without report.create get 403; the employee card and menu are theirs only", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Beheer");
      const admin = await signedIn(t.ctx, "admin", org.id);
      const c = new Client(t.app, admin.sessionToken);
      for (const url of ["/mijn-meldingen", "/mijn-meldingen/nieuw", `/mijn-meldingen/${newId()}`]) assert.equal((await c.get(url)).statusCode, 403, url);
      const home = await c.get("/");
      assert.doesNotMatch(home.body, /mijn-meldingen/);
      // Signed out: the sign-in form, never the page.
      assert.equal((await new Client(t.app).get("/mijn-meldingen")).statusCode, 401);
    });
  });
}
