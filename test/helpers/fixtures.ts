import type { Role } from "../../src/access/permissions.ts";
import type { ScopeType } from "../../src/access/actor.ts";
import * as authRepo from "../../src/auth/repository.ts";
import { hasher, sealTotp, startSession } from "../../src/auth/service.ts";
import { newTotpSecret } from "../../src/auth/totp.ts";
import type { Context } from "../../src/context.ts";
import { newId, now } from "../../src/crypto/tokens.ts";
import * as orgRepo from "../../src/organisations/repository.ts";

// Test data through the repositories, so a test can set the scene in a few lines.
// What a test then checks goes through the real services and routes.

export async function makeOrganisation(ctx: Context, name: string, opts: { totpRequired?: boolean } = {}) {
  const id = newId();
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-") + "-" + id.slice(0, 6);
  await orgRepo.insertOrganisation(ctx.db, { id, name, slug, kind: "municipality", totp_required: opts.totpRequired ? 1 : 0, created_at: now(), updated_at: now() });
  return { id, name, slug };
}

export async function makeGroup(ctx: Context, name: string, organisationIds: string[]) {
  const id = newId();
  await orgRepo.insertGroup(ctx.db, { id, name, kind: "region", created_at: now() });
  for (const o of organisationIds) await orgRepo.addGroupMember(ctx.db, id, o);
  return { id, name };
}

export async function makeUnit(ctx: Context, organisationId: string, name: string, parent?: { id: string; path: string }) {
  const id = newId();
  const path = `${parent?.path ?? "/"}${id}/`;
  await orgRepo.insertUnit(ctx.db, { id, organisation_id: organisationId, parent_id: parent?.id ?? null, name, kind: parent ? "team" : "department", path, created_at: now() });
  return { id, name, path };
}

export const TEST_PASSWORD = "correct horse battery staple";

export async function makeAccount(ctx: Context, email: string, opts: { totp?: boolean; displayName?: string } = {}) {
  const id = newId();
  const totpSecret = opts.totp ? newTotpSecret() : null;
  await authRepo.insertAccount(ctx.db, {
    id, email: email.toLowerCase(), display_name: opts.displayName ?? email.split("@")[0]!, password_hash: await hasher(ctx).hash(TEST_PASSWORD),
    totp_secret_sealed: totpSecret ? sealTotp(ctx, id, totpSecret) : null, totp_enabled: totpSecret ? 1 : 0, totp_last_step: null, password_change_required: 0,
    locale: "nl", person_id: null, disabled: 0, created_at: now(), last_login_at: null,
  });
  return { id, email: email.toLowerCase(), totpSecret };
}

export async function grant(ctx: Context, accountId: string, role: Role, scopeType: ScopeType, scopeId: string, organisationId: string | null) {
  await ctx.db.insertInto("role_assignments").values({
    id: newId(), account_id: accountId, role, scope_type: scopeType, scope_id: scopeId, organisation_id: organisationId, created_at: now(),
  }).execute();
}

/** An account with one role on an organisation, and a signed-in session token. */
export async function signedIn(ctx: Context, role: Role | null, organisationId: string, email = `${role ?? "none"}-${newId().slice(0, 8)}@example.test`) {
  const account = await makeAccount(ctx, email);
  if (role) await grant(ctx, account.id, role, "organisation", organisationId, organisationId);
  const token = await startSession(ctx, account.id, "full", { type: "account", id: account.id });
  return { ...account, sessionToken: token };
}

/** Units created out of name order (their paths are random UUIDs), and the labels a unit chooser
 *  must show for them: siblings by name, children indented under their parent. */
export async function makeUnitTree(ctx: Context, organisationId: string) {
  const zuid = await makeUnit(ctx, organisationId, "Zuid");
  const noord = await makeUnit(ctx, organisationId, "Noord");
  await makeUnit(ctx, organisationId, "Team Wegen", zuid);
  await makeUnit(ctx, organisationId, "Team Afval", zuid);
  await makeUnit(ctx, organisationId, "Archief", noord);
  await makeUnit(ctx, organisationId, "Midden");
  return { expectedOptions: ["Midden", "Noord", "— Archief", "Zuid", "— Team Afval", "— Team Wegen"] };
}

/** The labels of a select's non-empty options in a page. */
export function selectOptions(html: string, name: string): string[] {
  const select = new RegExp(`<select[^>]*name="${name}"[^>]*>(.*?)</select>`, "s").exec(html)?.[1] ?? "";
  return [...select.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].filter((m) => m[1]).map((m) => m[2]!);
}
