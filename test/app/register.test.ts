import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { addDays, today } from "../../src/reports/deadlines.ts";
import { ensureSettings, intakeTarget } from "../../src/reports/intake.ts";
import * as repo from "../../src/reports/repository.ts";
import { formatDate } from "../../src/ui/format.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { testApp } from "../helpers/app.ts";
import { Client } from "../helpers/client.ts";
import { makeOrganisation, signedIn } from "../helpers/fixtures.ts";

// The desk's form for a report that came in another way, the page that shows a report code once, and the
// minutes of an oral report: approved or corrected in the reporter's mailbox, a new version on the case page.

type Org = { id: string; name: string; slug: string };

/** Every id on a page is unique, and every label, error link and aria reference points at one. */
function assertUniqueIds(html: string, label: string) {
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
  assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], `duplicate ids on ${label}`);
  for (const m of html.matchAll(/(?:for|aria-labelledby|aria-describedby)="([^"]+)"/g)) {
    for (const ref of m[1]!.split(" ")) assert.ok(ids.includes(ref), `${label}: reference to a missing id ${ref}`);
  }
}

async function form(t: { ctx: Parameters<typeof intakeTarget>[0] }, org: Org, over: Record<string, string> = {}): Promise<Record<string, string>> {
  const target = await intakeTarget(t.ctx, org.slug);
  return {
    channel: "phone", receivedOn: addDays(today(), -2), categoryId: target.categories[0]!.id,
    description: "De melder belde: een collega neemt 's avonds gereedschap mee naar huis.", occurredOn: "", occurredWhen: "sinds maart",
    location: "", involved: "", howKnown: "saw", howKnownDetail: "", reportedBefore: "no", reportedBeforeDetail: "", concernsHandler: "no",
    mode: "anonymous", name: "", email: "", phone: "", relation: "", locale: "nl", ...over,
  };
}

for (const { kind, skip } of DB_KINDS) {
  describe(`registering a report on the desk's form (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    before(async () => { t = await testApp(kind); });
    after(async () => { await t?.close(); });

    test("the form: one page with fieldsets, linked from the inbox and the home page; only for coordinators", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Formulier");
      const c = new Client(t.app, (await signedIn(t.ctx, "coordinator", org.id)).sessionToken);
      const page = await c.get("/meldingen/nieuw");
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<h1[^>]*>Melding registreren<\/h1>/);
      for (const name of ["channel", "receivedOn", "consent", "categoryId", "description", "howKnown", "reportedBefore", "concernsHandler", "mode", "name", "relation", "receipt"]) {
        assert.match(page.body, new RegExp(`name="${name}"`), name);
      }
      assert.doesNotMatch(page.body, /name="channel" value="web"/);
      assert.match(page.body, new RegExp(`name="receivedOn"[^>]*value="${today()}"`));
      assert.equal((page.body.match(/<fieldset/g) ?? []).length >= 5, true);
      assert.match(page.body, /U kunt de melding daarna zelf niet meer openen|nog niemand aangewezen/);
      assertUniqueIds(page.body, "the register form");

      assert.match((await c.get("/meldingen")).body, /href="\/meldingen\/nieuw"[^>]*>Melding registreren/);
      assert.match((await c.get("/")).body, /href="\/meldingen\/nieuw"[^>]*>Melding registreren/);
      const admin = new Client(t.app, (await signedIn(t.ctx, "admin", org.id)).sessionToken);
      assert.equal((await admin.get("/meldingen/nieuw")).statusCode, 403);
      assert.equal((await admin.post("/meldingen/nieuw", await form(t, org))).statusCode, 403);
      const investigator = new Client(t.app, (await signedIn(t.ctx, "investigator", org.id)).sessionToken);
      assert.equal((await investigator.get("/meldingen/nieuw")).statusCode, 403);
    });

    test("an invalid form comes back with 422, an error summary that links to the fields, and what was typed", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Fout");
      const c = new Client(t.app, (await signedIn(t.ctx, "coordinator", org.id)).sessionToken);
      await c.get("/meldingen/nieuw");
      const bad = await c.post("/meldingen/nieuw", await form(t, org, {
        channel: "advisor", receivedOn: addDays(today(), 3), mode: "open", categoryId: "", description: "Iets over het zwembad.",
      }));
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /Er is een probleem/);
      for (const [field, text] of [
        ["consent", "Vink aan dat de melder toestemming gaf"], ["receivedOn", "niet later zijn dan vandaag"],
        ["categoryId", "Kies het onderwerp van de melding"], ["name", "Vul de naam van de melder in"],
      ] as const) {
        assert.match(bad.body, new RegExp(`href="#field-${field}">[^<]*<!-- -->[^<]*${text}`), field);
      }
      assert.match(bad.body, />Iets over het zwembad.<\/textarea>/);
      assert.match(bad.body, /name="channel" checked="" value="advisor"/);
      assert.match(bad.body, /name="mode" checked="" value="open"/);
      assertUniqueIds(bad.body, "the register form with errors");
      assert.equal(await t.ctx.db.selectFrom("reports").select("id").where("organisation_id", "=", org.id).execute().then((r) => r.length), 0);
    });

    test("a phone report without a code: to the case page with a word, the clock from the day it came in, the minutes waiting", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Zonder Code");
      const c = new Client(t.app, (await signedIn(t.ctx, "coordinator", org.id)).sessionToken);
      await c.get("/meldingen/nieuw");
      const receivedOn = addDays(today(), -2);
      const saved = await c.post("/meldingen/nieuw", await form(t, org, { receivedOn }));
      assert.equal(saved.statusCode, 303);
      const row = await t.ctx.db.selectFrom("reports").selectAll().where("organisation_id", "=", org.id).executeTakeFirstOrThrow();
      assert.equal(saved.headers.location, `/meldingen/${row.id}`);
      assert.equal(row.ack_due_on, addDays(receivedOn, 7));
      assert.equal(row.receipt_hash, null);
      const page = await c.get(`/meldingen/${row.id}`);
      assert.match(page.body, /De melding is geregistreerd/);
      assert.match(page.body, /Telefoon/);
      assert.match(page.body, /href="#verslag"/);
      assert.match(page.body, /data-testid="minutes-state"[^>]*>.*Wacht op goedkeuring door de melder/s);
      assert.match(page.body, /De melder heeft geen postbus/);
      assert.match(page.body, /Verslag, versie 1/);
      assertUniqueIds(page.body, "the case page with minutes");

      // No mailbox: the desk records the approval given on paper.
      const noDate = await c.post(`/meldingen/${row.id}/verslag/goedkeuring`, { "minutesApproval.version": "1", "minutesApproval.approvedOn": "" });
      assert.equal(noDate.statusCode, 422);
      assert.match(noDate.body, /href="#field-minutesApproval-approvedOn"/);
      const approved = await c.post(`/meldingen/${row.id}/verslag/goedkeuring`, { "minutesApproval.version": "1", "minutesApproval.approvedOn": today() });
      assert.equal(approved.statusCode, 303);
      const after = await c.get(`/meldingen/${row.id}`);
      assert.match(after.body, /De goedkeuring van het verslag is vastgelegd/);
      assert.match(after.body, new RegExp(`Goedgekeurd door de melder op ${formatDate(`${today()}T12:00:00Z`, "nl")}, buiten Intact`));
    });

    test("with a report code: shown once to pass on; the reporter corrects the minutes in the mailbox, the desk records a new version, the reporter approves it", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Verslag");
      const c = new Client(t.app, (await signedIn(t.ctx, "coordinator", org.id)).sessionToken);
      await c.get("/meldingen/nieuw");
      const done = await c.post("/meldingen/nieuw", await form(t, org, { channel: "in_person", receipt: "1" }));
      assert.equal(done.statusCode, 200);
      const row = await t.ctx.db.selectFrom("reports").selectAll().where("organisation_id", "=", org.id).executeTakeFirstOrThrow();
      assert.match(done.body, new RegExp(`Melding ${row.reference} is geregistreerd`));
      const grouped = /data-testid="receipt">([\d ]+)</.exec(done.body)?.[1];
      assert.match(grouped!, /^\d{4} \d{4} \d{4} \d{4}$/);
      assert.match(done.body, /U ziet de code maar één keer/);
      assert.match(done.body, new RegExp(`/melden/${org.slug}/postbus`));
      assert.match(done.body, new RegExp(`href="/meldingen/${row.id}"`));
      assert.ok(!JSON.stringify(done.headers).includes(grouped!.replace(/ /g, "")));

      // The reporter opens the mailbox: the minutes, with the two answers.
      const m = new Client(t.app);
      await m.get(`/melden/${org.slug}/postbus`);
      assert.equal((await m.post(`/melden/${org.slug}/postbus`, { receipt: grouped! })).statusCode, 303);
      let box = await m.get(`/melden/${org.slug}/postbus/berichten`);
      assert.match(box.body, /Verslag van uw melding/);
      assert.match(box.body, /data-testid="minutes">De melder belde: een collega neemt &#x27;s avonds gereedschap mee naar huis.</);
      assert.match(box.body, /Klopt, ik keur het verslag goed/);
      assert.match(box.body, new RegExp(`href="/melden/${org.slug}/postbus/verslag"[^>]*>Er klopt iets niet`));

      const correctPage = await m.get(`/melden/${org.slug}/postbus/verslag`);
      assert.equal(correctPage.statusCode, 200);
      assert.match(correctPage.body, /Wat klopt er niet in het verslag\?/);
      assertUniqueIds(correctPage.body, "the correction page");
      const empty = await m.post(`/melden/${org.slug}/postbus/verslag`, { version: "1", body: " " });
      assert.equal(empty.statusCode, 422);
      assert.match(empty.body, /Schrijf wat er niet klopt/);
      const corrected = await m.post(`/melden/${org.slug}/postbus/verslag`, { version: "1", body: "Het was overdag, niet 's avonds." });
      assert.equal(corrected.statusCode, 303);
      assert.equal(corrected.headers.location, `/melden/${org.slug}/postbus/berichten`);
      box = await m.get(`/melden/${org.slug}/postbus/berichten`);
      assert.match(box.body, /Uw correctie is verstuurd/);
      assert.match(box.body, /Het was overdag, niet &#x27;s avonds./);
      assert.doesNotMatch(box.body, /Klopt, ik keur het verslag goed/);
      // Nothing left to correct: the correction page sends the reporter back.
      assert.equal((await m.get(`/melden/${org.slug}/postbus/verslag`)).statusCode, 303);

      // The case page: the correction, and a new version.
      let page = await c.get(`/meldingen/${row.id}`);
      assert.match(page.body, /De melder stuurde op .* een correctie/);
      assert.match(page.body, /data-testid="minutes-correction">Het was overdag, niet &#x27;s avonds.</);
      assert.match(page.body, /Correctie op het verslag, van de melder/);
      const none = await c.post(`/meldingen/${row.id}/verslag`, { "minutes.body": "" });
      assert.equal(none.statusCode, 422);
      assert.match(none.body, /href="#field-minutes-body"/);
      const revised = await c.post(`/meldingen/${row.id}/verslag`, { "minutes.body": "De melder vertelde: een collega neemt overdag gereedschap mee." });
      assert.equal(revised.statusCode, 303);
      page = await c.get(`/meldingen/${row.id}`);
      assert.match(page.body, /De nieuwe versie van het verslag is opgeslagen/);
      assert.match(page.body, /Versie 2, vastgelegd op/);

      // The reporter approves version 2; approving the old one again changes nothing.
      box = await m.get(`/melden/${org.slug}/postbus/berichten`);
      assert.match(box.body, /data-testid="minutes">De melder vertelde: een collega neemt overdag gereedschap mee.</);
      assert.match(box.body, /name="version" value="2"/);
      const stale = await m.post(`/melden/${org.slug}/postbus/verslag/goedkeuren`, { version: "1" });
      assert.equal(stale.statusCode, 303);
      assert.match((await m.get(`/melden/${org.slug}/postbus/berichten`)).body, /Het verslag is intussen veranderd/);
      assert.equal((await m.post(`/melden/${org.slug}/postbus/verslag/goedkeuren`, { version: "2" })).statusCode, 303);
      box = await m.get(`/melden/${org.slug}/postbus/berichten`);
      assert.match(box.body, /U heeft het verslag goedgekeurd/);
      assert.match(box.body, /U heeft dit verslag goedgekeurd op/);
      page = await c.get(`/meldingen/${row.id}`);
      assert.match(page.body, /Goedgekeurd door de melder op/);
    });

    test("a report about a handler: the coordinator is told it went to the alternative recipient", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Elders Heen");
      const c = new Client(t.app, (await signedIn(t.ctx, "coordinator", org.id)).sessionToken);
      const alternative = await signedIn(t.ctx, "coordinator", org.id);
      await ensureSettings(t.ctx, org.id);
      await repo.updateSettings(t.ctx.db, org.id, { alternative_account_id: alternative.id });
      await c.get("/meldingen/nieuw");
      const saved = await c.post("/meldingen/nieuw", await form(t, org, { concernsHandler: "yes" }));
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, "/meldingen");
      assert.match((await c.get("/meldingen")).body, /U kunt haar zelf niet openen/);
    });
  });
}
