import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { LightMyRequestResponse } from "fastify";
import { intakeTarget } from "../../src/reports/intake.ts";
import { transition } from "../../src/reports/service.ts";
import { formatDate } from "../../src/ui/format.ts";
import { testApp } from "../helpers/app.ts";
import { Client } from "../helpers/client.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { makeOrganisation, makeUnit, signedIn } from "../helpers/fixtures.ts";
import { orgRole } from "../helpers/reports.ts";

// The public intake and the reporter's mailbox, through the real app: one question per page, the answers
// carried in a sealed hidden field, the receipt shown once, and the mailbox opened with it.

const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
const h1 = (html: string) => /<h1[^>]*>(.*?)<\/h1>/s.exec(html)?.[1];

/** A reporter's browser on the intake: remembers the last page, and answers its question. */
class Reporter extends Client {
  last!: LightMyRequestResponse;
  constructor(app: ConstructorParameters<typeof Client>[0], readonly slug: string) { super(app); }
  async open() { this.last = await this.get(`/melden/${this.slug}`); return this.last; }
  async start() { this.last = await this.post(`/melden/${this.slug}/stap`, { nav: "start" }); return this.last; }
  /** Presses a button on the current page (the draft and step it carries go along). */
  async press(nav: string, fields: Record<string, string> = {}) {
    const form: Record<string, string> = { draft: hidden(this.last.body, "draft")!, step: hidden(this.last.body, "step")!, nav, ...fields };
    const from = hidden(this.last.body, "from");
    if (from) form.from = from;
    this.last = await this.post(`/melden/${this.slug}/stap`, form);
    return this.last;
  }
  next(fields: Record<string, string> = {}) { return this.press("next", fields); }
  async send() {
    this.last = await this.post(`/melden/${this.slug}/versturen`, { draft: hidden(this.last.body, "draft")! });
    return this.last;
  }
}

for (const { kind, skip } of DB_KINDS) {
  describe(`public intake and mailbox (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    before(async () => { t = await testApp(kind); });
    after(async () => { await t?.close(); });

    test("an anonymous reporter answers every question, checks, sends, and follows up in the mailbox", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Meldstad");
      const unit = await makeUnit(t.ctx, org.id, "Burgerzaken");
      const target = await intakeTarget(t.ctx, org.slug);
      const fraud = target.categories.find((c) => c.label_nl.startsWith("Fraude"))!;
      const r = new Reporter(t.app, org.slug);

      const start = await r.open();
      assert.equal(start.statusCode, 200);
      assert.equal(h1(start.body), "Een vermoeden melden bij Gemeente Meldstad");
      assert.match(start.body, /<a class="intact-quick-exit" href="https:\/\/nos.nl\/" rel="noreferrer">Snel weg/);
      assert.match(start.body, /Vertrouwelijk/);
      assert.match(start.body, /Anoniem/);
      assert.match(start.body, /Huis voor Klokkenluiders/);
      assert.match(start.body, new RegExp(`href="/melden/${org.slug}/postbus"[^>]*>Ik heb al een meldingscode`));
      assert.match(start.body, /Fraude, diefstal of verduistering/);
      assert.equal(start.headers["cache-control"], "no-store");
      // A visitor without any session gets no sign-out and no staff navigation.
      assert.doesNotMatch(start.body, /Uitloggen/);

      let p = await r.start();
      assert.equal(p.statusCode, 200);
      assert.equal(h1(p.body), "Waar gaat uw melding over?");
      assert.match(p.body, /Vraag 1 van 12/);
      assert.match(p.body, /Gemeente Meldstad/);
      assert.match(p.body, /Snel weg/);
      assert.match(p.body, /Ongewenst gedrag/);

      // No choice: the same question again, 422, the summary linking to the first radio, the error at the field.
      p = await r.next();
      assert.equal(p.statusCode, 422);
      assert.match(p.body, /Er is een probleem/);
      assert.match(p.body, /href="#field-categoryId">Kies waar uw melding over gaat./);
      assert.match(p.body, /id="field-categoryId-error"[^>]*>Kies waar uw melding over gaat./);
      assert.match(p.body, /id="field-categoryId"/);

      p = await r.next({ categoryId: fraud.id });
      assert.equal(h1(p.body), "Wat is er gebeurd?");
      assert.match(p.body, /Vraag 2 van 12/);
      p = await r.next({ description: "Er verdwijnt geld uit de kas.\nAl maanden." });
      assert.equal(h1(p.body), "Wanneer is het gebeurd?");
      p = await r.next({ occurredOn: "", occurredWhen: "voorjaar" });
      assert.equal(h1(p.body), "Waar is het gebeurd?");
      assert.match(p.body, /<option value="[^"]+"[^>]*>Burgerzaken<\/option>/);

      // "Terug" keeps what was typed here and what was answered before.
      p = await r.press("back", { unitId: unit.id, location: "Stadskantoor" });
      assert.equal(p.statusCode, 200);
      assert.equal(h1(p.body), "Wanneer is het gebeurd?");
      assert.match(p.body, /name="occurredWhen" [^>]*value="voorjaar"|value="voorjaar"[^>]*name="occurredWhen"/);
      p = await r.next({ occurredOn: "", occurredWhen: "voorjaar" });
      assert.equal(h1(p.body), "Waar is het gebeurd?");
      assert.match(p.body, /value="Stadskantoor"/);
      assert.match(p.body, new RegExp(`<option value="${unit.id}"[^>]* selected="">Burgerzaken`));

      p = await r.next({ unitId: unit.id, location: "Stadskantoor" });
      assert.equal(h1(p.body), "Wie zijn erbij betrokken?");
      p = await r.next({ involved: "" });
      assert.equal(h1(p.body), "Hoe weet u dit?");
      p = await r.next({ howKnown: "saw", howKnownDetail: "" });
      assert.equal(h1(p.body), "Heeft u dit al eerder gemeld?");
      p = await r.next({ reportedBefore: "no", reportedBeforeDetail: "" });
      assert.equal(h1(p.body), "Gaat uw melding over iemand die meldingen behandelt?");
      // No alternative recipient is set: the page says where to go instead, and "yes" is refused here already.
      assert.match(p.body, /heeft nog niemand anders aangewezen/);
      const yes = await r.next({ concernsHandler: "yes" });
      assert.equal(yes.statusCode, 422);
      assert.match(yes.body, /Huis voor Klokkenluiders/);
      p = await r.next({ concernsHandler: "no" });
      // Files are optional: "Volgende" without one goes on (attachments.test.ts adds them).
      assert.equal(h1(p.body), "Wilt u bestanden meesturen?");
      assert.match(p.body, /Vraag 9 van 12/);
      p = await r.next();
      assert.equal(h1(p.body), "Hoe wilt u bekend zijn?");
      assert.match(p.body, /Vraag 10 van 12/);
      p = await r.next({ mode: "anonymous" });
      // Anonymous: no name and contact question.
      assert.equal(h1(p.body), "Wilt u een e-mail als er een nieuw bericht is?");
      assert.match(p.body, /Vraag 11 van 11/);
      assert.match(p.body, /Een e-mailadres met uw naam erin/);
      assert.match(p.body, /nooit wat er in het bericht staat|Wat er in het bericht staat, leest u nooit/);
      p = await r.next({ noticeEmail: "" });
      assert.equal(h1(p.body), "Controleer uw antwoorden");
      assert.match(p.body, /Fraude, diefstal of verduistering/);
      assert.match(p.body, /Er verdwijnt geld uit de kas.\nAl maanden./);
      assert.match(p.body, /Burgerzaken/);
      assert.match(p.body, /Anoniem/);
      assert.doesNotMatch(p.body, /Uw gegevens/);

      // "Wijzigen" opens one question and "Volgende" returns to the check page.
      p = await r.press("goto", { target: "when" });
      assert.equal(h1(p.body), "Wanneer is het gebeurd?");
      assert.equal(hidden(p.body, "from"), "check");
      const badDate = await r.next({ occurredOn: "1 maart", occurredWhen: "voorjaar" });
      assert.equal(badDate.statusCode, 422);
      assert.match(badDate.body, /Vul een datum in als jjjj-mm-dd/);
      p = await r.next({ occurredOn: "2024-03-01", occurredWhen: "voorjaar" });
      assert.equal(h1(p.body), "Controleer uw antwoorden");
      assert.match(p.body, /2024-03-01/);

      const sent = await r.send();
      assert.equal(sent.statusCode, 200);
      assert.equal(h1(sent.body), "Uw melding is verstuurd");
      const grouped = /data-testid="receipt">(\d{4} \d{4} \d{4} \d{4})</.exec(sent.body)?.[1];
      assert.ok(grouped, "the receipt is shown, grouped");
      const receipt = grouped!.replace(/ /g, "");
      assert.match(sent.body, /U ziet de code maar één keer/);
      // The receipt never goes into a header: no redirect, no cookie.
      assert.equal(sent.headers.location, undefined);
      assert.ok(!JSON.stringify(sent.headers).includes(receipt));

      const row = await t.ctx.db.selectFrom("reports").selectAll().where("organisation_id", "=", org.id).executeTakeFirstOrThrow();
      assert.deepEqual([row.status, row.mode, row.unit_id, row.category_id], ["received", "anonymous", unit.id, fraud.id]);
      assert.ok(row.receipt_hash && !row.receipt_hash.includes(receipt));
      const kinds = (await t.ctx.db.selectFrom("report_entries").select("kind").where("report_id", "=", row.id).execute()).map((e) => e.kind);
      assert.ok(kinds.includes("content"));
      assert.ok(!kinds.includes("identity"));
      assert.match(sent.body, new RegExp(`Het kenmerk van uw melding is ${row.reference}`));
      assert.match(sent.body, new RegExp(`Uiterlijk op ${formatDate(row.ack_due_on, "nl")}`));
      assert.match(sent.body, /Binnen 3 maanden daarna/);
      assert.match(sent.body, new RegExp(`href="/melden/${org.slug}/postbus"`));

      // The mailbox, from a fresh browser.
      const m = new Client(t.app);
      const form = await m.get(`/melden/${org.slug}/postbus`);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /name="receipt"/);
      assert.match(form.body, /Snel weg/);
      const noSession = await m.get(`/melden/${org.slug}/postbus/berichten`);
      assert.equal(noSession.statusCode, 303);
      assert.equal(noSession.headers.location, `/melden/${org.slug}/postbus`);

      const wrong = await m.post(`/melden/${org.slug}/postbus`, { receipt: "0000 0000 0000 0000" });
      assert.equal(wrong.statusCode, 422);
      assert.match(wrong.body, /Deze meldingscode kennen wij niet/);
      assert.ok(!m.cookies.has("intact_mailbox"));

      const opened = await m.post(`/melden/${org.slug}/postbus`, { receipt: grouped! });
      assert.equal(opened.statusCode, 303);
      assert.equal(opened.headers.location, `/melden/${org.slug}/postbus/berichten`);
      const cookie = String(opened.headers["set-cookie"]);
      assert.match(cookie, new RegExp(`intact_mailbox=[^;]+; Path=/melden/${org.slug}/postbus; HttpOnly; SameSite=Strict`));

      let box = await m.get(`/melden/${org.slug}/postbus/berichten`);
      assert.equal(box.statusCode, 200);
      assert.match(box.body, new RegExp(`Uw melding ${row.reference}`));
      assert.match(box.body, new RegExp(`Ontvangen. Wij bevestigen de ontvangst uiterlijk op ${formatDate(row.ack_due_on, "nl")}.`));
      assert.match(box.body, /Er zijn nog geen berichten/);
      assert.match(box.body, /Afsluiten/);

      const empty = await m.post(`/melden/${org.slug}/postbus/berichten`, { body: "  " });
      assert.equal(empty.statusCode, 422);
      assert.match(empty.body, /Schrijf een bericht./);
      const replied = await m.post(`/melden/${org.slug}/postbus/berichten`, { body: "Ik heb nog een <b>bon</b>.\nZie hierboven." });
      assert.equal(replied.statusCode, 303);
      box = await m.get(`/melden/${org.slug}/postbus/berichten`);
      assert.match(box.body, /Uw bericht is verstuurd/);
      assert.match(box.body, /Ik heb nog een &lt;b&gt;bon&lt;\/b&gt;.\nZie hierboven./);

      // The desk acknowledges: the status and the acknowledgement appear in words.
      const coordinator = await orgRole(t.ctx, "coordinator", org.id);
      await transition(t.ctx, coordinator, row.id, { action: "acknowledge" });
      box = await m.get(`/melden/${org.slug}/postbus/berichten`);
      assert.match(box.body, /Ontvangst bevestigd/);
      assert.match(box.body, /Meldpunt Gemeente Meldstad/);
      assert.match(box.body, new RegExp(`Wij hebben uw melding ${row.reference} ontvangen`));

      // A spaced code works as well as a bare one.
      const again = await new Client(t.app);
      await again.get(`/melden/${org.slug}/postbus`);
      const bare = await again.post(`/melden/${org.slug}/postbus`, { receipt });
      assert.equal(bare.statusCode, 303);

      const out = await m.post(`/melden/${org.slug}/postbus/afsluiten`, {});
      assert.equal(out.statusCode, 303);
      assert.equal(out.headers.location, `/melden/${org.slug}`);
      assert.ok(!m.cookies.has("intact_mailbox"));
      const back = await m.get(`/melden/${org.slug}`);
      assert.match(back.body, /Uw postbus is afgesloten/);
      const gone = await m.get(`/melden/${org.slug}/postbus/berichten`);
      assert.equal(gone.statusCode, 303);
      assert.equal(gone.headers.location, `/melden/${org.slug}/postbus`);
      assert.equal(await t.ctx.db.selectFrom("mailbox_sessions").select("token_hash").where("report_id", "=", row.id).execute().then((s) => s.length), 1);
    });

    test("a confidential reporter must give a name, which is stored apart from the report", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Vertrouwen");
      const target = await intakeTarget(t.ctx, org.slug);
      const r = new Reporter(t.app, org.slug);
      await r.open();
      await r.start();
      await r.next({ categoryId: target.categories[0]!.id });
      await r.next({ description: "Mijn leidinggevende neemt geschenken aan." });
      await r.next({});
      await r.next({});
      await r.next({});
      await r.next({ howKnown: "affected" });
      await r.next({ reportedBefore: "yes", reportedBeforeDetail: "Bij HR, zonder gevolg." });
      await r.next({ concernsHandler: "no" });
      await r.next({});
      let p = await r.next({ mode: "confidential" });
      assert.equal(h1(p.body), "Uw naam en hoe wij u kunnen bereiken");
      assert.match(p.body, /Vraag 11 van 12/);
      p = await r.next({ name: "", email: "", phone: "", relation: "employee" });
      assert.equal(p.statusCode, 422);
      assert.match(p.body, /Vul uw naam in./);
      p = await r.next({ name: "Jan Jansen", email: "geen-adres", phone: "", relation: "employee" });
      assert.equal(p.statusCode, 422);
      assert.match(p.body, /Vul een geldig e-mailadres in/);
      assert.match(p.body, /value="Jan Jansen"/);
      p = await r.next({ name: "Jan Jansen", email: "jan@example.test", phone: "", relation: "employee" });
      assert.equal(h1(p.body), "Wilt u een e-mail als er een nieuw bericht is?");
      assert.match(p.body, /Vraag 12 van 12/);
      assert.doesNotMatch(p.body, /U meldt anoniem/);
      p = await r.next({ noticeEmail: "" });
      assert.equal(h1(p.body), "Controleer uw antwoorden");
      assert.match(p.body, /Jan Jansen/);
      assert.match(p.body, /Ik werk er/);
      // The draft carries the name, but sealed: it never appears in the page in the clear outside the summary.
      assert.ok(!hidden(p.body, "draft")!.includes("Jansen"));

      const sent = await r.send();
      assert.equal(sent.statusCode, 200);
      assert.match(sent.body, /data-testid="receipt">\d{4} \d{4} \d{4} \d{4}</);
      const row = await t.ctx.db.selectFrom("reports").selectAll().where("organisation_id", "=", org.id).executeTakeFirstOrThrow();
      assert.equal(row.mode, "confidential");
      const entries = await t.ctx.db.selectFrom("report_entries").select(["kind", "sealed"]).where("report_id", "=", row.id).execute();
      assert.equal(entries.filter((e) => e.kind === "identity").length, 1);
      assert.ok(entries.every((e) => !String(e.sealed).includes("Jansen")));
    });

    test("choosing open from the check page asks for the name before returning there", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Wissel");
      const target = await intakeTarget(t.ctx, org.slug);
      const r = new Reporter(t.app, org.slug);
      await r.open();
      await r.start();
      const answers: Record<string, string>[] = [{ categoryId: target.categories[0]!.id }, { description: "Iets" }, {}, {}, {}, { howKnown: "saw" }, { reportedBefore: "no" }, { concernsHandler: "no" }, {}, { mode: "anonymous" }, {}];
      for (const f of answers) await r.next(f);
      assert.equal(h1(r.last.body), "Controleer uw antwoorden");
      await r.press("goto", { target: "mode" });
      let p = await r.next({ mode: "open" });
      assert.equal(h1(p.body), "Uw naam en hoe wij u kunnen bereiken");
      // "Terug" from a changed question returns to the check page; sending then names what is missing.
      p = await r.press("back", { name: "", relation: "" });
      assert.equal(h1(p.body), "Controleer uw antwoorden");
      const refused = await r.send();
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /Uw gegevens: (<!-- -->)?Vul uw naam in./);
      assert.match(refused.body, /href="#field-identity-name"/);
      assert.match(refused.body, /id="field-identity-name"/);
      assert.equal((await t.ctx.db.selectFrom("reports").select("id").where("organisation_id", "=", org.id).execute()).length, 0);
      p = await r.press("goto", { target: "identity" });
      p = await r.next({ name: "Piet Open", relation: "external" });
      assert.equal(h1(p.body), "Controleer uw antwoorden");
      assert.equal((await r.send()).statusCode, 200);
    });

    test("a tampered or foreign draft starts over with a clear message, never a 500", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Knoei");
      const other = await makeOrganisation(t.ctx, "Gemeente Anders");
      const r = new Reporter(t.app, org.slug);
      await r.open();
      const first = await r.start();
      const draft = hidden(first.body, "draft")!;
      // Change the second-to-last character for certain (it was once set to "A" when it already was "A": a 1 in 64 flake).
      const flipped = draft.slice(0, -2) + (draft.at(-2) === "A" ? "B" : "A") + draft.slice(-1);
      assert.notEqual(flipped, draft);
      for (const bad of [flipped, "v1.abc.def.ghi", "niets", ""]) {
        const res = await r.post(`/melden/${org.slug}/stap`, { draft: bad, step: "category", nav: "next", categoryId: "x" });
        assert.equal(res.statusCode, 400, bad);
        assert.match(res.body, /Wij konden uw antwoorden niet lezen/);
        assert.match(res.body, /Begin daarom opnieuw/);
        const send = await r.post(`/melden/${org.slug}/versturen`, { draft: bad });
        assert.equal(send.statusCode, 400);
      }
      // A draft of one organisation does not open at another's address.
      const foreign = await r.post(`/melden/${other.slug}/stap`, { draft, step: "category", nav: "next" });
      assert.equal(foreign.statusCode, 400);
      // An unknown step is not trusted either.
      const step = await r.post(`/melden/${org.slug}/stap`, { draft, step: "nonsense", nav: "next" });
      assert.equal(step.statusCode, 400);
    });

    test("an unknown organisation is 404; a POST without the form token is refused", async () => {
      const c = new Client(t.app);
      const res = await c.get("/melden/bestaat-niet");
      assert.equal(res.statusCode, 404);
      assert.equal((await c.get("/melden/bestaat-niet/postbus")).statusCode, 404);
      assert.equal((await c.post("/melden/bestaat-niet/stap", { nav: "start" })).statusCode, 404);
      const org = await makeOrganisation(t.ctx, "Gemeente Token");
      const noToken = await c.post(`/melden/${org.slug}/stap`, { nav: "start" }, { csrf: false });
      assert.equal(noToken.statusCode, 403);
    });

    test("the pages follow the chosen language; switching on a question keeps the answers", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Taal");
      const target = await intakeTarget(t.ctx, org.slug);
      const r = new Reporter(t.app, org.slug);
      r.cookies.set("intact_lang", "en");
      const start = await r.open();
      assert.match(start.body, /<html lang="en"/);
      assert.equal(h1(start.body), "Report a concern to Gemeente Taal");
      assert.match(start.body, /Leave quickly/);
      let p = await r.start();
      assert.equal(h1(p.body), "What is your report about?");
      assert.match(p.body, /Question 1 of 12/);
      assert.match(p.body, /Fraud, theft or embezzlement/);
      assert.match(p.body, /Unwanted behaviour/);
      p = await r.next({ categoryId: target.categories[0]!.id });
      assert.equal(h1(p.body), "What happened?");
      // The language switch of a question page posts the draft along and shows the same question in Dutch.
      const sw = /<form class="intact-inline-form" action="\/melden\/[^"]+\/stap" method="post">(.*?)<\/form>/s.exec(p.body)![1]!;
      assert.equal(hidden(sw, "nav"), "lang");
      p = await r.post(`/melden/${org.slug}/stap`, { draft: hidden(sw, "draft")!, step: hidden(sw, "step")!, nav: "lang", locale: "nl" });
      r.last = p;
      assert.equal(p.statusCode, 200);
      assert.match(p.body, /<html lang="nl"/);
      assert.equal(h1(p.body), "Wat is er gebeurd?");
      assert.equal(r.cookies.get("intact_lang"), "nl");
      p = await r.press("back");
      assert.match(p.body, new RegExp(`checked="" value="${target.categories[0]!.id}"`));

      // The start and mailbox pages switch language at the intake's own sessionless address, back to the same page.
      const box = await r.get(`/melden/${org.slug}/postbus`);
      assert.match(box.body, new RegExp(`action="/melden/${org.slug}/taal"`));
      assert.doesNotMatch(box.body, /action="\/taal"/);
      const toEn = await r.post(`/melden/${org.slug}/taal`, { locale: "en", return: `/melden/${org.slug}/postbus` });
      assert.equal(toEn.statusCode, 303);
      assert.equal(toEn.headers.location, `/melden/${org.slug}/postbus`);
      assert.equal(r.cookies.get("intact_lang"), "en");
      assert.equal(h1((await r.get(`/melden/${org.slug}/postbus`)).body), "Your mailbox");
      for (const elsewhere of ["//evil.example/", "/beheer/accounts", `/melden/${org.slug}x`]) {
        assert.equal((await r.post(`/melden/${org.slug}/taal`, { locale: "nl", return: elsewhere })).headers.location, `/melden/${org.slug}`);
      }
    });

    test("a signed-in employee's session is not used on the public intake", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Sessie");
      const employee = await signedIn(t.ctx, "employee", org.id);
      const c = new Client(t.app, employee.sessionToken);
      const home = await c.get("/");
      assert.match(home.body, /Uitloggen/);
      const start = await c.get(`/melden/${org.slug}`);
      assert.equal(start.statusCode, 200);
      assert.doesNotMatch(start.body, /Uitloggen/);
      // Anonymous reporting stays possible: the intake never sees the session.
      const r = new Reporter(t.app, org.slug);
      r.cookies.set("intact_session", employee.sessionToken);
      await r.open();
      const p = await r.start();
      assert.equal(p.statusCode, 200);
    });

    test("failed receipt checks are limited per client, with 429 and a clear message", async () => {
      const t2 = await testApp(kind, { RECEIPT_MAX_FAILURES: "2" });
      try {
        const org = await makeOrganisation(t2.ctx, "Gemeente Slot");
        const c = new Client(t2.app);
        await c.get(`/melden/${org.slug}/postbus`);
        for (let i = 0; i < 2; i++) assert.equal((await c.post(`/melden/${org.slug}/postbus`, { receipt: "1111222233334444" })).statusCode, 422);
        const blocked = await c.post(`/melden/${org.slug}/postbus`, { receipt: "1111222233334444" });
        assert.equal(blocked.statusCode, 429);
        assert.match(blocked.body, /Er zijn te veel pogingen gedaan/);
      } finally {
        await t2.close();
      }
    });
  });
}
