import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomToken } from "../../src/crypto/tokens.ts";
import { intakeTarget } from "../../src/reports/intake.ts";
import { sealDraft } from "../../src/reports/intake-routes.tsx";
import { DB_KINDS } from "../helpers/db.ts";
import { testApp } from "../helpers/app.ts";
import { Client } from "../helpers/client.ts";
import { makeOrganisation } from "../helpers/fixtures.ts";

// A double click on "Versturen", or a reload of the sent page, posts the same sealed draft twice: one case, not two.
for (const { kind, skip } of DB_KINDS) {
  describe(`the same draft sent twice (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    before(async () => { t = await testApp(kind); });
    after(async () => { await t?.close(); });

    test("the second send is refused with a clear message and no second case", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Dubbel");
      const target = await intakeTarget(t.ctx, org.slug);
      const answers = {
        nonce: randomToken(), categoryId: target.categories[0]!.id, description: "Twee keer op versturen gedrukt.", occurredOn: "", occurredWhen: "",
        unitId: "", location: "", involved: "", howKnown: "saw", howKnownDetail: "", reportedBefore: "no", reportedBeforeDetail: "",
        concernsHandler: "no", mode: "anonymous", noticeEmail: "",
      };
      const draft = sealDraft(t.ctx, org.id, answers);
      const c = new Client(t.app);
      await c.get(`/melden/${org.slug}`);
      const first = await c.post(`/melden/${org.slug}/versturen`, { draft });
      assert.equal(first.statusCode, 200, first.body.slice(0, 400));
      assert.match(first.body, /\d{4} \d{4} \d{4} \d{4}/, "the first send shows the receipt");
      const second = await c.post(`/melden/${org.slug}/versturen`, { draft });
      assert.equal(second.statusCode, 409);
      assert.match(second.body, /Deze melding is al verstuurd/);
      assert.doesNotMatch(second.body, /\d{4} \d{4} \d{4} \d{4}/);
      const rows = await t.ctx.db.selectFrom("reports").select("id").where("organisation_id", "=", org.id).execute();
      assert.equal(rows.length, 1);
      // A draft without the token (made before this rule) still sends, once per press as before.
      const old = sealDraft(t.ctx, org.id, { ...answers, nonce: undefined as unknown as string });
      assert.equal((await c.post(`/melden/${org.slug}/versturen`, { draft: old })).statusCode, 200);
    });
  });
}
