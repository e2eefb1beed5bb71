import { z } from "zod";
import type { Context } from "../context.ts";
import { inTransaction } from "../context.ts";
import * as audit from "../audit/service.ts";
import { hashToken, newId, now, randomToken, safeEqual } from "../crypto/tokens.ts";
import { Invalid, NotFound } from "../http/errors.ts";
import { fieldErrors } from "../http/validation.ts";
import * as accountsRepo from "../accounts/repository.ts";
import * as orgRepo from "../organisations/repository.ts";
import { slugify } from "../organisations/slug.ts";
import { hasher } from "./service.ts";
import { MIN_PASSWORD_LENGTH } from "./passwords.ts";
import * as repo from "./repository.ts";

const SETTING = "setup_token_hash";

/** While no account exists, every start makes a fresh one-time setup link (only its hash is kept). */
export async function ensureSetupToken(ctx: Context): Promise<string | null> {
  if ((await repo.countAccounts(ctx.db)) > 0) {
    await repo.deleteSetting(ctx.db, SETTING);
    return null;
  }
  const token = randomToken();
  await repo.setSetting(ctx.db, SETTING, hashToken(token));
  return token;
}

export async function setupTokenValid(ctx: Context, token: string): Promise<boolean> {
  const stored = await repo.getSetting(ctx.db, SETTING);
  return !!stored && !!token && safeEqual(stored, hashToken(token));
}

export const setupSchema = z.object({
  organisationName: z.string().trim().min(2, "setup.organisationNameRequired").max(200, "field.tooLong"),
  displayName: z.string().trim().min(1, "field.required").max(200, "field.tooLong"),
  email: z.string().trim().toLowerCase().email("field.email").max(254, "field.tooLong"),
  password: z.string().min(MIN_PASSWORD_LENGTH, "auth.passwordTooShort").max(1000, "field.tooLong"),
});
export type SetupInput = z.infer<typeof setupSchema>;

/** Creates the first organisation and its administrator in one transaction, then retires the link. */
export async function completeSetup(ctx: Context, token: string, raw: unknown): Promise<{ accountId: string; organisationId: string }> {
  if (!(await setupTokenValid(ctx, token))) throw new NotFound();
  const parsed = setupSchema.safeParse(raw);
  if (!parsed.success) throw new Invalid(fieldErrors(parsed.error));
  const input = parsed.data;
  const passwordHash = await hasher(ctx).hash(input.password);
  return inTransaction(ctx, async (trx) => {
    if ((await repo.countAccounts(trx)) > 0) throw new NotFound();
    const at = now();
    const organisationId = newId();
    const accountId = newId();
    const actor = { type: "account" as const, id: accountId };
    await orgRepo.insertOrganisation(trx, {
      id: organisationId, name: input.organisationName, slug: await orgRepo.uniqueSlug(trx, slugify(input.organisationName)),
      kind: "municipality", totp_required: 1, created_at: at, updated_at: at,
    });
    await repo.insertAccount(trx, {
      id: accountId, email: input.email, display_name: input.displayName, password_hash: passwordHash,
      totp_secret_sealed: null, totp_enabled: 0, totp_last_step: null, password_change_required: 0, locale: ctx.config.defaultLocale, person_id: null, disabled: 0,
      created_at: at, last_login_at: null,
    });
    await accountsRepo.insertGrant(trx, {
      id: newId(), account_id: accountId, role: "admin", scope_type: "organisation", scope_id: organisationId,
      organisation_id: organisationId, created_at: at,
    });
    await repo.deleteSetting(trx, SETTING);
    await audit.record(ctx, trx, { actor, action: "instance.setup", objectType: "organisation", objectId: organisationId, organisationId });
    await audit.record(ctx, trx, { actor, action: "roleAssignment.create", objectType: "account", objectId: accountId, organisationId, details: { role: "admin", scopeType: "organisation" } });
    return { accountId, organisationId };
  });
}
