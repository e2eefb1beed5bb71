import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { ROLES, type Role } from "../../src/access/permissions.ts";
import { createApiToken, startSession } from "../../src/auth/service.ts";
import { newId } from "../../src/crypto/tokens.ts";
import { createContact, ensureAdvisorSetup } from "../../src/advisors/service.ts";
import { addFromReporter } from "../../src/reports/attachments/service.ts";
import { today } from "../../src/reports/deadlines.ts";
import { ensureSettings, submitReport } from "../../src/reports/intake.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { testApp } from "../helpers/app.ts";
import * as cases from "../../src/reports/service.ts";
import { actorOf, makeReport, reportAnswers } from "../helpers/reports.ts";
import { grant, makeAccount, makeGroup, makeOrganisation, makeUnit } from "../helpers/fixtures.ts";

// Every registered route × every role (plus nobody, and an administrator of another organisation),
// compared with the checked-in matrix. A new route, or a changed outcome, shows up as a diff here.
// Regenerate after a deliberate change with: UPDATE_MATRIX=1 npm test -- matrix

const MATRIX_FILE = path.join(import.meta.dirname, "matrix.json");
const WHO = [...ROLES, "anonymous", "otherOrganisation"] as const;
type Who = (typeof WHO)[number];
type Outcome = "allow" | "401" | "403" | "404";

/** One line per route, so a changed outcome is a one-line diff. */
function serialise(m: Record<string, Record<string, Outcome>>): string {
  const lines = Object.entries(m).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  return `{\n${lines.join(",\n")}\n}\n`;
}

function classify(status: number): Outcome | "5xx" {
  if (status >= 500) return "5xx";
  if (status === 401 || status === 403 || status === 404) return String(status) as Outcome;
  return "allow";
}

for (const { kind, skip } of DB_KINDS) {
  describe(`route × role matrix (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    const accounts = new Map<Who, string>();
    const apiTokens = new Map<Who, string>();
    const params: Record<string, string> = {};
    let csrf = { cookie: "", token: "" };
    let restoreScene = async () => {};

    before(async () => {
      t = await testApp(kind);
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
      for (const role of ROLES) {
        const a = await makeAccount(ctx, `${role}@a.example`);
        if (role === "manager") await grant(ctx, a.id, role, "unit", unit.id, orgA.id);
        else await grant(ctx, a.id, role, "organisation", orgA.id, orgA.id);
        accounts.set(role, a.id);
      }
      await grant(ctx, accounts.get("admin")!, "admin", "group", group.id, null);
      const other = await makeAccount(ctx, "admin@b.example");
      await grant(ctx, other.id, "admin", "organisation", orgB.id, orgB.id);
      accounts.set("otherOrganisation", other.id);
      for (const [who, id] of accounts) apiTokens.set(who, (await createApiToken(ctx, { type: "system", id: "test" }, id, "matrix", 1)).token);
      const someToken = await ctx.db.selectFrom("api_tokens").select("id").where("account_id", "=", target.id).executeTakeFirst();
      // Each call starts from the same scene: a revoked grant or a blocked account is put back first,
      // so an outcome never depends on which route happened to run before it.
      const grantRow = await ctx.db.selectFrom("role_assignments").selectAll().where("id", "=", targetGrant.id).executeTakeFirstOrThrow();
      restoreScene = async () => {
        const exists = await ctx.db.selectFrom("role_assignments").select("id").where("id", "=", grantRow.id).executeTakeFirst();
        if (!exists) await ctx.db.insertInto("role_assignments").values(grantRow).execute();
        await ctx.db.deleteFrom("role_assignments").where("account_id", "=", target.id).where("id", "!=", grantRow.id).execute();
        await ctx.db.updateTable("accounts").set({ disabled: 0 }).where("id", "=", target.id).execute();
      };
      const reportCategoryOf = async (organisationId: string) => {
        await ensureSettings(ctx, organisationId);
        return (await ctx.db.selectFrom("report_categories").select("id").where("organisation_id", "=", organisationId).executeTakeFirstOrThrow()).id;
      };
      Object.assign(params, {
        organisationId: orgA.id, groupId: group.id, unitId: unit.id, personId, accountId: target.id,
        grantId: targetGrant.id, roleAssignmentId: targetGrant.id, tokenId: someToken?.id ?? newId(),
        categoryId: await reportCategoryOf(orgA.id),
        measureId: (await ctx.db.selectFrom("report_measures").select("id").where("organisation_id", "=", orgA.id).executeTakeFirstOrThrow()).id,
        slug: orgA.slug,
      });
      // A case the coordinator handles and the investigator is assigned to, and one awaiting the secretary.
      const asCoordinator = await actorOf(ctx, accounts.get("coordinator")!, orgA.id);
      const handled = await makeReport(ctx, orgA.slug);
      await cases.assign(ctx, asCoordinator, handled.reportId, { investigatorId: accounts.get("investigator")! });
      const waiting = await makeReport(ctx, orgA.slug);
      for (const step of [{ action: "acknowledge" }, { action: "startAssessment" }, { action: "decideInvestigation", investigationBy: "internal" }]) {
        await cases.transition(ctx, asCoordinator, waiting.reportId, step);
      }
      // A file the reporter sent to the handled case, for the download routes.
      const file = await addFromReporter(ctx, handled.reportId, { name: "bewijs.txt", data: Buffer.from("wat ik zag"), truncated: false });
      // A report the employee made while signed in, for the "Mijn meldingen" routes (anyone else gets 404 there).
      const own = await submitReport(ctx, orgA.slug, await reportAnswers(ctx, orgA.slug, {
        mode: "confidential", identity: { name: "Eva Employee", email: "", phone: "", relation: "employee" },
      }), { locale: "nl", reporter: await actorOf(ctx, accounts.get("employee")!, orgA.id) });
      Object.assign(params, { caseId: handled.reportId, approvalId: waiting.reportId, attachmentId: file.id, myReportId: own.reportId });
      // An empty assignment form unassigns; the next call starts with the investigator assigned again.
      const restorePeople = restoreScene;
      restoreScene = async () => {
        await restorePeople();
        await ctx.db.updateTable("reports").set({ investigator_account_id: accounts.get("investigator")! }).where("id", "=", handled.reportId).execute();
      };
      // The advisors' natures of organisation A (its settings page), and an activity of A's advisor: only that
      // advisor may delete it, and it is put back before each call.
      await ensureAdvisorSetup(ctx, orgA.id);
      const natureId = (await ctx.db.selectFrom("advisor_natures").select("id").where("organisation_id", "=", orgA.id).executeTakeFirstOrThrow()).id;
      const activity = {
        id: newId(), organisation_id: orgA.id, unit_id: null, advisor_account_id: accounts.get("advisor")!, activity_on: today(),
        kind: "workshop", people_reached: 12, created_at: new Date().toISOString(),
      };
      await ctx.db.insertInto("advisor_activities").values(activity).execute();
      Object.assign(params, { natureId, activityId: activity.id });
      const restoreBeforeActivities = restoreScene;
      restoreScene = async () => {
        await restoreBeforeActivities();
        const there = await ctx.db.selectFrom("advisor_activities").select("id").where("id", "=", activity.id).executeTakeFirst();
        if (!there) await ctx.db.insertInto("advisor_activities").values(activity).execute();
      };
      // A contact registered by A's advisor, for the contact routes (anyone else gets 404 there); a closing
      // through the matrix is undone before each call.
      const contact = await createContact(ctx, await actorOf(ctx, accounts.get("advisor")!, orgA.id), {
        contactOn: today(), organisationId: orgA.id, relation: "employee", natures: ["bullying"], people: 1, form: "phone",
        conversations: 1, minutes: 30, followUp: "none",
      });
      Object.assign(params, { contactId: contact.id });
      const restoreBeforeContacts = restoreScene;
      restoreScene = async () => {
        await restoreBeforeContacts();
        await ctx.db.updateTable("advisor_contacts").set({ status: "open", closed_on: null, notes_destroy_on: null }).where("id", "=", contact.id).execute();
      };
      const page = await t.app.inject({ method: "GET", url: "/inloggen" });
      csrf = { cookie: page.cookies.map((c) => `${c.name}=${c.value}`).join("; "), token: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]! };
    });
    after(async () => { await t?.close(); });

    /** A real id of organisation A for each parameter, so that "allow" means the record was reachable. */
    function fill(url: string): string {
      return url.replace(/:([A-Za-z]+)|\*/g, (m, name: string | undefined) => {
        if (m === "*") return "intact.css";
        if (name === "id") {
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
        return params[name!] ?? newId();
      });
    }

    async function call(method: string, url: string, who: Who) {
      await restoreScene();
      const isApi = url.startsWith("/api/");
      const headers: Record<string, string> = {};
      let cookie = csrf.cookie;
      if (who !== "anonymous") {
        if (isApi) headers.authorization = `Bearer ${apiTokens.get(who)}`;
        else cookie += `; intact_session=${await startSession(t.ctx, accounts.get(who)!, "full", { type: "system", id: "matrix" })}`;
      }
      if (!isApi) headers.cookie = cookie;
      const write = method !== "GET";
      if (write && isApi) headers["content-type"] = "application/json";
      if (write && !isApi) headers["content-type"] = "application/x-www-form-urlencoded";
      const payload = write ? (isApi ? "{}" : `_csrf=${encodeURIComponent(csrf.token)}`) : undefined;
      return t.app.inject({ method: method as "GET", url: fill(url), headers, payload });
    }

    test("every route answers every role as the checked-in matrix says", async () => {
      const routes = [...t.app.registeredRoutes].sort((a, b) => `${a.method} ${a.url}`.localeCompare(`${b.method} ${b.url}`));
      const actual: Record<string, Record<string, Outcome>> = {};
      const failures: string[] = [];
      for (const r of routes) {
        const key = `${r.method} ${r.url}`;
        actual[key] = {};
        for (const who of WHO) {
          const res = await call(r.method, r.url, who);
          const outcome = classify(res.statusCode);
          if (outcome === "5xx") { failures.push(`${key} as ${who}: ${res.statusCode} ${res.body.slice(0, 200)}`); continue; }
          actual[key][who] = outcome;
          if (r.access !== "public" && who === "anonymous" && outcome === "allow") failures.push(`${key} is open to anonymous users`);
        }
      }
      assert.deepEqual(failures, []);
      if (process.env.UPDATE_MATRIX === "1" && kind === "sqlite") fs.writeFileSync(MATRIX_FILE, serialise(actual));
      const expected = JSON.parse(fs.readFileSync(MATRIX_FILE, "utf8"));
      const missing = Object.keys(actual).filter((k) => !(k in expected));
      assert.deepEqual(missing, [], `routes not in ${MATRIX_FILE} (run UPDATE_MATRIX=1 npm test -- matrix and review the diff)`);
      assert.deepEqual(Object.keys(expected).filter((k) => !(k in actual)), [], "routes in the matrix that no longer exist");
      assert.deepEqual(actual, expected);
    });

    test("administrators and HR reach no route that needs a sealed permission", () => {
      const sealedRoutes = t.app.registeredRoutes.filter((r) => typeof r.access === "object" && /^(report\.(list|readContent|readIdentity|handle|investigate)|advisorContact\.read)/.test(r.access.permission));
      const expected = JSON.parse(fs.readFileSync(MATRIX_FILE, "utf8")) as Record<string, Record<Role, Outcome>>;
      for (const r of sealedRoutes) for (const role of ["admin", "hr"] as const) assert.notEqual(expected[`${r.method} ${r.url}`]?.[role], "allow", `${role} on ${r.url}`);
    });
  });
}
