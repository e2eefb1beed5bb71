import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ScopeType } from "../access/actor.ts";
import { ROLES } from "../access/permissions.ts";
import type { Context } from "../context.ts";
import { DomainError, NotFound, type FieldErrors } from "../http/errors.ts";
import { redirectWithFlash, sendPage } from "../http/pages.ts";
import { formBody, str } from "../http/validation.ts";
import { unitOptions } from "../organisations/views/tree.ts";
import { translator, type Translate } from "../ui/messages.ts";
import { roleLabel, scopeLabels } from "./labels.ts";
import * as accounts from "./service.ts";
import { AccountDetailPage } from "./views/detail.tsx";
import { AccountsPage, type AccountLine } from "./views/list.tsx";

const access = { permission: "account.manage" } as const;
const pick = (body: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, str(body[k])]));
/** A rejected form (bad input, or a duplicate) is shown again with its errors; other errors go to the error page. */
const formError = (e: unknown): DomainError | null => (e instanceof DomainError && Object.keys(e.fields).length ? e : null);

export function accountRoutes(app: FastifyInstance, ctx: Context) {
  const roleOptions = (t: Translate) => ROLES.map((r) => ({ value: r, label: roleLabel(t, r) }));

  /** Role and scope labels for the page, and whether each grant can be revoked here (only on the active organisation). */
  async function lines(t: Translate, organisationId: string, list: accounts.AccountView[]): Promise<AccountLine[]> {
    const all = list.flatMap((a) => a.roles);
    const labels = await scopeLabels(ctx.db, all.map((g) => ({ scopeType: g.scopeType as ScopeType, scopeId: g.scopeId })), t);
    const scope = new Map(all.map((g, i) => [g.id, labels[i]!]));
    return list.map((a) => ({
      id: a.id, displayName: a.displayName, email: a.email, totpEnabled: a.totpEnabled, disabled: a.disabled, lastLoginAt: a.lastLoginAt,
      roles: a.roles.map((g) => ({ id: g.id, role: roleLabel(t, g.role), scope: scope.get(g.id)!, canRevoke: g.organisationId === organisationId })),
    }));
  }

  async function listPage(req: FastifyRequest, reply: FastifyReply, errors: FieldErrors = {}, values: Record<string, string> = {}, status = 200) {
    const actor = req.actor!, org = actor.activeOrganisationId!;
    const t = translator(req.locale);
    const rows = await lines(t, org, await accounts.listAccounts(ctx, actor, org));
    return sendPage(ctx, req, reply, "accounts.title", (tr) =>
      <AccountsPage accounts={rows} roleOptions={roleOptions(tr)} errors={errors} values={values} />, status);
  }

  async function detailPage(req: FastifyRequest, reply: FastifyReply, accountId: string,
    opts: { errors?: FieldErrors; values?: Record<string, string>; status?: number; temporaryPassword?: string } = {}) {
    const actor = req.actor!, org = actor.activeOrganisationId!;
    const t = translator(req.locale);
    const view = await accounts.getAccount(ctx, actor, accountId, { organisationId: org });
    const [line] = await lines(t, org, [view]);
    const person = await accounts.linkedPerson(ctx, actor, org, view.personId);
    const units = await accounts.unitsFor(ctx, actor, org);
    return sendPage(ctx, req, reply, { text: view.displayName }, (tr) => (
      <AccountDetailPage
        account={{ ...line!, person: person ? `${person.given_name} ${person.family_name} (${person.employee_number})` : null }}
        roleOptions={roleOptions(tr)} unitOptions={unitOptions(units)}
        can={{ grant: true, block: view.id !== actor.accountId }}
        errors={opts.errors ?? {}} values={opts.values ?? {}} temporaryPassword={opts.temporaryPassword} />
    ), opts.status ?? 200);
  }

  app.get("/beheer/accounts", { config: { access } }, async (req, reply) => listPage(req, reply));

  app.post("/beheer/accounts", { config: { access } }, async (req, reply) => {
    const actor = req.actor!;
    const body = formBody(req.body);
    try {
      const { account, temporaryPassword } = await accounts.createAccount(ctx, actor, actor.activeOrganisationId!, body);
      // Shown once, in this response: never through a redirect, a cookie or a URL.
      return detailPage(req, reply, account.id, { status: 201, temporaryPassword });
    } catch (e) {
      const err = formError(e);
      if (!err) throw e;
      return listPage(req, reply, err.fields, pick(body, ["displayName", "email", "employeeNumber", "role"]), err.status);
    }
  });

  app.get("/beheer/accounts/:id", { config: { access } }, async (req, reply) =>
    detailPage(req, reply, (req.params as { id: string }).id));

  app.post("/beheer/accounts/:id/rollen", { config: { access } }, async (req, reply) => {
    const actor = req.actor!, org = actor.activeOrganisationId!;
    const { id } = req.params as { id: string };
    const body = formBody(req.body);
    const unitId = str(body.unitId);
    try {
      await accounts.grantRole(ctx, actor, id, {
        role: str(body.role), scopeType: unitId ? "unit" : "organisation", scopeId: unitId || org,
      }, { organisationId: org });
    } catch (e) {
      const err = formError(e);
      if (!err) throw e;
      const errors: FieldErrors = Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k === "scopeId" || k === "scopeType" ? "unitId" : k, v]));
      return detailPage(req, reply, id, { errors, values: pick(body, ["role", "unitId"]), status: err.status });
    }
    return redirectWithFlash(reply, `/beheer/accounts/${id}#rollen`, "accounts.roleAdded");
  });

  app.post("/beheer/accounts/:id/rollen/:grantId/intrekken", { config: { access } }, async (req, reply) => {
    const actor = req.actor!, org = actor.activeOrganisationId!;
    const { id, grantId } = req.params as { id: string; grantId: string };
    await accounts.revokeRole(ctx, actor, id, grantId, { organisationId: org });
    try {
      await accounts.getAccount(ctx, actor, id, { organisationId: org });
    } catch (e) {
      if (e instanceof NotFound) return redirectWithFlash(reply, "/beheer/accounts", "accounts.roleRemovedLast");
      throw e;
    }
    return redirectWithFlash(reply, `/beheer/accounts/${id}#rollen`, "accounts.roleRemoved");
  });

  app.post("/beheer/accounts/:id/blokkeren", { config: { access } }, async (req, reply) => {
    const actor = req.actor!;
    const { id } = req.params as { id: string };
    const { disabled } = await accounts.toggleBlocked(ctx, actor, actor.activeOrganisationId!, id);
    return redirectWithFlash(reply, `/beheer/accounts/${id}`, disabled ? "accounts.blockedDone" : "accounts.unblockedDone");
  });
}
