import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as repo from "../../src/organisations/repository.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { testApp } from "../helpers/app.ts";
import { Client } from "../helpers/client.ts";
import { makeOrganisation, makeUnit, signedIn } from "../helpers/fixtures.ts";

for (const { kind, skip } of DB_KINDS) {
  describe(`organisation pages (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    before(async () => { t = await testApp(kind); });
    after(async () => { await t?.close(); });

    test("an admin adds a unit through the form and sees it in the tree; invalid input is shown with 422", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Vormen");
      const admin = await signedIn(t.ctx, "admin", org.id);
      const c = new Client(t.app, admin.sessionToken);
      const page = await c.get("/beheer/organisatie");
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Er zijn nog geen eenheden/);
      assert.match(page.body, /action="\/beheer\/organisatie\/eenheden"/);
      assert.match(page.body, new RegExp(`value="${org.slug}"`));

      const ok = await c.post("/beheer/organisatie/eenheden", { "unit.name": "Cluster Dienstverlening", "unit.kind": "cluster", "unit.parentId": "" });
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, "/beheer/organisatie#eenheden");
      const cluster = (await repo.findUnitByName(t.ctx.db, org.id, "Cluster Dienstverlening"))!;
      assert.ok(cluster);
      const team = await c.post("/beheer/organisatie/eenheden", { "unit.name": "Team Burgerzaken", "unit.kind": "team", "unit.parentId": cluster.id });
      assert.equal(team.statusCode, 303);

      const after = await c.get("/beheer/organisatie");
      assert.equal(after.statusCode, 200);
      assert.match(after.body, /De eenheid is toegevoegd/);
      const tree = /data-testid="unit-tree">([\s\S]*?)<\/div>/.exec(after.body)![1]!;
      // The team is a nested list item inside the cluster's item, with its kind shown.
      assert.match(tree, /Cluster Dienstverlening<\/a> <span class="intact-unit-kind">\(Cluster\)<\/span><ul><li><a[^>]*>Team Burgerzaken<\/a> <span class="intact-unit-kind">\(Team\)<\/span>/);
      assert.match(after.body, /2 eenheden, 0 functies, 0 medewerkers, 1 accounts/);

      const bad = await c.post("/beheer/organisatie/eenheden", { "unit.name": "", "unit.kind": "team", "unit.parentId": "" });
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /Er is een probleem/);
      assert.match(bad.body, /href="#field-unit-name"/);
      assert.match(bad.body, /id="field-unit-name"/);
      assert.equal((await repo.listUnits(t.ctx.db, org.id)).length, 2);

      const badSlug = await c.post("/beheer/organisatie/instellingen", { name: "Gemeente Vormen", slug: "Niet Goed!", kind: "municipality" });
      assert.equal(badSlug.statusCode, 422);
      assert.match(badSlug.body, /href="#field-slug"/);
      assert.match(badSlug.body, /Gebruik alleen kleine letters/);
      const goodSlug = await c.post("/beheer/organisatie/instellingen", { name: "Gemeente Vormen", slug: "vormen", kind: "province", totpRequired: "1" });
      assert.equal(goodSlug.statusCode, 303);
      const row = (await repo.findOrganisation(t.ctx.db, [org.id], org.id))!;
      assert.deepEqual([row.slug, row.kind, row.totp_required], ["vormen", "province", 1]);

      const pos = await c.post("/beheer/organisatie/functies", { "position.title": "Baliemedewerker", "position.code": "B1" });
      assert.equal(pos.statusCode, 303);
      const dup = await c.post("/beheer/organisatie/functies", { "position.title": "Baliemedewerker", "position.code": "" });
      assert.equal(dup.statusCode, 422);
      assert.match(dup.body, /href="#field-position-title"/);
      assert.match(dup.body, /Deze functie bestaat al/);
    });

    test("an admin edits, moves and deletes a unit; a unit in use cannot go; another organisation's unit is 404", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Schuif");
      const other = await makeOrganisation(t.ctx, "Gemeente Elders");
      const admin = await signedIn(t.ctx, "admin", org.id);
      const c = new Client(t.app, admin.sessionToken);
      const a = await makeUnit(t.ctx, org.id, "Afdeling Een");
      const b = await makeUnit(t.ctx, org.id, "Afdeling Twee");
      const teamA = await makeUnit(t.ctx, org.id, "Team Een", a);
      const elsewhere = await makeUnit(t.ctx, other.id, "Afdeling Elders");

      const edit = await c.get(`/beheer/organisatie/eenheden/${a.id}`);
      assert.equal(edit.statusCode, 200);
      assert.match(edit.body, /Eenheid Afdeling Een wijzigen/);
      // Its own subtree is not offered as a new parent.
      assert.doesNotMatch(edit.body, new RegExp(`<option value="${teamA.id}"`));
      assert.match(edit.body, new RegExp(`<option value="${b.id}"`));

      const cycle = await c.post(`/beheer/organisatie/eenheden/${a.id}`, { name: "Afdeling Een", kind: "department", parentId: teamA.id });
      assert.equal(cycle.statusCode, 422);
      assert.match(cycle.body, /href="#field-parentId"/);
      assert.match(cycle.body, /niet onder zichzelf/);

      const move = await c.post(`/beheer/organisatie/eenheden/${a.id}`, { name: "Afdeling 1", kind: "department", parentId: b.id });
      assert.equal(move.statusCode, 303);
      assert.equal((await repo.findUnit(t.ctx.db, org.id, teamA.id))!.path, `/${b.id}/${a.id}/${teamA.id}/`);

      const inUse = await c.post(`/beheer/organisatie/eenheden/${a.id}/verwijderen`, {});
      assert.equal(inUse.statusCode, 409);
      assert.match(inUse.body, /heeft nog onderliggende eenheden/);
      assert.ok(await repo.findUnit(t.ctx.db, org.id, a.id));
      const del = await c.post(`/beheer/organisatie/eenheden/${teamA.id}/verwijderen`, {});
      assert.equal(del.statusCode, 303);
      assert.equal(await repo.findUnit(t.ctx.db, org.id, teamA.id), undefined);

      assert.equal((await c.get(`/beheer/organisatie/eenheden/${elsewhere.id}`)).statusCode, 404);
      assert.equal((await c.post(`/beheer/organisatie/eenheden/${elsewhere.id}`, { name: "Van mij", kind: "team", parentId: "" })).statusCode, 404);
      assert.equal((await c.post(`/beheer/organisatie/eenheden/${elsewhere.id}/verwijderen`, {})).statusCode, 404);
      assert.equal((await repo.findUnit(t.ctx.db, other.id, elsewhere.id))!.name, "Afdeling Elders");
    });

    test("hr may view the organisation but not change it; an employee may not view it", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Kijk");
      await makeUnit(t.ctx, org.id, "Afdeling Zichtbaar");
      const hr = await signedIn(t.ctx, "hr", org.id);
      const c = new Client(t.app, hr.sessionToken);
      const page = await c.get("/beheer/organisatie");
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Afdeling Zichtbaar/);
      assert.doesNotMatch(page.body, /action="\/beheer\/organisatie\/eenheden"/);
      assert.doesNotMatch(page.body, /action="\/beheer\/organisatie\/instellingen"/);
      const post = await c.post("/beheer/organisatie/eenheden", { "unit.name": "Stiekem", "unit.kind": "team" });
      assert.equal(post.statusCode, 403);
      assert.equal(await repo.findUnitByName(t.ctx.db, org.id, "Stiekem"), undefined);
      assert.equal((await c.get("/beheer/samenwerking")).statusCode, 403);

      const employee = await signedIn(t.ctx, "employee", org.id);
      assert.equal((await new Client(t.app, employee.sessionToken).get("/beheer/organisatie")).statusCode, 403);
      assert.equal((await new Client(t.app).get("/beheer/organisatie")).statusCode, 401);
    });

    test("an admin creates a group, a new organisation in it, and sees both on the groups page", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Samen");
      const admin = await signedIn(t.ctx, "admin", org.id);
      const c = new Client(t.app, admin.sessionToken);
      const empty = await c.get("/beheer/samenwerking");
      assert.equal(empty.statusCode, 200);
      assert.match(empty.body, /U beheert nog geen samenwerkingsverbanden/);

      const bad = await c.post("/beheer/samenwerking", { "group.name": "", "group.kind": "region" });
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /href="#field-group-name"/);

      const created = await c.post("/beheer/samenwerking", { "group.name": "Regio Kust", "group.kind": "region" });
      assert.equal(created.statusCode, 303);
      const group = await t.ctx.db.selectFrom("organisation_groups").selectAll().where("name", "=", "Regio Kust").executeTakeFirstOrThrow();
      const newOrg = await c.post(`/beheer/samenwerking/${group.id}/organisaties`, { [`org-${group.id}.name`]: "Gemeente Strand", [`org-${group.id}.kind`]: "municipality" });
      assert.equal(newOrg.statusCode, 303);
      const list = await c.get("/beheer/samenwerking");
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /Regio Kust/);
      assert.match(list.body, /Gemeente Samen/);
      assert.match(list.body, /Gemeente Strand/);

      // Someone else's group does not exist for this admin.
      const stranger = await makeOrganisation(t.ctx, "Gemeente Vreemd");
      const strangerAdmin = await signedIn(t.ctx, "admin", stranger.id);
      const s = new Client(t.app, strangerAdmin.sessionToken);
      await s.get("/beheer/samenwerking");
      const sneaky = await s.post(`/beheer/samenwerking/${group.id}/organisaties`, { [`org-${group.id}.name`]: "Inbreker", [`org-${group.id}.kind`]: "other" });
      assert.equal(sneaky.statusCode, 404);
      const join = await s.post(`/beheer/samenwerking/${group.id}/leden`, { [`member-${group.id}.organisationId`]: stranger.id });
      assert.equal(join.statusCode, 404);
      assert.equal(await repo.isGroupMember(t.ctx.db, group.id, stranger.id), false);
    });
  });
}
