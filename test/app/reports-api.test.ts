import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Role } from "../../src/access/permissions.ts";
import { createApiToken, startSession } from "../../src/auth/service.ts";
import * as cases from "../../src/reports/service.ts";
import { loadActor } from "../../src/auth/service.ts";
import * as authRepo from "../../src/auth/repository.ts";
import type { Context } from "../../src/context.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { testApp } from "../helpers/app.ts";
import { grant, makeAccount, makeOrganisation, makeUnit } from "../helpers/fixtures.ts";

type Problem = { status: number; code: string; title: string; invalidParams?: { name: string; code: string; reason: string }[] };

const PUBLIC_OPS = ["listReportCategories", "createReport", "openMailbox", "replyInMailbox"];
const HANDLER_OPS = ["listCases", "getCase", "acknowledgeCase", "sendCaseMessage", "transitionCase"];

async function tokenFor(ctx: Context, role: Role, organisationId: string, email: string) {
  const account = await makeAccount(ctx, email);
  await grant(ctx, account.id, role, "organisation", organisationId, organisationId);
  return { id: account.id, token: (await createApiToken(ctx, { type: "system", id: "test" }, account.id, "test", 1)).token };
}

for (const { kind, skip } of DB_KINDS) {
  describe(`API v1: the reporting desk (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    let orgA = { id: "", name: "", slug: "" }, orgB = { id: "", name: "", slug: "" };
    let unitId = "", categoryId = "";
    const tokens: Record<"coordinator" | "coordinatorB" | "admin" | "investigator" | "secretary" | "employee", { id: string; token: string }> = {} as never;
    // Shared by the tests below, which run in order: the report sent first is handled step by step.
    let receipt = "", reference = "", caseId = "";

    const call = (method: string, url: string, opts: { token?: string; body?: unknown; lang?: string; headers?: Record<string, string> } = {}) => t.app.inject({
      method: method as "GET", url, payload: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      headers: {
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.body === undefined ? {} : { "content-type": "application/json" }),
        ...(opts.lang ? { "accept-language": opts.lang } : {}), ...opts.headers,
      },
    });
    const report = (extra: Record<string, unknown> = {}) => ({
      categoryId, description: "De teamleider laat facturen van zijn zwager goedkeuren.", occurredWhen: "sinds januari", unitId,
      howKnown: "documents", reportedBefore: "no", concernsHandler: "no", mode: "anonymous", ...extra,
    });
    const mailbox = (body: unknown, slug = orgA.slug) => call("POST", `/api/v1/intake/${slug}/mailbox`, { body });

    before(async () => {
      t = await testApp(kind);
      orgA = await makeOrganisation(t.ctx, "Gemeente A");
      orgB = await makeOrganisation(t.ctx, "Gemeente B");
      unitId = (await makeUnit(t.ctx, orgA.id, "Inkoop")).id;
      tokens.coordinator = await tokenFor(t.ctx, "coordinator", orgA.id, "coordinator@a.example");
      tokens.coordinatorB = await tokenFor(t.ctx, "coordinator", orgB.id, "coordinator@b.example");
      tokens.admin = await tokenFor(t.ctx, "admin", orgA.id, "admin@a.example");
      tokens.investigator = await tokenFor(t.ctx, "investigator", orgA.id, "investigator@a.example");
      tokens.secretary = await tokenFor(t.ctx, "secretary", orgA.id, "secretary@a.example");
      tokens.employee = await tokenFor(t.ctx, "employee", orgA.id, "employee@a.example");
    });
    after(async () => { await t?.close(); });

    test("listReportCategories: the active categories in the request's language, and the units", async () => {
      const res = await call("GET", `/api/v1/intake/${orgA.slug}/categories`);
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.organisationName, "Gemeente A");
      assert.ok(body.categories.length > 0);
      for (const c of body.categories) assert.deepEqual(Object.keys(c).sort(), ["code", "id", "kind", "label"]);
      assert.deepEqual(body.units, [{ id: unitId, name: "Inkoop" }]);
      categoryId = body.categories[0].id;
      const english = (await call("GET", `/api/v1/intake/${orgA.slug}/categories`, { lang: "en" })).json();
      const row = await t.ctx.db.selectFrom("report_categories").selectAll().where("id", "=", categoryId).executeTakeFirstOrThrow();
      assert.equal(body.categories[0].label, row.label_nl);
      assert.equal(english.categories[0].label, row.label_en);
      assert.equal((await call("GET", "/api/v1/intake/bestaat-niet/categories")).statusCode, 404);
    });

    test("createReport without a token: 201 with the reference and a 16-digit receipt, stored only as a hash", async () => {
      const res = await call("POST", `/api/v1/intake/${orgA.slug}/reports`, { body: report() });
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json();
      assert.match(body.receipt, /^\d{16}$/);
      assert.match(body.reference, /^\d{4}-\d{4}$/);
      assert.match(body.receivedOn, /^\d{4}-\d{2}-\d{2}$/);
      assert.match(body.acknowledgementDueOn, /^\d{4}-\d{2}-\d{2}$/);
      assert.deepEqual(Object.keys(body).sort(), ["acknowledgementDueOn", "receipt", "receivedOn", "reference"]);
      ({ receipt, reference } = body);
      const row = await t.ctx.db.selectFrom("reports").selectAll().where("reference", "=", reference).where("organisation_id", "=", orgA.id).executeTakeFirstOrThrow();
      caseId = row.id;
      assert.equal(row.status, "received");
      assert.equal(row.reporter_tag, null);
      assert.ok(row.receipt_hash && !row.receipt_hash.includes(receipt));
      assert.ok(!JSON.stringify(row).includes(receipt));
    });

    test("createReport ignores a token and a session: the report stays anonymous and neither is touched", async () => {
      const session = await startSession(t.ctx, tokens.employee.id, "full", { type: "system", id: "test" });
      const tokenRow = async () => t.ctx.db.selectFrom("api_tokens").select("last_used_at").where("account_id", "=", tokens.employee.id).executeTakeFirstOrThrow();
      const before = await tokenRow();
      const res = await call("POST", `/api/v1/intake/${orgA.slug}/reports`, {
        token: tokens.employee.token, body: report({ description: "Tweede melding." }), headers: { cookie: `intact_session=${session}` },
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.deepEqual(await tokenRow(), before, "the token's last use is not updated by an anonymous call");
      const row = await t.ctx.db.selectFrom("reports").select("reporter_tag").where("reference", "=", res.json().reference)
        .where("organisation_id", "=", orgA.id).executeTakeFirstOrThrow();
      assert.equal(row.reporter_tag, null);
    });

    test("createReport with bad input: 422 problem+json naming the fields, in Dutch and in English", async () => {
      const res = await call("POST", `/api/v1/intake/${orgA.slug}/reports`, { body: report({ description: "", mode: "open" }) });
      assert.equal(res.statusCode, 422);
      assert.match(String(res.headers["content-type"]), /application\/problem\+json/);
      const problem = res.json() as Problem;
      const byName = new Map(problem.invalidParams!.map((p) => [p.name, p]));
      assert.deepEqual([...byName.keys()].sort(), ["description", "identity.name"]);
      assert.equal(byName.get("description")!.reason, "Beschrijf wat er is gebeurd.");
      assert.equal(byName.get("description")!.code, "report.descriptionRequired");
      const english = await call("POST", `/api/v1/intake/${orgA.slug}/reports`, { body: report({ description: "" }), lang: "en-GB,en;q=0.9" });
      assert.equal(english.statusCode, 422);
      assert.equal((english.json() as Problem).invalidParams![0]!.reason, "Describe what happened.");
      const unknownCategory = await call("POST", `/api/v1/intake/${orgA.slug}/reports`, { body: report({ categoryId: "nope" }) });
      assert.equal(unknownCategory.statusCode, 422);
      assert.equal((unknownCategory.json() as Problem).invalidParams![0]!.name, "categoryId");
    });

    test("openMailbox with the receipt: status received and no messages; a wrong receipt is 422", async () => {
      const res = await mailbox({ receipt });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.reference, reference);
      assert.equal(body.status, "received");
      assert.deepEqual(body.messages, []);
      assert.equal(body.acknowledgedOn, null);
      assert.ok(!res.body.includes(receipt), "the receipt is never returned again");
      assert.equal((await mailbox({ receipt: receipt.replace(/(\d{4})/g, "$1 ").trim() })).statusCode, 200, "grouped digits work too");

      const wrong = await mailbox({ receipt: receipt === "1234567890123456" ? "6543210987654321" : "1234567890123456" });
      assert.equal(wrong.statusCode, 422);
      assert.deepEqual((wrong.json() as Problem).invalidParams!.map((p) => [p.name, p.code]), [["receipt", "report.receiptUnknown"]]);
      assert.equal((await mailbox({ receipt }, orgB.slug)).statusCode, 422, "another organisation does not know the receipt");
      assert.equal((await mailbox({ receipt: "12" })).statusCode, 422);
      assert.equal((await mailbox({})).statusCode, 422);
    });

    test("listCases and getCase for the coordinator", async () => {
      const list = await call("GET", "/api/v1/cases", { token: tokens.coordinator.token });
      assert.equal(list.statusCode, 200, list.body);
      const item = list.json().items.find((i: { id: string }) => i.id === caseId);
      assert.ok(item, "the new report is in the inbox");
      assert.equal(item.reference, reference);
      assert.equal(item.status, "received");
      assert.equal(item.organisationName, "Gemeente A");
      assert.equal(item.unitName, "Inkoop");
      assert.equal(item.nextDueOn, item.acknowledgementDueOn);
      assert.ok(item.categoryLabel);
      assert.equal(list.json().pageSize, 25);
      assert.equal((await call("GET", "/api/v1/cases?status=closed", { token: tokens.coordinator.token })).json().total, 0);
      assert.equal((await call("GET", "/api/v1/cases?sort=nonsense", { token: tokens.coordinator.token })).statusCode, 422);

      const res = await call("GET", `/api/v1/cases/${caseId}`, { token: tokens.coordinator.token });
      assert.equal(res.statusCode, 200, res.body);
      const c = res.json();
      assert.equal(c.content.description, "De teamleider laat facturen van zijn zwager goedkeuren.");
      assert.equal(c.identity, null);
      assert.equal(c.identityProtected, false);
      assert.deepEqual(c.allowedActions, ["acknowledge"]);
      assert.equal(c.version, 1);
      assert.equal(c.can.handle, true);
      const audit = await t.ctx.db.selectFrom("audit_events").select("action").where("object_id", "=", caseId).where("action", "=", "report.read").execute();
      assert.ok(audit.length >= 1, "reading a case is audited");
    });

    test("acknowledgeCase: status acknowledged, and the acknowledgement reaches the mailbox", async () => {
      const stale = await call("POST", `/api/v1/cases/${caseId}/acknowledgement`, { token: tokens.coordinator.token, body: { version: 99 } });
      assert.equal(stale.statusCode, 409, "an outdated version is refused");
      const res = await call("POST", `/api/v1/cases/${caseId}/acknowledgement`, { token: tokens.coordinator.token, body: { text: "Dank voor uw melding.", version: 1 } });
      assert.equal(res.statusCode, 200, res.body);
      const c = res.json();
      assert.equal(c.status, "acknowledged");
      assert.ok(c.acknowledgedAt);
      assert.ok(c.feedbackDueOn);
      assert.deepEqual(c.allowedActions, ["startAssessment"]);
      const step = c.timeline.find((e: { kind: string }) => e.kind === "status");
      assert.equal(step.meta.action, "acknowledge");
      assert.equal(step.text, "Dank voor uw melding.");

      const box = (await mailbox({ receipt })).json();
      assert.equal(box.status, "acknowledged");
      assert.ok(box.acknowledgedOn);
      assert.equal(box.messages.length, 1);
      assert.equal(box.messages[0].from, "desk");
      assert.equal(box.messages[0].acknowledgement, true);
      assert.match(box.messages[0].body, new RegExp(reference));
      assert.match(box.messages[0].body, /Dank voor uw melding\./);
    });

    test("sendCaseMessage and replyInMailbox: messages both ways", async () => {
      const sent = await call("POST", `/api/v1/cases/${caseId}/messages`, { token: tokens.coordinator.token, body: { body: "Kunt u de facturen noemen?" } });
      assert.equal(sent.statusCode, 201, sent.body);
      assert.ok(sent.json().timeline.some((e: { kind: string; text: string }) => e.kind === "message_out" && e.text === "Kunt u de facturen noemen?"));
      const empty = await call("POST", `/api/v1/cases/${caseId}/messages`, { token: tokens.coordinator.token, body: { body: " " } });
      assert.equal(empty.statusCode, 422);
      assert.equal((empty.json() as Problem).invalidParams![0]!.code, "report.messageRequired");

      const reply = await call("POST", `/api/v1/intake/${orgA.slug}/mailbox/messages`, { body: { receipt, body: "Factuur 2024-17 en 2024-18." } });
      assert.equal(reply.statusCode, 201, reply.body);
      const messages = reply.json().messages as { from: string; body: string; feedback: boolean }[];
      assert.deepEqual(messages.map((m) => m.from), ["desk", "desk", "reporter"]);
      assert.equal(messages[2]!.body, "Factuur 2024-17 en 2024-18.");
      const wrong = await call("POST", `/api/v1/intake/${orgA.slug}/mailbox/messages`, { body: { receipt: "0000000000000000", body: "Hallo" } });
      assert.equal(wrong.statusCode, 422);

      const c = (await call("GET", `/api/v1/cases/${caseId}`, { token: tokens.coordinator.token })).json();
      const incoming = c.timeline.find((e: { kind: string }) => e.kind === "message_in");
      assert.equal(incoming.text, "Factuur 2024-17 en 2024-18.");
      assert.equal(incoming.authorType, "reporter");
      assert.equal(incoming.authorName, null);

      const feedback = await call("POST", `/api/v1/cases/${caseId}/messages`, { token: tokens.coordinator.token, body: { body: "Wij onderzoeken dit.", feedback: true } });
      assert.equal(feedback.statusCode, 201, feedback.body);
      assert.ok(feedback.json().feedbackGivenAt);
      assert.equal((await mailbox({ receipt })).json().messages.at(-1).feedback, true);
    });

    test("transitionCase: startAssessment, and a step the table does not offer is 409", async () => {
      const res = await call("POST", `/api/v1/cases/${caseId}/transitions`, { token: tokens.coordinator.token, body: { action: "startAssessment" } });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().status, "assessment");
      assert.deepEqual(res.json().allowedActions.sort(), ["decideInvestigation", "decideLine", "decideNoAction"]);

      const forbidden = await call("POST", `/api/v1/cases/${caseId}/transitions`, { token: tokens.coordinator.token, body: { action: "close" } });
      assert.equal(forbidden.statusCode, 409);
      assert.equal((forbidden.json() as Problem).code, "transition_not_allowed");
      const unknown = await call("POST", `/api/v1/cases/${caseId}/transitions`, { token: tokens.coordinator.token, body: { action: "explode" } });
      assert.equal(unknown.statusCode, 422);
      assert.equal((unknown.json() as Problem).invalidParams![0]!.name, "action");
      assert.equal((await call("GET", `/api/v1/cases/${caseId}`, { token: tokens.coordinator.token })).json().status, "assessment");
    });

    test("who may not: another organisation's coordinator 404, an administrator 403, a secretary 403 on transitions", async () => {
      assert.equal((await call("GET", `/api/v1/cases/${caseId}`, { token: tokens.coordinatorB.token })).statusCode, 404);
      assert.equal((await call("POST", `/api/v1/cases/${caseId}/messages`, { token: tokens.coordinatorB.token, body: { body: "Hallo" } })).statusCode, 404);
      assert.equal((await call("POST", `/api/v1/cases/${caseId}/transitions`, { token: tokens.coordinatorB.token, body: { action: "decideLine" } })).statusCode, 404);
      const listB = (await call("GET", "/api/v1/cases", { token: tokens.coordinatorB.token })).json();
      assert.equal(listB.total, 0);

      assert.equal((await call("GET", "/api/v1/cases", { token: tokens.admin.token })).statusCode, 403);
      assert.equal((await call("GET", `/api/v1/cases/${caseId}`, { token: tokens.admin.token })).statusCode, 403);
      assert.equal((await call("POST", `/api/v1/cases/${caseId}/transitions`, { token: tokens.secretary.token, body: { action: "approveInvestigation" } })).statusCode, 403);
      assert.equal((await call("GET", "/api/v1/cases")).statusCode, 401);
    });

    test("an investigator lists and reads only the cases assigned to them, without the reporter's identity", async () => {
      const open = await call("POST", `/api/v1/intake/${orgA.slug}/reports`, {
        body: report({ mode: "confidential", identity: { name: "Mila de Vries", email: "mila@example.test", phone: "", relation: "employee" } }),
      });
      assert.equal(open.statusCode, 201, open.body);
      const openId = (await t.ctx.db.selectFrom("reports").select("id").where("reference", "=", open.json().reference)
        .where("organisation_id", "=", orgA.id).executeTakeFirstOrThrow()).id;
      const asCoordinator = (await call("GET", `/api/v1/cases/${openId}`, { token: tokens.coordinator.token })).json();
      assert.equal(asCoordinator.identity.name, "Mila de Vries");

      const none = await call("GET", "/api/v1/cases", { token: tokens.investigator.token });
      assert.equal(none.statusCode, 200, none.body);
      assert.equal(none.json().total, 0);
      assert.equal((await call("GET", `/api/v1/cases/${openId}`, { token: tokens.investigator.token })).statusCode, 404);

      const coordinator = await loadActor(t.ctx.db, (await authRepo.findAccount(t.ctx.db, tokens.coordinator.id))!, null, "token");
      await cases.assign(t.ctx, coordinator, openId, { investigatorId: tokens.investigator.id });
      const mine = (await call("GET", "/api/v1/cases", { token: tokens.investigator.token })).json();
      assert.deepEqual(mine.items.map((i: { id: string }) => i.id), [openId]);
      const read = (await call("GET", `/api/v1/cases/${openId}`, { token: tokens.investigator.token })).json();
      assert.equal(read.identity, null);
      assert.equal(read.identityProtected, true);
      assert.deepEqual(read.allowedActions, []);
      assert.equal((await call("POST", `/api/v1/cases/${openId}/acknowledgement`, { token: tokens.investigator.token, body: {} })).statusCode, 403);
    });

    test("the OpenAPI document names every operation; the public ones need no token", async () => {
      const doc = (await call("GET", "/api/v1/openapi.json")).json();
      const ops = new Map<string, { operationId: string; tags: string[]; security?: unknown[]; summary: string; requestBody?: unknown }>();
      for (const path of Object.values(doc.paths as Record<string, Record<string, { operationId: string; tags: string[]; summary: string }>>)) {
        for (const op of Object.values(path)) ops.set(op.operationId, op);
      }
      for (const id of [...PUBLIC_OPS, ...HANDLER_OPS]) assert.ok(ops.has(id), `missing ${id}`);
      for (const id of PUBLIC_OPS) {
        assert.deepEqual(ops.get(id)!.security, [], `${id} is public`);
        assert.deepEqual(ops.get(id)!.tags, ["intake"]);
      }
      for (const id of HANDLER_OPS) {
        assert.equal(ops.get(id)!.security, undefined, `${id} needs a token`);
        assert.deepEqual(ops.get(id)!.tags, ["reports"]);
      }
      for (const op of ops.values()) assert.ok(op.summary);
      assert.ok(doc.paths["/intake/{slug}/reports"].post.requestBody);
      assert.ok(doc.paths["/intake/{slug}/mailbox"].post.requestBody, "the receipt goes in the body");
      assert.ok(!JSON.stringify(doc.paths["/intake/{slug}/mailbox"].post.parameters ?? []).includes("receipt"));
      assert.ok(doc.paths["/cases/{caseId}/transitions"].post.requestBody.content["application/json"].schema.properties.action.enum.includes("startAssessment"));
    });
  });

  describe(`API v1: intake throttles (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    let slug = "";
    const post = (url: string, body: unknown, lang?: string) => t.app.inject({
      method: "POST", url, payload: JSON.stringify(body), headers: { "content-type": "application/json", ...(lang ? { "accept-language": lang } : {}) },
    });
    before(async () => {
      t = await testApp(kind, { INTAKE_MAX_PER_HOUR: "2", RECEIPT_MAX_FAILURES: "2" });
      slug = (await makeOrganisation(t.ctx, "Gemeente C")).slug;
    });
    after(async () => { await t?.close(); });

    test("too many reports, or too many wrong receipts, from one client: 429", async () => {
      const categoryId = (await t.app.inject({ method: "GET", url: `/api/v1/intake/${slug}/categories` })).json().categories[0].id;
      const body = { categoryId, description: "Iets gezien.", howKnown: "saw", reportedBefore: "no", concernsHandler: "no", mode: "anonymous" };
      const first = await post(`/api/v1/intake/${slug}/reports`, body);
      assert.equal(first.statusCode, 201, first.body);
      assert.equal((await post(`/api/v1/intake/${slug}/reports`, body)).statusCode, 201);
      const third = await post(`/api/v1/intake/${slug}/reports`, body);
      assert.equal(third.statusCode, 429);
      assert.match(String(third.headers["content-type"]), /application\/problem\+json/);
      assert.equal(third.json().code, "too_many");
      assert.match(third.json().title, /te veel pogingen/i);

      const { receipt } = first.json();
      assert.equal((await post(`/api/v1/intake/${slug}/mailbox`, { receipt })).statusCode, 200, "a right receipt does not count");
      assert.equal((await post(`/api/v1/intake/${slug}/mailbox`, { receipt: "1111111111111111" })).statusCode, 422);
      assert.equal((await post(`/api/v1/intake/${slug}/mailbox/messages`, { receipt: "2222222222222222", body: "Hallo" })).statusCode, 422);
      const blocked = await post(`/api/v1/intake/${slug}/mailbox`, { receipt }, "en");
      assert.equal(blocked.statusCode, 429, "after the failures even the right receipt waits");
      assert.equal(blocked.json().title, "There have been too many attempts. Wait an hour and try again.");
    });
  });
}
