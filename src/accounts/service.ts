import crypto from "node:crypto";
import type { Context } from "../context.ts";
import { inTransaction } from "../context.ts";
import type { Actor } from "../access/actor.ts";
import { auditActorOf, canForWholeOrganisation, organisationsWith } from "../access/actor.ts";
import { isRole, roleHas } from "../access/permissions.ts";
import * as audit from "../audit/service.ts";
import { hasher } from "../auth/service.ts";
import { newId, now } from "../crypto/tokens.ts";
import { Conflict, Invalid, NotFound } from "../http/errors.ts";
import { parseInput } from "../http/validation.ts";
import * as authRepo from "../auth/repository.ts";
import * as orgRepo from "../organisations/repository.ts";
import * as peopleRepo from "../people/repository.ts";
import * as repo from "./repository.ts";
import { createAccountSchema, grantSchema } from "./schema.ts";

// Accounts are managed per organisation: an administrator sees an account only through a role it holds
// inside an organisation the administrator manages as a whole. Anything else answers 404.

export type RoleAssignmentView = {
  id: string; accountId: string; role: string; scopeType: string; scopeId: string; organisationId: string | null; createdAt: string;
};
export type AccountView = {
  id: string; email: string; displayName: string; totpEnabled: boolean; disabled: boolean; personId: string | null;
  createdAt: string; lastLoginAt: string | null; roles: RoleAssignmentView[];
};

type AccountRow = Awaited<ReturnType<typeof repo.listAccounts>>[number];
type GrantRow = Awaited<ReturnType<typeof repo.listGrants>>[number];

const grantView = (g: GrantRow): RoleAssignmentView => ({
  id: g.id, accountId: g.account_id, role: g.role, scopeType: g.scope_type, scopeId: g.scope_id,
  organisationId: g.organisation_id, createdAt: g.created_at,
});
const accountView = (a: AccountRow, grants: GrantRow[]): AccountView => ({
  id: a.id, email: a.email, displayName: a.display_name, totpEnabled: a.totp_enabled === 1, disabled: a.disabled === 1,
  personId: a.person_id, createdAt: a.created_at, lastLoginAt: a.last_login_at,
  roles: grants.filter((g) => g.account_id === a.id).map(grantView),
});

/** The organisations the actor manages accounts in; a page narrows this to its active organisation. */
function managed(actor: Actor, organisationId?: string): string[] {
  const whole = [...organisationsWith(actor, "account.manage").whole];
  if (organisationId === undefined) return whole;
  return whole.includes(organisationId) ? [organisationId] : [];
}

function mustManage(actor: Actor, organisationId: string): void {
  if (!canForWholeOrganisation(actor, "account.manage", organisationId)) throw new NotFound();
}

/** 20 characters from 120 random bits. */
export const temporaryPassword = () => crypto.randomBytes(15).toString("base64url");

/** Accounts with any role in the organisation, each with its roles there. */
export async function listAccounts(ctx: Context, actor: Actor, organisationId: string): Promise<AccountView[]> {
  mustManage(actor, organisationId);
  const accounts = await repo.listAccounts(ctx.db, [organisationId]);
  const grants = await repo.listGrants(ctx.db, [organisationId], accounts.map((a) => a.id));
  return accounts.map((a) => accountView(a, grants));
}

/** Every role assignment in the organisation (on it, its units, or a group containing it). */
export async function listRoleAssignments(ctx: Context, actor: Actor, organisationId: string): Promise<RoleAssignmentView[]> {
  mustManage(actor, organisationId);
  return (await repo.listGrants(ctx.db, [organisationId])).map(grantView);
}

/** One account and its roles inside the actor's organisations (or only the given one). */
export async function getAccount(ctx: Context, actor: Actor, accountId: string, opts: { organisationId?: string } = {}): Promise<AccountView> {
  const orgIds = managed(actor, opts.organisationId);
  const account = await repo.findAccount(ctx.db, orgIds, accountId);
  if (!account) throw new NotFound();
  return accountView(account, await repo.listGrants(ctx.db, orgIds, [accountId]));
}

/** Creates an account with a temporary password (returned once, never stored or logged in the clear)
 *  and one role on the whole organisation, so it is visible to the organisation's administrators. */
export async function createAccount(ctx: Context, actor: Actor, organisationId: string, raw: unknown):
  Promise<{ account: AccountView; temporaryPassword: string }> {
  mustManage(actor, organisationId);
  const input = parseInput(createAccountSchema, raw);
  const password = temporaryPassword();
  const passwordHash = await hasher(ctx).hash(password);
  const accountId = await inTransaction(ctx, async (trx) => {
    if (await authRepo.findAccountByEmail(trx, input.email)) throw new Conflict("email_taken", "accounts.emailTaken", { email: "accounts.emailTaken" });
    let personId: string | null = null;
    if (input.employeeNumber) {
      const person = await peopleRepo.findPersonByNumber(trx, organisationId, input.employeeNumber);
      if (!person) throw new Invalid({ employeeNumber: "accounts.personUnknown" });
      if (await repo.personLinked(trx, person.id)) throw new Conflict("person_linked", "accounts.personTaken", { employeeNumber: "accounts.personTaken" });
      personId = person.id;
    }
    const id = newId(), grantId = newId(), at = now();
    await authRepo.insertAccount(trx, {
      id, email: input.email, display_name: input.displayName, password_hash: passwordHash, totp_secret_sealed: null,
      totp_enabled: 0, totp_last_step: null, password_change_required: 1, locale: ctx.config.defaultLocale, person_id: personId, disabled: 0, created_at: at, last_login_at: null,
    });
    await repo.insertGrant(trx, {
      id: grantId, account_id: id, role: input.role, scope_type: "organisation", scope_id: organisationId, organisation_id: organisationId, created_at: at,
    });
    const by = auditActorOf(actor);
    await audit.record(ctx, trx, { actor: by, action: "account.create", objectType: "account", objectId: id, organisationId,
      details: { personLinked: !!personId } });
    await audit.record(ctx, trx, { actor: by, action: "roleAssignment.create", objectType: "account", objectId: id, organisationId,
      details: { grantId, role: input.role, scopeType: "organisation", scopeId: organisationId } });
    return id;
  });
  return { account: await getAccount(ctx, actor, accountId, { organisationId }), temporaryPassword: password };
}

/** Grants a role on an organisation the actor manages, or on one of its units. */
export async function grantRole(ctx: Context, actor: Actor, accountId: string, raw: unknown, opts: { organisationId?: string } = {}):
  Promise<RoleAssignmentView> {
  const orgIds = managed(actor, opts.organisationId);
  const input = parseInput(grantSchema, raw);
  // Nobody extends their own powers: a role for oneself must come from another administrator, and
  // that grant is in the audit trail under the other's name.
  if (accountId === actor.accountId) throw new Conflict("grant_self", "accounts.cannotGrantSelf", { role: "accounts.cannotGrantSelf" });
  return inTransaction(ctx, async (trx) => {
    if (!(await repo.findAccount(trx, orgIds, accountId))) throw new NotFound();
    let organisationId: string;
    if (input.scopeType === "organisation") {
      if (!orgIds.includes(input.scopeId)) throw new NotFound("scope_not_found");
      organisationId = input.scopeId;
    } else {
      const unit = await repo.findUnit(trx, orgIds, input.scopeId);
      if (!unit) throw new NotFound("scope_not_found");
      organisationId = unit.organisation_id;
    }
    if (await repo.grantExists(trx, accountId, input.role, input.scopeType, input.scopeId))
      throw new Conflict("role_exists", "accounts.roleExists", { role: "accounts.roleExists" });
    const row = { id: newId(), account_id: accountId, role: input.role, scope_type: input.scopeType, scope_id: input.scopeId,
      organisation_id: organisationId, created_at: now() };
    await repo.insertGrant(trx, row);
    await audit.record(ctx, trx, { actor: auditActorOf(actor), action: "roleAssignment.create", objectType: "account", objectId: accountId,
      organisationId, details: { grantId: row.id, role: row.role, scopeType: row.scope_type, scopeId: row.scope_id } });
    return { id: row.id, accountId, role: row.role, scopeType: row.scope_type, scopeId: row.scope_id, organisationId, createdAt: row.created_at };
  });
}

/** Revokes a grant on an organisation the actor manages (or a unit of it). Administrators cannot take
 *  away their own last administrator grant there, so an organisation is never locked out by mistake. */
export async function revokeRole(ctx: Context, actor: Actor, accountId: string, grantId: string, opts: { organisationId?: string } = {}): Promise<void> {
  const orgIds = managed(actor, opts.organisationId);
  await inTransaction(ctx, async (trx) => {
    const grant = await repo.findGrant(trx, orgIds, grantId);
    if (!grant || grant.account_id !== accountId || !grant.organisation_id) throw new NotFound();
    if (grant.account_id === actor.accountId && isRole(grant.role) && roleHas(grant.role, "account.manage")) {
      const rest = actor.grants.filter((g) => !(g.role === grant.role && g.scopeType === grant.scope_type && g.scopeId === grant.scope_id));
      if (!canForWholeOrganisation({ ...actor, grants: rest }, "account.manage", grant.organisation_id))
        throw new Conflict("last_admin", "accounts.lastAdmin");
    }
    await repo.deleteGrant(trx, grant.organisation_id, grant.id);
    await audit.record(ctx, trx, { actor: auditActorOf(actor), action: "roleAssignment.revoke", objectType: "account", objectId: accountId,
      organisationId: grant.organisation_id, details: { grantId, role: grant.role, scopeType: grant.scope_type, scopeId: grant.scope_id } });
  });
}

/** Blocks or unblocks an account. Blocking ends all its sessions at once; its API tokens stop working
 *  because every request checks the account. Nobody can block themselves. */
export async function setBlocked(ctx: Context, actor: Actor, organisationId: string, accountId: string, blocked: boolean): Promise<void> {
  mustManage(actor, organisationId);
  if (accountId === actor.accountId) throw new Conflict("block_self", "accounts.cannotBlockSelf");
  await inTransaction(ctx, async (trx) => {
    if (!(await repo.findAccount(trx, [organisationId], accountId))) throw new NotFound();
    // Blocking is instance-wide: only allowed when every role of the account lies inside organisations
    // this administrator manages as a whole. Otherwise the roles here can be revoked, nothing more.
    const all = await repo.grantsOfAccount(trx, accountId);
    const mine = new Set(managed(actor));
    if (all.some((g) => g.scope_type === "group" || !g.organisation_id || !mine.has(g.organisation_id)))
      throw new Conflict("account_shared", "accounts.blockShared");
    await repo.setDisabled(trx, accountId, blocked ? 1 : 0);
    const ended = blocked ? Number((await authRepo.deleteSessionsOf(trx, accountId)).numDeletedRows) : 0;
    await audit.record(ctx, trx, { actor: auditActorOf(actor), action: blocked ? "account.block" : "account.unblock",
      objectType: "account", objectId: accountId, organisationId, details: blocked ? { sessionsEnded: ended } : {} });
  });
}

/** The form's toggle: blocks an active account, unblocks a blocked one. Returns the new state. */
export async function toggleBlocked(ctx: Context, actor: Actor, organisationId: string, accountId: string): Promise<{ disabled: boolean }> {
  mustManage(actor, organisationId);
  const account = await repo.findAccount(ctx.db, [organisationId], accountId);
  if (!account) throw new NotFound();
  const blocked = account.disabled !== 1;
  await setBlocked(ctx, actor, organisationId, accountId, blocked);
  return { disabled: blocked };
}

/** For the grant form: the units of the organisation, in tree order. */
export async function unitsFor(ctx: Context, actor: Actor, organisationId: string) {
  mustManage(actor, organisationId);
  return orgRepo.listUnits(ctx.db, organisationId);
}

/** For the detail page: the employee linked to the account, if they belong to this organisation. */
export async function linkedPerson(ctx: Context, actor: Actor, organisationId: string, personId: string | null) {
  mustManage(actor, organisationId);
  if (!personId) return null;
  return (await peopleRepo.findPeopleByIds(ctx.db, organisationId, [personId]))[0] ?? null;
}
