import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../src/http/app.ts";
import { freshDatabase, type TestDb } from "../helpers/db.ts";
import { Client } from "../helpers/client.ts";
import { grant, makeAccount, makeGroup, makeOrganisation } from "../helpers/fixtures.ts";
import { startSession } from "../../src/auth/service.ts";

describe("errors, the organisation switcher, and fail-closed registration", () => {
  let t: TestDb;
  let app: FastifyInstance;
  before(async () => {
    t = await freshDatabase("sqlite");
    app = await buildApp(t.ctx);
    // Routes that fail on purpose, registered the normal way (they must declare access too).
    app.get("/kapot", { config: { access: "public" } }, async () => { throw new Error("geheime details uit de database"); });
    app.get("/api/v1/kapot", { config: { access: "public" } }, async () => { throw new Error("geheime details uit de database"); });
    await app.ready();
  });
  after(async () => { await app?.close(); await t?.drop(); });

  test("a 5xx is masked: the page and the problem+json show a correlation id, never the cause", async () => {
    const page = await app.inject("/kapot");
    assert.equal(page.statusCode, 500);
    assert.doesNotMatch(page.body, /geheime details/);
    assert.match(page.body, /Er ging iets mis/);
    const id = /deze code door: ([0-9a-f-]{36})/.exec(page.body)?.[1];
    assert.ok(id, "the page names a correlation id");
    const api = await app.inject("/api/v1/kapot");
    assert.equal(api.statusCode, 500);
    assert.match(String(api.headers["content-type"]), /application\/problem\+json/);
    const body = api.json();
    assert.equal(body.status, 500);
    assert.match(body.instance, /^[0-9a-f-]{36}$/);
    assert.doesNotMatch(api.body, /geheime details/);
  });

  test("an unknown page answers an accessible 404 page in the chosen language", async () => {
    const nl = await app.inject("/bestaat-niet");
    assert.equal(nl.statusCode, 404);
    assert.match(nl.body, /<html lang="nl"/);
    assert.match(nl.body, /Niet gevonden/);
    const en = await app.inject({ url: "/bestaat-niet", headers: { cookie: "intact_lang=en" } });
    assert.match(en.body, /<html lang="en"/);
    assert.match(en.body, /Not found/);
  });

  test("static files and the health check skip the session lookup; other pages do not", async () => {
    const stale = { cookie: "intact_session=not-a-valid-token" };
    const css = await app.inject({ url: "/assets/intact.css", headers: stale });
    assert.equal(css.statusCode, 200);
    assert.equal(css.headers["set-cookie"], undefined, "no session was looked up, so none was cleared");
    const page = await app.inject({ url: "/inloggen", headers: stale });
    assert.match(String(page.headers["set-cookie"]), /intact_session=;/, "a page looks the session up and clears a stale one");
  });

  test("a route without an access declaration stops the server from starting", async () => {
    const other = await buildApp(t.ctx);
    assert.throws(() => other.get("/open", async () => "x"), /declares no access/);
    assert.throws(() => other.get("/secret", { config: { access: "authenticated", sessionless: true } }, async () => "x"), /only a public route/);
    await other.close();
  });

  test("someone with roles in two organisations switches between them", async () => {
    const a = await makeOrganisation(t.ctx, "Gemeente Eerste"), b = await makeOrganisation(t.ctx, "Gemeente Tweede");
    const g = await makeGroup(t.ctx, "Regio Twee", [a.id, b.id]);
    const acc = await makeAccount(t.ctx, "regio@twee.example");
    await grant(t.ctx, acc.id, "admin", "group", g.id, null);
    const c = new Client(app, await startSession(t.ctx, acc.id, "full", { type: "account", id: acc.id }));
    const home = await c.get("/");
    assert.match(home.body, /id="org-switch"/);
    const first = /class="intact-brand__org">([^<]+)</.exec(home.body)![1];
    const target = first === a.name ? b : a;
    const sw = await c.post("/organisatie", { organisationId: target.id, return: "/" });
    assert.equal(sw.statusCode, 303);
    assert.match((await c.get("/")).body, new RegExp(`class="intact-brand__org">${target.name}<`));
    const stranger = await makeOrganisation(t.ctx, "Gemeente Vreemd");
    assert.equal((await c.post("/organisatie", { organisationId: stranger.id, return: "/" })).statusCode, 404);
  });
});
