import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { currentTotp } from "../../src/auth/totp.ts";
import { ensureSetupToken } from "../../src/auth/setup.ts";
import { verify } from "../../src/audit/service.ts";
import { createAccount } from "../../src/accounts/service.ts";
import { loadActor } from "../../src/auth/service.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { testApp } from "../helpers/app.ts";
import { Client } from "../helpers/client.ts";
import { makeAccount, makeOrganisation, grant, TEST_PASSWORD } from "../helpers/fixtures.ts";

for (const { kind, skip } of DB_KINDS) {
  describe(`sign-in and first-run setup (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    before(async () => { t = await testApp(kind); });
    after(async () => { await t?.close(); });

    test("the setup link creates the first organisation and administrator, then TOTP enrolment, once", async () => {
      const token = (await ensureSetupToken(t.ctx))!;
      assert.ok(token.length >= 40);
      const c = new Client(t.app);
      assert.equal((await c.get("/inrichten?token=wrong")).statusCode, 404);
      const page = await c.get(`/inrichten?token=${token}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Intact inrichten/);

      const bad = await c.post("/inrichten", { token, organisationName: "G", displayName: "", email: "nope", password: "short" });
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /Er is een probleem/);
      assert.match(bad.body, /href="#field-password"/);
      assert.equal(Number((await t.ctx.db.selectFrom("accounts").select((e) => e.fn.countAll().as("n")).executeTakeFirstOrThrow()).n), 0);

      const ok = await c.post("/inrichten", { token, organisationName: "Gemeente Duinrand", displayName: "Anna Admin", email: "Anna@Duinrand.example", password: "lang genoeg wachtwoord" });
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, "/account/tweestaps");
      // Before enrolment, other pages send the half-signed-in user back to enrolment.
      const home = await c.get("/");
      assert.equal(home.statusCode, 303);
      const enrol = await c.get("/account/tweestaps");
      assert.equal(enrol.statusCode, 200);
      const secret = /data-testid="totp-secret">([A-Z2-7 ]+)</.exec(enrol.body)![1]!.replace(/ /g, "");
      assert.equal((await c.post("/account/tweestaps", { code: "000000" })).statusCode, 422);
      const done = await c.post("/account/tweestaps", { code: currentTotp(secret) });
      assert.equal(done.statusCode, 303);
      const welcome = await c.get("/");
      assert.equal(welcome.statusCode, 200);
      assert.match(welcome.body, /Welkom, Anna Admin/);
      assert.match(welcome.body, /Gemeente Duinrand/);
      // The link is spent.
      assert.equal((await new Client(t.app).get(`/inrichten?token=${token}`)).statusCode, 404);
      assert.equal(await ensureSetupToken(t.ctx), null);
      const v = await verify(t.ctx);
      assert.ok(v.ok && v.count >= 3, JSON.stringify(v));
    });

    test("password then TOTP; unknown user and wrong password answer alike; failures lock the address", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Polderwijk");
      const acc = await makeAccount(t.ctx, "piet@polderwijk.example", { totp: true });
      await grant(t.ctx, acc.id, "employee", "organisation", org.id, org.id);
      const c = new Client(t.app);
      const unknown = await c.post("/inloggen", { email: "niemand@polderwijk.example", password: TEST_PASSWORD });
      const wrong = await c.post("/inloggen", { email: acc.email, password: "wrong password!!" });
      assert.equal(unknown.statusCode, 401);
      assert.equal(wrong.statusCode, 401);
      const strip = (s: string) => s.replace(/value="[^"]*"/g, "");
      assert.equal(strip(unknown.body), strip(wrong.body).replace(acc.email, "niemand@polderwijk.example"));

      // A protected page shows the sign-in form in place, and the user returns to it after both steps.
      const inPlace = await c.get("/account");
      assert.equal(inPlace.statusCode, 401);
      assert.match(inPlace.body, /name="return" value="\/account"/);
      const ok = await c.post("/inloggen", { email: acc.email, password: TEST_PASSWORD, return: "/account" });
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, "/inloggen/code?terug=%2Faccount");
      assert.equal((await c.get("/account")).statusCode, 303);
      assert.match((await c.get(String(ok.headers.location))).body, /name="return" value="\/account"/);
      assert.equal((await c.post("/inloggen/code", { code: "123456", return: "/account" })).statusCode, 422);
      const totp = currentTotp(acc.totpSecret!);
      const code = await c.post("/inloggen/code", { code: totp, return: "/account" });
      assert.equal(code.statusCode, 303);
      assert.equal(code.headers.location, "/account");
      assert.equal((await c.get("/account")).statusCode, 200);
      // The same code cannot be used for a second sign-in.
      const again = new Client(t.app);
      await again.post("/inloggen", { email: acc.email, password: TEST_PASSWORD });
      assert.equal((await again.post("/inloggen/code", { code: totp })).statusCode, 422);
      // An open redirect is refused: only same-site paths are followed.
      const evil = new Client(t.app);
      const r = await evil.post("/inloggen", { email: acc.email, password: TEST_PASSWORD, return: "//evil.example/x" });
      assert.equal(r.headers.location, "/inloggen/code?terug=%2F");
      const out = await c.post("/uitloggen", {});
      assert.equal(out.statusCode, 303);
      assert.equal((await c.get("/account")).statusCode, 401);

      const d = new Client(t.app);
      for (let i = 0; i < 5; i++) await d.post("/inloggen", { email: "slot@polderwijk.example", password: "wrong password!!" });
      const locked = await d.post("/inloggen", { email: "slot@polderwijk.example", password: "wrong password!!" });
      assert.equal(locked.statusCode, 429);
      assert.match(locked.body, /Te veel mislukte pogingen/);
    });

    test("a temporary password from an administrator must be replaced at the first sign-in", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Tijdelijk");
      const admin = await makeAccount(t.ctx, "beheer@tijdelijk.example");
      await grant(t.ctx, admin.id, "admin", "organisation", org.id, org.id);
      const adminRow = await t.ctx.db.selectFrom("accounts").selectAll().where("id", "=", admin.id).executeTakeFirstOrThrow();
      const { temporaryPassword } = await createAccount(t.ctx, await loadActor(t.ctx.db, adminRow, org.id, "session"), org.id,
        { displayName: "Nieuw", email: "nieuw@tijdelijk.example", role: "employee" });
      const c = new Client(t.app);
      const first = await c.post("/inloggen", { email: "nieuw@tijdelijk.example", password: temporaryPassword });
      assert.equal(first.headers.location, "/account/nieuw-wachtwoord");
      assert.equal((await c.get("/")).headers.location, "/account/nieuw-wachtwoord", "nothing else opens first");
      assert.match((await c.get("/account/nieuw-wachtwoord")).body, /Kies uw eigen wachtwoord/);
      assert.equal((await c.post("/account/nieuw-wachtwoord", { password: temporaryPassword })).statusCode, 422);
      assert.equal((await c.post("/account/nieuw-wachtwoord", { password: "kort" })).statusCode, 422);
      const done = await c.post("/account/nieuw-wachtwoord", { password: "mijn eigen lange wachtwoord" });
      assert.equal(done.statusCode, 303);
      assert.equal(done.headers.location, "/");
      assert.equal((await c.get("/")).statusCode, 200);
      const old = await new Client(t.app).post("/inloggen", { email: "nieuw@tijdelijk.example", password: temporaryPassword });
      assert.equal(old.statusCode, 401, "the temporary password no longer works");
      const again = await new Client(t.app).post("/inloggen", { email: "nieuw@tijdelijk.example", password: "mijn eigen lange wachtwoord" });
      assert.equal(again.headers.location, "/");
    });

    test("a form without its CSRF token is refused", async () => {
      const c = new Client(t.app);
      const res = await c.post("/inloggen", { email: "a@b.example", password: "x" }, { csrf: false });
      assert.equal(res.statusCode, 403);
      assert.match(res.body, /Formulier verlopen/);
    });

    test("security headers on every page", async () => {
      const res = await new Client(t.app).get("/inloggen");
      assert.match(String(res.headers["content-security-policy"]), /frame-ancestors 'none'/);
      assert.doesNotMatch(String(res.headers["content-security-policy"]), /unsafe-inline/);
      assert.equal(res.headers["referrer-policy"], "no-referrer");
      assert.equal(res.headers["x-content-type-options"], "nosniff");
      assert.equal(res.headers["cache-control"], "no-store");
      assert.deepEqual(JSON.parse((await t.app.inject("/healthz")).body), { status: "ok" });
    });
  });
}
