import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Role } from "../../src/access/permissions.ts";
import { createApiToken } from "../../src/auth/service.ts";
import type { Context } from "../../src/context.ts";
import { addDays, today } from "../../src/reports/deadlines.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { testApp } from "../helpers/app.ts";
import { grant, makeAccount, makeOrganisation } from "../helpers/fixtures.ts";

// The case page's remaining steps in the API (notes, assignment, referral, sharing the identity, exclusion)
// and registering a report from another channel: each through real HTTP with a bearer token, its effect
// read back through getCase, its validation error, and 404 for a coordinator of another organisation.

type Problem = { status: number; code: string; title: string; invalidParams?: { name: string; code: string; reason: string }[] };
type Entry = { id: string; kind: string; authorName: string | null; meta: Record<string, unknown>; text: string | null };

const NEW_OPS = ["addCaseNote", "assignCase", "referCase", "shareCaseIdentity", "excludeFromCase", "registerReport", "handOverCase"];

async function tokenFor(ctx: Context, role: Role, organisationId: string, email: string, displayName: string) {
  const account = await makeAccount(ctx, email, { displayName });
  await grant(ctx, account.id, role, "organisation", organisationId, organisationId);
  return { id: account.id, email: account.email, token: (await createApiToken(ctx, { type: "system", id: "test" }, account.id, "test", 1)).token };
}

const codes = (res: { json(): unknown }) => Object.fromEntries(((res.json() as Problem).invalidParams ?? []).map((p) => [p.name, p.code]));

for (const { kind, skip } of DB_KINDS) {
  describe(`API v1: handling a case and registering a report (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    let orgA = { id: "", name: "", slug: "" }, orgB = { id: "", name: "", slug: "" };
    let categoryId = "";
    type Who = "coordinator" | "coordinator2" | "coordinatorB" | "investigator" | "employee";
    const tokens: Record<Who, { id: string; email: string; token: string }> = {} as never;
    // Shared by the tests below, which run in order: a confidential case registered by phone, and an anonymous one.
    let caseId = "", anonymousId = "";

    const call = (method: string, url: string, opts: { token?: string; body?: unknown } = {}) => t.app.inject({
      method: method as "GET", url, payload: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.body === undefined ? {} : { "content-type": "application/json" }) },
    });
    const as = (who: Who) => ({
      get: (url: string) => call("GET", url, { token: tokens[who].token }),
      post: (url: string, body: unknown) => call("POST", url, { token: tokens[who].token, body }),
    });
    const readCase = async (who: Who, id = caseId) => {
      const res = await as(who).get(`/api/v1/cases/${id}`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { timeline: Entry[]; [k: string]: unknown };
    };
    const answers = (extra: Record<string, unknown> = {}) => ({
      categoryId, description: "Een wethouder belde: een aanbesteding is aan een bekende gegund.", occurredWhen: "vorige maand", unitId: "",
      howKnown: "heard_from_others", reportedBefore: "no", concernsHandler: "no", mode: "anonymous", ...extra,
    });
    const register = (body: unknown, who: Who = "coordinator", organisationId = orgA.id) => as(who).post(`/api/v1/organisations/${organisationId}/reports`, body);

    before(async () => {
      t = await testApp(kind);
      orgA = await makeOrganisation(t.ctx, "Gemeente A");
      orgB = await makeOrganisation(t.ctx, "Gemeente B");
      tokens.coordinator = await tokenFor(t.ctx, "coordinator", orgA.id, "coordinator@a.example", "Carla Coördinator");
      tokens.coordinator2 = await tokenFor(t.ctx, "coordinator", orgA.id, "tweede@a.example", "Bram Tweede");
      tokens.coordinatorB = await tokenFor(t.ctx, "coordinator", orgB.id, "coordinator@b.example", "Coördinator B");
      tokens.investigator = await tokenFor(t.ctx, "investigator", orgA.id, "investigator@a.example", "Iris Onderzoeker");
      tokens.employee = await tokenFor(t.ctx, "employee", orgA.id, "employee@a.example", "Eva Medewerker");
      categoryId = (await call("GET", `/api/v1/intake/${orgA.slug}/categories`)).json().categories[0].id;
    });
    after(async () => { await t?.close(); });

    test("registerReport: a confidential phone report with a receipt; 201 with the receipt this once, and the case as registered", async () => {
      const receivedOn = addDays(today(), -2);
      const res = await register({
        ...answers({ mode: "confidential", identity: { name: "Mila de Vries", email: "", phone: "0612345678", relation: "employee" } }),
        channel: "phone", receivedOn, receipt: true,
      });
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json();
      assert.deepEqual(Object.keys(body).sort(), ["acknowledgementDueOn", "id", "minutes", "receipt", "receivedOn", "reference", "visible"]);
      assert.match(body.receipt, /^\d{16}$/);
      assert.match(body.reference, /^\d{4}-\d{4}$/);
      assert.equal(body.receivedOn, receivedOn, "the statutory clock starts on the day it came in");
      assert.equal(body.visible, true);
      assert.equal(body.minutes, true, "an oral report is kept as minutes");
      caseId = body.id;

      const c = await readCase("coordinator");
      assert.equal(c.reference, body.reference);
      assert.equal(c.channel, "phone");
      assert.equal(c.mode, "confidential");
      assert.equal((c.identity as { name: string }).name, "Mila de Vries");
      assert.ok(c.timeline.some((e) => e.kind === "minutes"));
      assert.ok(!JSON.stringify(c).includes(body.receipt), "the receipt is never returned again");
      const box = await call("POST", `/api/v1/intake/${orgA.slug}/mailbox`, { body: { receipt: body.receipt } });
      assert.equal(box.statusCode, 200, "the receipt opens the reporter's mailbox");
      assert.equal(box.json().reference, body.reference);
    });

    test("registerReport: anonymous by e-mail without a receipt; errors in the desk's words; another organisation's coordinator 403", async () => {
      // A blank identity on an anonymous report is left out, as on the page's form.
      const res = await register({ ...answers({ identity: { name: "", email: "", phone: "", relation: "" } }), channel: "email", receivedOn: today() });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().receipt, undefined, "no receipt unless asked for");
      assert.equal(res.json().minutes, false);
      anonymousId = res.json().id;
      const anonymous = await readCase("coordinator", anonymousId);
      assert.equal(anonymous.mode, "anonymous");
      assert.equal(anonymous.identity, null);

      const empty = await register({});
      assert.equal(empty.statusCode, 422, empty.body);
      const errors = codes(empty);
      assert.equal(errors.channel, "register.channelRequired");
      assert.equal(errors.receivedOn, "register.receivedOnRequired");
      assert.equal(errors.description, "register.descriptionRequired", "the desk's wording, not the reporter's");
      assert.deepEqual(codes(await register({ ...answers(), channel: "email", receivedOn: today(), receipt: true })), { receipt: "register.receiptNotPossible" });
      assert.deepEqual(codes(await register({ ...answers(), channel: "letter", receivedOn: addDays(today(), 1) })), { receivedOn: "register.receivedOnFuture" });
      assert.deepEqual(codes(await register({ ...answers(), channel: "web", receivedOn: today() })), { channel: "register.channelRequired" });

      const valid = { ...answers(), channel: "email", receivedOn: today() };
      assert.equal((await register(valid, "coordinatorB")).statusCode, 403, "no report.handle in that organisation");
      assert.equal((await register(valid, "investigator")).statusCode, 403);
      assert.equal((await register(valid, "employee")).statusCode, 403);
      assert.equal((await call("POST", `/api/v1/organisations/${orgA.id}/reports`, { body: valid })).statusCode, 401);
    });

    test("addCaseNote: 201 with the note on the timeline; an empty note 422; another organisation 404", async () => {
      const res = await as("coordinator").post(`/api/v1/cases/${caseId}/notes`, { body: "Melder terugbellen na 17 uur." });
      assert.equal(res.statusCode, 201, res.body);
      const note = (res.json().timeline as Entry[]).find((e) => e.kind === "note")!;
      assert.equal(note.text, "Melder terugbellen na 17 uur.");
      assert.equal(note.authorName, "Carla Coördinator");
      assert.ok((await readCase("coordinator")).timeline.some((e) => e.kind === "note" && e.id === note.id));
      const row = await t.ctx.db.selectFrom("report_entries").select("visible_to_reporter").where("id", "=", note.id).executeTakeFirstOrThrow();
      assert.equal(Number(row.visible_to_reporter), 0, "a note never reaches the mailbox");

      const empty = await as("coordinator").post(`/api/v1/cases/${caseId}/notes`, { body: "  " });
      assert.equal(empty.statusCode, 422);
      assert.deepEqual(codes(empty), { body: "report.noteRequired" });
      assert.equal((await as("coordinatorB").post(`/api/v1/cases/${caseId}/notes`, { body: "Hallo" })).statusCode, 404);
      assert.equal((await as("investigator").post(`/api/v1/cases/${caseId}/notes`, { body: "Hallo" })).statusCode, 404, "not (yet) their case");
      assert.equal((await as("employee").post(`/api/v1/cases/${caseId}/notes`, { body: "Hallo" })).statusCode, 403);
    });

    test("assignCase: the coordinator and investigator by name; then the investigator may add notes; a wrong role 422; another organisation 404", async () => {
      const res = await as("coordinator").post(`/api/v1/cases/${caseId}/assignment`, { coordinatorId: tokens.coordinator2.id, investigatorId: tokens.investigator.id });
      assert.equal(res.statusCode, 200, res.body);
      const c = res.json();
      assert.equal(c.coordinatorId, tokens.coordinator2.id);
      assert.equal(c.coordinatorName, "Bram Tweede");
      assert.equal(c.investigatorName, "Iris Onderzoeker");
      const entry = (c.timeline as Entry[]).find((e) => e.kind === "assignment")!;
      assert.deepEqual(entry.meta, { coordinatorId: tokens.coordinator2.id, investigatorId: tokens.investigator.id });

      const byInvestigator = await as("investigator").post(`/api/v1/cases/${caseId}/notes`, { body: "Dossier opgevraagd." });
      assert.equal(byInvestigator.statusCode, 201, byInvestigator.body);
      assert.ok((byInvestigator.json().timeline as Entry[]).some((e) => e.kind === "note" && e.authorName === "Iris Onderzoeker"));
      assert.equal((await as("investigator").post(`/api/v1/cases/${caseId}/assignment`, { investigatorId: tokens.investigator.id })).statusCode, 403);

      const wrong = await as("coordinator").post(`/api/v1/cases/${caseId}/assignment`, { coordinatorId: tokens.coordinator2.id, investigatorId: tokens.coordinator.id });
      assert.equal(wrong.statusCode, 422);
      assert.deepEqual(codes(wrong), { investigatorId: "report.assigneeInvalid" });
      assert.equal((await readCase("coordinator")).investigatorId, tokens.investigator.id, "nothing changed");
      assert.equal((await as("coordinatorB").post(`/api/v1/cases/${caseId}/assignment`, { coordinatorId: tokens.coordinatorB.id })).statusCode, 404);
    });

    test("referCase: 201 with the referral and its reason on the timeline; an unknown body 422; another organisation 404", async () => {
      const res = await as("coordinator").post(`/api/v1/cases/${caseId}/referrals`, { body: "huis_klokkenluiders", reason: "Advies gevraagd over de aanbesteding." });
      assert.equal(res.statusCode, 201, res.body);
      assert.ok((await readCase("coordinator")).timeline.some((e) =>
        e.kind === "referral" && e.meta.body === "huis_klokkenluiders" && e.text === "Advies gevraagd over de aanbesteding."));

      const wrong = await as("coordinator").post(`/api/v1/cases/${caseId}/referrals`, { body: "fbi" });
      assert.equal(wrong.statusCode, 422);
      assert.deepEqual(codes(wrong), { body: "field.choose" });
      assert.equal((await as("coordinatorB").post(`/api/v1/cases/${caseId}/referrals`, { body: "lkog" })).statusCode, 404);
    });

    test("shareCaseIdentity: after it the investigator reads who reported; a missing reason 422; an anonymous case 409; another organisation 404", async () => {
      const before = await readCase("investigator");
      assert.equal(before.identity, null);
      assert.equal(before.identityProtected, true);

      const noReason = await as("coordinator").post(`/api/v1/cases/${caseId}/identity-disclosures`, { accountId: tokens.investigator.id, basis: "consent" });
      assert.equal(noReason.statusCode, 422);
      assert.deepEqual(codes(noReason), { reason: "report.disclosureReasonRequired" });
      const badBasis = await as("coordinator").post(`/api/v1/cases/${caseId}/identity-disclosures`, { accountId: tokens.investigator.id, basis: "curiosity", reason: "Waarom niet." });
      assert.deepEqual(codes(badBasis), { basis: "field.choose" });
      const outsider = await as("coordinator").post(`/api/v1/cases/${caseId}/identity-disclosures`, { accountId: tokens.employee.id, basis: "consent", reason: "Toestemming." });
      assert.deepEqual(codes(outsider), { accountId: "report.assigneeInvalid" }, "only someone who works on cases there");
      assert.equal((await as("coordinatorB").post(`/api/v1/cases/${caseId}/identity-disclosures`, { accountId: tokens.investigator.id, basis: "consent", reason: "Toestemming." })).statusCode, 404);
      assert.equal((await as("investigator").post(`/api/v1/cases/${caseId}/identity-disclosures`, { accountId: tokens.investigator.id, basis: "consent", reason: "Toestemming." })).statusCode, 403);
      const anonymous = await as("coordinator").post(`/api/v1/cases/${anonymousId}/identity-disclosures`, { accountId: tokens.investigator.id, basis: "consent", reason: "Toestemming." });
      assert.equal(anonymous.statusCode, 409);
      assert.equal((anonymous.json() as Problem).code, "no_identity");

      const res = await as("coordinator").post(`/api/v1/cases/${caseId}/identity-disclosures`, {
        accountId: tokens.investigator.id, basis: "consent", reason: "Melder gaf telefonisch toestemming.",
      });
      assert.equal(res.statusCode, 201, res.body);
      const entry = (res.json().timeline as Entry[]).find((e) => e.kind === "disclosure")!;
      assert.deepEqual(entry.meta, { accountId: tokens.investigator.id, basis: "consent" });
      assert.equal(entry.text, "Melder gaf telefonisch toestemming.");
      const after = await readCase("investigator");
      assert.equal((after.identity as { name: string }).name, "Mila de Vries");
      assert.equal(after.identityProtected, false);
    });

    test("excludeFromCase: by e-mail or account id; the excluded account then gets 404; errors on the field; another organisation 404", async () => {
      const unknown = await as("coordinator").post(`/api/v1/cases/${caseId}/exclusions`, { email: "niemand@a.example" });
      assert.equal(unknown.statusCode, 422);
      assert.deepEqual(codes(unknown), { email: "report.excludeUnknown" });
      assert.deepEqual(codes(await as("coordinator").post(`/api/v1/cases/${caseId}/exclusions`, { email: "geen-adres" })), { email: "field.email" });
      assert.deepEqual(codes(await as("coordinator").post(`/api/v1/cases/${caseId}/exclusions`, { accountId: tokens.coordinator.id })), { accountId: "report.excludeSelf" });
      assert.deepEqual(codes(await as("coordinator").post(`/api/v1/cases/${caseId}/exclusions`, { accountId: "bestaat-niet" })), { accountId: "field.invalid" });
      assert.equal((await as("coordinator").post(`/api/v1/cases/${caseId}/exclusions`, {})).statusCode, 422);
      const both = await as("coordinator").post(`/api/v1/cases/${caseId}/exclusions`, { email: tokens.coordinator2.email, accountId: tokens.employee.id });
      assert.equal(both.statusCode, 422, "one or the other");
      assert.equal((await as("coordinatorB").post(`/api/v1/cases/${caseId}/exclusions`, { email: tokens.coordinator2.email })).statusCode, 404);
      assert.equal((await as("investigator").post(`/api/v1/cases/${caseId}/exclusions`, { email: tokens.coordinator2.email })).statusCode, 403);
      assert.equal((await readCase("coordinator2")).reference, (await readCase("coordinator")).reference, "nothing changed");

      const byEmail = await as("coordinator").post(`/api/v1/cases/${caseId}/exclusions`, { email: tokens.coordinator2.email.toUpperCase() });
      assert.equal(byEmail.statusCode, 201, byEmail.body);
      assert.ok((byEmail.json().timeline as Entry[]).some((e) => e.kind === "exclusion" && e.text === "Bram Tweede"), "the desk sees who was excluded");
      assert.equal((await as("coordinator2").get(`/api/v1/cases/${caseId}`)).statusCode, 404);
      assert.equal((await as("coordinator2").post(`/api/v1/cases/${caseId}/notes`, { body: "Hallo" })).statusCode, 404);
      const list = (await as("coordinator2").get("/api/v1/cases")).json();
      assert.ok(!list.items.some((i: { id: string }) => i.id === caseId), "nor in their list");
      assert.ok(list.items.some((i: { id: string }) => i.id === anonymousId), "other cases stay theirs");

      const byId = await as("coordinator").post(`/api/v1/cases/${anonymousId}/exclusions`, { accountId: tokens.investigator.id });
      assert.equal(byId.statusCode, 201, byId.body);
      assert.ok((byId.json().timeline as Entry[]).some((e) => e.kind === "exclusion" && e.text === "Iris Onderzoeker"));
      await as("coordinator").post(`/api/v1/cases/${anonymousId}/assignment`, { investigatorId: tokens.investigator.id });
      assert.equal((await as("investigator").get(`/api/v1/cases/${anonymousId}`)).statusCode, 404, "excluded, even once assigned");
      assert.equal((await readCase("investigator")).id, caseId, "the other case is still theirs");
    });

    test("the OpenAPI document describes the new operations", async () => {
      const doc = (await call("GET", "/api/v1/openapi.json")).json();
      const ops = new Map<string, { operationId: string; tags: string[]; security?: unknown[]; summary: string; requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } }>();
      for (const path of Object.values(doc.paths as Record<string, Record<string, { operationId: string; tags: string[]; summary: string }>>)) {
        for (const op of Object.values(path)) ops.set(op.operationId, op);
      }
      for (const id of NEW_OPS) {
        const op = ops.get(id);
        assert.ok(op, `missing ${id}`);
        assert.deepEqual(op.tags, ["reports"]);
        assert.equal(op.security, undefined, `${id} needs a token`);
        assert.ok(op.summary && !op.summary.includes("\n"));
        assert.ok(op.requestBody, `${id} has a body`);
      }
      const registration = doc.paths["/organisations/{organisationId}/reports"].post.requestBody.content["application/json"].schema;
      for (const field of ["channel", "receivedOn", "receipt", "categoryId", "description", "mode", "identity"]) assert.ok(field in registration.properties, field);
      assert.ok(!("noticeEmail" in registration.properties), "the desk types no notice address");
      assert.ok(!registration.properties.channel.enum.includes("web"));
      assert.ok(doc.paths["/organisations/{organisationId}/reports"].post.responses["201"]);
      const exclusion = doc.paths["/cases/{caseId}/exclusions"].post.requestBody.content["application/json"].schema;
      assert.deepEqual(exclusion.anyOf.map((s: { required: string[] }) => s.required), [["email"], ["accountId"]]);
      assert.ok(doc.paths["/cases/{caseId}/referrals"].post.requestBody.content["application/json"].schema.properties.body.enum.includes("lkog"));
    });

    test("handOverCase: 409 without a recipient; a reason is required; then only the recipient reads the case; measureOptions lists the measures", async () => {
      const fresh = await register(answers({ channel: "phone", receivedOn: today() }));
      assert.equal(fresh.statusCode, 201, fresh.body);
      const id = fresh.json().id as string;
      const options = (await readCase("coordinator", id)).measureOptions as { code: string; label: string; active: boolean }[];
      assert.deepEqual(options.slice(0, 2), [{ code: "conversation", label: "Gesprek", active: true }, { code: "warning", label: "Waarschuwing", active: true }]);
      const none = await as("coordinator").post(`/api/v1/cases/${id}/handover`, { reason: "Gaat over een coördinator." });
      assert.equal(none.statusCode, 409);
      assert.equal((none.json() as Problem).code, "no_alternative");
      await t.ctx.db.updateTable("report_settings").set({ alternative_account_id: tokens.coordinator2.id }).where("organisation_id", "=", orgA.id).execute();
      const noReason = await as("coordinator").post(`/api/v1/cases/${id}/handover`, {});
      assert.equal(noReason.statusCode, 422);
      assert.deepEqual(codes(noReason), { reason: "report.handOverReasonRequired" });
      assert.equal((await as("coordinatorB").post(`/api/v1/cases/${id}/handover`, { reason: "x" })).statusCode, 404);
      const done = await as("coordinator").post(`/api/v1/cases/${id}/handover`, { reason: "Gaat over een coördinator." });
      assert.equal(done.statusCode, 200, done.body);
      assert.deepEqual(done.json(), { recipientName: "Bram Tweede", visible: false });
      assert.equal((await as("coordinator").get(`/api/v1/cases/${id}`)).statusCode, 404);
      const seen = await readCase("coordinator2", id);
      assert.equal(seen.routing, "alternative");
      assert.equal(seen.timeline.find((e) => e.kind === "handover")?.text, "Gaat over een coördinator.");
      await t.ctx.db.updateTable("report_settings").set({ alternative_account_id: null }).where("organisation_id", "=", orgA.id).execute();
    });
  });
}
