import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { DB_KINDS } from "../helpers/db.ts";
import { testApp } from "../helpers/app.ts";
import { Client } from "../helpers/client.ts";
import { makeUnit, makeOrganisation, makeUnitTree, selectOptions, signedIn } from "../helpers/fixtures.ts";

/** A multipart/form-data body built by hand, as a browser sends it: text fields and at most one file. */
function multipart(fields: Record<string, string>, file?: { name: string; filename: string; content: string | Buffer }) {
  const boundary = "----intact-test-boundary-7MA4YWxkTrZu0gW";
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: text/csv\r\n\r\n`));
    parts.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content, "utf8"));
    parts.push(Buffer.from("\r\n"));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function postMultipart(c: Client, url: string, fields: Record<string, string>, file?: { name: string; filename: string; content: string | Buffer }) {
  const { payload, contentType } = multipart(fields, file);
  const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  return c.app.inject({ method: "POST", url, payload, headers: { cookie, "content-type": contentType } });
}

const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? "";
const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

for (const { kind, skip } of DB_KINDS) {
  describe(`people pages and CSV import over HTTP (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    before(async () => { t = await testApp(kind); });
    after(async () => { await t?.close(); });

    test("hr uploads a CSV with one bad row, sees the preview with line and reason, commits the good rows and finds them in the list", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Importstad");
      await makeUnit(t.ctx, org.id, "Burgerzaken");
      const hr = await signedIn(t.ctx, "hr", org.id);
      const c = new Client(t.app, hr.sessionToken);

      const list0 = await c.get("/beheer/medewerkers");
      assert.equal(list0.statusCode, 200);
      assert.match(list0.body, /Medewerker toevoegen/);
      assert.match(list0.body, /href="\/beheer\/medewerkers\/import"/);

      const form = await c.get("/beheer/medewerkers/import");
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /enctype="multipart\/form-data"/i);
      assert.ok(c.csrf);

      // Without the CSRF field the upload is refused.
      const csv = "\uFEFFPersoneelsnummer;Voornaam;Achternaam;Eenheid;Functie;Dienstverband;Datum_in_dienst\n" +
        "900;Mila;Mulder;Burgerzaken;Adviseur;medewerker;01-09-2022\n" +
        "901;Daan;Visser;Parkeren;;inhuur;\n" +
        "902;Zoë;Koster;Burgerzaken;;stagiair;2023-02-01\n";
      const file = { name: "file", filename: "hr-export.csv", content: csv };
      assert.equal((await postMultipart(c, "/beheer/medewerkers/import", {}, file)).statusCode, 403);

      const preview = await postMultipart(c, "/beheer/medewerkers/import", { _csrf: c.csrf }, file);
      assert.equal(preview.statusCode, 200);
      assert.match(preview.body, /2 nieuw, 0 gewijzigd, 0 ongewijzigd, 1 afgekeurd/);
      assert.match(preview.body, /<th[^>]*scope="row"[^>]*>3<\/th>/);
      assert.match(preview.body, /eenheid: Deze eenheid bestaat niet in deze organisatie\./);
      assert.match(preview.body, /Nieuwe functie: Adviseur/);
      assert.doesNotMatch(preview.body, /Alles importeren/);
      assert.match(preview.body, /Alleen de goede regels importeren/);
      assert.equal(Number((await t.ctx.db.selectFrom("people").select((e) => e.fn.countAll().as("n")).executeTakeFirstOrThrow()).n), 0);

      const payload = decode(hidden(preview.body, "payload"));
      const signature = hidden(preview.body, "signature");
      assert.ok(payload && signature);
      // "all" is not accepted while a row is rejected, and a changed signature is refused.
      const all = await postMultipart(c, "/beheer/medewerkers/import/bevestigen", { _csrf: c.csrf, payload, signature, mode: "all" });
      assert.equal(all.statusCode, 409);
      const forged = await postMultipart(c, "/beheer/medewerkers/import/bevestigen", { _csrf: c.csrf, payload, signature: signature.replace(/^./, (ch) => (ch === "a" ? "b" : "a")), mode: "valid" });
      assert.equal(forged.statusCode, 409);
      assert.match(forged.body, /Dit voorbeeld is verlopen/);

      const done = await postMultipart(c, "/beheer/medewerkers/import/bevestigen", { _csrf: c.csrf, payload, signature, mode: "valid" });
      assert.equal(done.statusCode, 200);
      assert.match(done.body, /Import klaar: 2 nieuw, 0 gewijzigd\./);
      // A reload of the result page posts the same preview again: refused, nothing written twice.
      const auditCount = async () => Number((await t.ctx.db.selectFrom("audit_events").select((e) => e.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
      const auditBefore = await auditCount();
      const reload = await postMultipart(c, "/beheer/medewerkers/import/bevestigen", { _csrf: c.csrf, payload, signature, mode: "valid" });
      assert.equal(reload.statusCode, 409);
      assert.match(reload.body, /Dit voorbeeld is al geïmporteerd\. Er is niets opnieuw geschreven\./);
      assert.equal(await auditCount(), auditBefore);

      const list = await c.get("/beheer/medewerkers");
      assert.match(list.body, /Mulder, Mila/);
      assert.match(list.body, /Koster, Zoë/);
      assert.doesNotMatch(list.body, /Visser/);
      assert.match(list.body, /<caption[^>]*>Medewerkers, 2 gevonden<\/caption>/);
      const search = await c.get("/beheer/medewerkers?q=mul");
      assert.match(search.body, /Mulder, Mila/);
      assert.doesNotMatch(search.body, /Koster/);
      for (const q of ["zoë", "ZOE", "Zoë Koster"]) {
        const accents = await c.get(`/beheer/medewerkers?q=${encodeURIComponent(q)}`);
        assert.match(accents.body, /Koster, Zoë/, q);
        assert.doesNotMatch(accents.body, /Mulder/, q);
        assert.match(accents.body, new RegExp(`name="q"[^>]*value="${q}"`), "the query is shown as typed");
      }

      const id = /href="\/beheer\/medewerkers\/([0-9a-f-]{36})"/.exec(search.body)![1]!;
      const detail = await c.get(`/beheer/medewerkers/${id}`);
      assert.equal(detail.statusCode, 200);
      assert.match(detail.body, /Adviseur/);
      const bad = await c.post(`/beheer/medewerkers/${id}`, { employeeNumber: "900", givenName: "Mila", familyName: "Mulder", employmentType: "employee", managerNumber: "12345", startDate: "2022-09-01", endDate: "2022-01-01" });
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /href="#field-managerNumber"/);
      assert.match(bad.body, /De datum uit dienst ligt vóór de datum in dienst\./);
      const ok = await c.post(`/beheer/medewerkers/${id}`, { employeeNumber: "900", givenName: "Mila", familyName: "Mulder-de Boer", employmentType: "employee", managerNumber: "902", startDate: "2022-09-01" });
      assert.equal(ok.statusCode, 303);
      assert.match((await c.get(`/beheer/medewerkers/${id}`)).body, /Mulder-de Boer/);
    });

    test("unit choosers list the units as a tree, siblings by name, indented", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Boomstad");
      const { expectedOptions: expected } = await makeUnitTree(t.ctx, org.id);
      const options = selectOptions;
      const hr = await signedIn(t.ctx, "hr", org.id);
      const c = new Client(t.app, hr.sessionToken);
      assert.deepEqual(options((await c.get("/beheer/medewerkers")).body, "eenheid"), expected);
      assert.deepEqual(options((await c.get("/beheer/medewerkers/nieuw")).body, "unitId"), expected);
      const created = await c.post("/beheer/medewerkers", { employeeNumber: "1", givenName: "Boom", familyName: "Stam", employmentType: "employee" });
      assert.equal(created.statusCode, 303);
      assert.deepEqual(options((await c.get(created.headers.location as string)).body, "unitId"), expected);
    });

    test("whole-file problems answer 422 with a clear message", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Fout");
      const hr = await signedIn(t.ctx, "hr", org.id);
      const c = new Client(t.app, hr.sessionToken);
      await c.get("/beheer/medewerkers/import");
      const missing = await postMultipart(c, "/beheer/medewerkers/import", { _csrf: c.csrf }, { name: "file", filename: "x.csv", content: "nummer,voornaam\n1,A\n" });
      assert.equal(missing.statusCode, 422);
      assert.match(missing.body, /Deze kolommen ontbreken: personeelsnummer, achternaam/);
      const none = await postMultipart(c, "/beheer/medewerkers/import", { _csrf: c.csrf }, { name: "file", filename: "", content: "" });
      assert.equal(none.statusCode, 422);
      assert.match(none.body, /Kies een CSV-bestand\./);
      const latin1 = await postMultipart(c, "/beheer/medewerkers/import", { _csrf: c.csrf }, { name: "file", filename: "x.csv", content: Buffer.from("personeelsnummer;voornaam;achternaam\n1;Jos;M\xfcller\n", "latin1") });
      assert.equal(latin1.statusCode, 422);
      assert.match(latin1.body, /geen UTF-8/);
    });

    test("a coordinator may view staff but gets 403 on the import; a person of another organisation is 404", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Rollen");
      const other = await makeOrganisation(t.ctx, "Gemeente Anders");
      const hrOther = await signedIn(t.ctx, "hr", other.id);
      const h = new Client(t.app, hrOther.sessionToken);
      await h.get("/beheer/medewerkers/nieuw");
      const created = await h.post("/beheer/medewerkers", { employeeNumber: "1", givenName: "Ander", familyName: "Mens", employmentType: "employee" });
      assert.equal(created.statusCode, 303);
      const foreignPath = created.headers.location as string;
      assert.match(foreignPath, /^\/beheer\/medewerkers\/[0-9a-f-]{36}$/);

      const coordinator = await signedIn(t.ctx, "coordinator", org.id);
      const c = new Client(t.app, coordinator.sessionToken);
      const list = await c.get("/beheer/medewerkers");
      assert.equal(list.statusCode, 200);
      assert.doesNotMatch(list.body, /Medewerker toevoegen/);
      assert.doesNotMatch(list.body, /href="\/beheer\/medewerkers\/import"/);
      assert.equal((await c.get("/beheer/medewerkers/import")).statusCode, 403);
      const upload = await postMultipart(c, "/beheer/medewerkers/import", { _csrf: c.csrf }, { name: "file", filename: "x.csv", content: "personeelsnummer;voornaam;achternaam\n1;A;B\n" });
      assert.equal(upload.statusCode, 403);
      assert.equal((await c.get(foreignPath)).statusCode, 404);
      assert.equal((await h.get(foreignPath)).statusCode, 200);
    });
  });
}
