// The scene the route × role matrix and the fuzz suite run in: organisation A with one account per role (plus an
// administrator of organisation B), a real record for every route parameter (a handled case, one awaiting the
// secretary, a reporter's file, an employee's own report, an advisor's contact with a note's file, and an activity), sessions, API tokens,
// a CSRF pair, and a public report with its receipt and an open mailbox session. `heal()` puts back what a request
// may have taken away (a revoked grant, a blocked account, a closed contact, a signed-out session, a closed mailbox),
// so an outcome never depends on which request ran before it.
import { ROLES } from "../../src/access/permissions.ts";
import { addNote, createContact, ensureAdvisorSetup } from "../../src/advisors/service.ts";
import { createApiToken, startSession } from "../../src/auth/service.ts";
import { newId } from "../../src/crypto/tokens.ts";
import type { RoleAssignmentsTable } from "../../src/db/schema.ts";
import { addFromReporter } from "../../src/reports/attachments/service.ts";
import { today } from "../../src/reports/deadlines.ts";
import { ensureSettings, openMailboxSession, submitReport } from "../../src/reports/intake.ts";
import * as cases from "../../src/reports/service.ts";
import type { Context } from "../../src/context.ts";
import { buildApp } from "../../src/http/app.ts";
import { testApp } from "./app.ts";
import { freshDatabase, type DbKind } from "./db.ts";
import { grant, makeAccount, makeGroup, makeOrganisation, makeUnit, TEST_PASSWORD } from "./fixtures.ts";
import { actorOf, makeReport, reportAnswers } from "./reports.ts";

export const WHO = [...ROLES, "anonymous", "otherOrganisation"] as const;
export type Who = (typeof WHO)[number];

export type Scene = Awaited<ReturnType<typeof buildScene>>;

/** `log`: a logger for the app instead of the silent one (the abuse tests read what it writes). */
export async function buildScene(kind: DbKind, env: Record<string, string> = {}, opts: { log?: Context["log"] } = {}) {
  const t = opts.log ? await appWithLogger(kind, env, opts.log) : await testApp(kind, env);
  const ctx = t.ctx;
  const orgA = await makeOrganisation(ctx, "Gemeente A");
  const orgB = await makeOrganisation(ctx, "Gemeente B");
  const group = await makeGroup(ctx, "Regio A", [orgA.id]);
  const unit = await makeUnit(ctx, orgA.id, "Afdeling A");
  const team = await makeUnit(ctx, orgA.id, "Team A", unit);
  const personId = newId();
  await ctx.db.insertInto("people").values({
    id: personId, organisation_id: orgA.id, employee_number: "A-1", given_name: "Ada", family_name: "Jansen", email: null,
    unit_id: team.id, position_id: null, manager_id: null, employment_type: "employee", start_date: null, end_date: null,
    created_at: new Date().toISOString(), updated_at: new Date().toISOString(),
  }).execute();
  const target = await makeAccount(ctx, "doel@a.example");
  await grant(ctx, target.id, "employee", "organisation", orgA.id, orgA.id);
  const targetGrant = await ctx.db.selectFrom("role_assignments").select("id").where("account_id", "=", target.id).executeTakeFirstOrThrow();
  const accounts = new Map<Who, string>();
  const emails = new Map<Who, string>();
  for (const role of ROLES) {
    const a = await makeAccount(ctx, `${role}@a.example`);
    if (role === "manager") await grant(ctx, a.id, role, "unit", unit.id, orgA.id);
    else await grant(ctx, a.id, role, "organisation", orgA.id, orgA.id);
    accounts.set(role, a.id);
    emails.set(role, a.email);
  }
  await grant(ctx, accounts.get("admin")!, "admin", "group", group.id, null);
  const other = await makeAccount(ctx, "admin@b.example");
  await grant(ctx, other.id, "admin", "organisation", orgB.id, orgB.id);
  accounts.set("otherOrganisation", other.id);
  emails.set("otherOrganisation", other.email);
  const apiTokens = new Map<Who, string>();
  for (const [who, id] of accounts) apiTokens.set(who, (await createApiToken(ctx, { type: "system", id: "fuzz" }, id, "fuzz", 30)).token);
  await createApiToken(ctx, { type: "system", id: "fuzz" }, target.id, "doel", 30);
  const targetTokenId = (await ctx.db.selectFrom("api_tokens").select("id").where("account_id", "=", target.id).executeTakeFirstOrThrow()).id;

  await ensureSettings(ctx, orgA.id);
  await ensureSettings(ctx, orgB.id);
  const categoryId = (await ctx.db.selectFrom("report_categories").select("id").where("organisation_id", "=", orgA.id).executeTakeFirstOrThrow()).id;
  const measureId = (await ctx.db.selectFrom("report_measures").select("id").where("organisation_id", "=", orgA.id).executeTakeFirstOrThrow()).id;

  const asCoordinator = await actorOf(ctx, accounts.get("coordinator")!, orgA.id);
  const handled = await makeReport(ctx, orgA.slug);
  await cases.assign(ctx, asCoordinator, handled.reportId, { investigatorId: accounts.get("investigator")! });
  const waiting = await makeReport(ctx, orgA.slug);
  for (const step of [{ action: "acknowledge" }, { action: "startAssessment" }, { action: "decideInvestigation", investigationBy: "internal" }]) {
    await cases.transition(ctx, asCoordinator, waiting.reportId, step);
  }
  const file = await addFromReporter(ctx, handled.reportId, { name: "bewijs.txt", data: Buffer.from("wat ik zag"), truncated: false });
  const own = await submitReport(ctx, orgA.slug, await reportAnswers(ctx, orgA.slug, {
    mode: "confidential", identity: { name: "Eva Employee", email: "", phone: "", relation: "employee" },
  }), { locale: "nl", reporter: await actorOf(ctx, accounts.get("employee")!, orgA.id) });
  // A public report whose reporter keeps a mailbox open in this "browser".
  const mailboxReport = await submitReport(ctx, orgA.slug, await reportAnswers(ctx, orgA.slug, {}), { locale: "nl" });

  await ensureAdvisorSetup(ctx, orgA.id);
  const natureId = (await ctx.db.selectFrom("advisor_natures").select("id").where("organisation_id", "=", orgA.id).executeTakeFirstOrThrow()).id;
  const activity = {
    id: newId(), organisation_id: orgA.id, unit_id: null, advisor_account_id: accounts.get("advisor")!, activity_on: today(),
    kind: "workshop", people_reached: 12, created_at: new Date().toISOString(),
  };
  await ctx.db.insertInto("advisor_activities").values(activity).execute();
  const asAdvisor = await actorOf(ctx, accounts.get("advisor")!, orgA.id);
  const contact = await createContact(ctx, asAdvisor, {
    contactOn: today(), organisationId: orgA.id, relation: "employee", natures: ["bullying"], people: 1, form: "phone",
    conversations: 1, minutes: 30, followUp: "none",
  });
  // A note with a file, for the download route's :fileId.
  await addNote(ctx, asAdvisor, contact.id, {}, [{ name: "verslag.txt", data: Buffer.from("wat de bezoeker vertelde\n"), truncated: false }]);
  const noteFileId = (await ctx.db.selectFrom("advisor_note_files").select("id").where("contact_id", "=", contact.id).executeTakeFirstOrThrow()).id;

  /** Real ids of organisation A by parameter name (as the matrix fills them). */
  const params: Record<string, string> = {
    organisationId: orgA.id, groupId: group.id, unitId: unit.id, personId, accountId: target.id, grantId: targetGrant.id,
    roleAssignmentId: targetGrant.id, tokenId: targetTokenId, categoryId, measureId, slug: orgA.slug, caseId: handled.reportId,
    approvalId: waiting.reportId, attachmentId: file.id, myReportId: own.reportId, natureId, activityId: activity.id, contactId: contact.id,
    fileId: noteFileId,
  };

  /** The id a route's `:id` stands for, by the route's prefix (as in the matrix). */
  function idFor(url: string): string {
    if (url.startsWith("/beheer/organisatie/eenheden")) return params.unitId!;
    if (url.startsWith("/beheer/medewerkers")) return params.personId!;
    if (url.startsWith("/beheer/accounts")) return params.accountId!;
    if (url.startsWith("/account/sleutels")) return params.tokenId!;
    if (url.startsWith("/beheer/meldpunt/categorieen")) return params.categoryId!;
    if (url.startsWith("/beheer/meldpunt/maatregelen")) return params.measureId!;
    if (url.startsWith("/beheer/vertrouwenspersonen/onderwerpen")) return params.natureId!;
    if (url.startsWith("/activiteiten/")) return params.activityId!;
    if (url.startsWith("/meldingen/") || url.startsWith("/onderzoeken/")) return params.caseId!;
    if (url.startsWith("/goedkeuringen/")) return params.approvalId!;
    if (url.startsWith("/mijn-meldingen/")) return params.myReportId!;
    if (url.startsWith("/contacten/")) return params.contactId!;
    return newId();
  }

  /** A route's URL with organisation A's real ids in it. */
  function fill(url: string, override: Record<string, string> = {}): string {
    return url.replace(/:([A-Za-z]+)|\*/g, (m, name: string | undefined) => {
      if (m === "*") return override["*"] ?? "intact.css";
      if (override[name!] !== undefined) return override[name!]!;
      if (name === "id") return idFor(url);
      return params[name!] ?? newId();
    });
  }

  // ---- what heal() restores ----
  const sceneAccounts = [...accounts.values(), target.id];
  const originalGrants: RoleAssignmentsTable[] = await ctx.db.selectFrom("role_assignments").selectAll().where("account_id", "in", sceneAccounts).execute();
  const passwordHashes = await ctx.db.selectFrom("accounts").select(["id", "password_hash"]).where("id", "in", sceneAccounts).execute();
  const codes = {
    natures: (await ctx.db.selectFrom("advisor_natures").select("code").where("organisation_id", "=", orgA.id).execute()).map((r) => r.code),
    measures: (await ctx.db.selectFrom("report_measures").select("code").where("organisation_id", "=", orgA.id).execute()).map((r) => r.code),
  };
  const sessions = new Map<Who, string>();
  const mailbox = { token: "" };
  const csrf = { cookie: "", token: "" };

  async function newSessions(only?: Who) {
    for (const [who, id] of accounts) if (!only || only === who) sessions.set(who, await startSession(ctx, id, "full", { type: "system", id: "fuzz" }));
  }
  async function newMailbox() {
    mailbox.token = (await openMailboxSession(ctx, orgA.slug, { receipt: mailboxReport.receipt! })).token;
  }
  async function newCsrf() {
    const page = await t.app.inject({ method: "GET", url: "/inloggen" });
    csrf.cookie = page.cookies.filter((c) => c.name.includes("csrf")).map((c) => `${c.name}=${c.value}`).join("; ");
    csrf.token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  }

  /** Puts the scene back: grants, unblocked accounts, tokens, the assigned investigator, the activity, the open contact,
   *  and fresh sessions (all, or only the one person's whose request may have ended theirs) and a fresh mailbox session. */
  async function heal(opts: { only?: Who; mailbox?: boolean; sessions?: boolean } = {}) {
    const db = ctx.db;
    const present = new Set((await db.selectFrom("role_assignments").select("id").where("account_id", "in", sceneAccounts).execute()).map((r) => r.id));
    const missing = originalGrants.filter((g) => !present.has(g.id));
    if (missing.length) await db.insertInto("role_assignments").values(missing).execute();
    if (present.size + missing.length > originalGrants.length) {
      await db.deleteFrom("role_assignments").where("account_id", "in", sceneAccounts).where("id", "not in", originalGrants.map((g) => g.id)).execute();
    }
    await db.updateTable("accounts").set({ disabled: 0, password_change_required: 0 }).where("id", "in", sceneAccounts).where((eb) => eb.or([eb("disabled", "!=", 0), eb("password_change_required", "!=", 0)])).execute();
    // A fuzzed password change may succeed: the scene's sign-ins use the test password.
    for (const a of passwordHashes) await db.updateTable("accounts").set({ password_hash: a.password_hash }).where("id", "=", a.id).where("password_hash", "!=", a.password_hash).execute();
    await db.updateTable("api_tokens").set({ revoked_at: null }).where("account_id", "in", sceneAccounts).where("revoked_at", "is not", null).execute();
    await db.updateTable("reports").set({ investigator_account_id: accounts.get("investigator")! }).where("id", "=", handled.reportId)
      .where((eb) => eb.or([eb("investigator_account_id", "is", null), eb("investigator_account_id", "!=", accounts.get("investigator")!)])).execute();
    // An administrator may rename their organisation, change its address (slug) or demand two-step sign-in.
    for (const org of [orgA, orgB]) {
      await db.updateTable("organisations").set({ slug: org.slug, name: org.name, totp_required: 0 }).where("id", "=", org.id)
        .where((eb) => eb.or([eb("slug", "!=", org.slug), eb("name", "!=", org.name), eb("totp_required", "!=", 0)])).execute();
    }
    await db.updateTable("report_categories").set({ active: 1 }).where("organisation_id", "=", orgA.id).where("active", "=", 0).execute();
    await db.updateTable("advisor_natures").set({ active: 1 }).where("organisation_id", "=", orgA.id).where("active", "=", 0).execute();
    const there = await db.selectFrom("advisor_activities").select("id").where("id", "=", activity.id).executeTakeFirst();
    if (!there) await db.insertInto("advisor_activities").values(activity).execute();
    await db.updateTable("advisor_contacts").set({ status: "open", closed_on: null, notes_destroy_on: null }).where("id", "=", contact.id).where("status", "!=", "open").execute();
    if (opts.sessions !== false && opts.only !== "anonymous") await newSessions(opts.only);
    if (opts.mailbox !== false) await newMailbox();
  }

  await newSessions();
  await newMailbox();
  await newCsrf();

  return {
    t, ctx, app: t.app, kind, orgA, orgB, unitId: unit.id, codes, accounts, emails, apiTokens, sessions, mailbox, csrf, params, fill, heal, newCsrf,
    password: TEST_PASSWORD, dataDir: t.dataDir, receipt: mailboxReport.receipt!, reportIds: { handled: handled.reportId, waiting: waiting.reportId, own: own.reportId, mailbox: mailboxReport.reportId },
    async close() { await t.close(); },
  };
}

/** testApp with the app logging through `log`. */
async function appWithLogger(kind: DbKind, env: Record<string, string>, log: Context["log"]): Promise<Awaited<ReturnType<typeof testApp>>> {
  const tdb = await freshDatabase(kind, env);
  tdb.ctx.log = log;
  const app = await buildApp(tdb.ctx);
  await app.ready();
  return { ...tdb, app, async close() { await app.close(); await tdb.drop(); } };
}
