import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { DB_KINDS } from "../helpers/db.ts";
import { testApp } from "../helpers/app.ts";
import { makeOrganisation } from "../helpers/fixtures.ts";
import { reportAnswers } from "../helpers/reports.ts";

// The public intake API takes JSON only: a form on another website (which a browser posts without asking, and
// which skips CSRF on these sessionless routes) must not be able to file reports in its visitors' names.
for (const { kind, skip } of DB_KINDS) {
  describe(`public intake API takes JSON only (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    before(async () => { t = await testApp(kind); });
    after(async () => { await t?.close(); });

    test("a urlencoded or text/plain body is refused with 415 and writes nothing; JSON is accepted", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Json");
      const answers = await reportAnswers(t.ctx, org.slug);
      const url = `/api/v1/intake/${org.slug}/reports`;
      const form = await t.app.inject({ method: "POST", url, payload: new URLSearchParams(answers as unknown as Record<string, string>).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded" } });
      assert.equal(form.statusCode, 415);
      assert.equal(form.json().code, "unsupported_media_type");
      const text = await t.app.inject({ method: "POST", url, payload: JSON.stringify(answers), headers: { "content-type": "text/plain" } });
      assert.equal(text.statusCode, 415);
      assert.equal((await t.ctx.db.selectFrom("reports").select("id").where("organisation_id", "=", org.id).execute()).length, 0);
      const json = await t.app.inject({ method: "POST", url, payload: answers, headers: { "content-type": "application/json" } });
      assert.equal(json.statusCode, 201, json.body);
    });
  });
}
