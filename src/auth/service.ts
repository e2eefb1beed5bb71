import type { Context } from "../context.ts";
import { inTransaction } from "../context.ts";
import type { Actor, AuditActor, Grant, ScopeType } from "../access/actor.ts";
import { isRole } from "../access/permissions.ts";
import * as audit from "../audit/service.ts";
import { hashToken, hmacHex, newId, now, randomToken } from "../crypto/tokens.ts";
import { open, seal } from "../crypto/seal.ts";
import type { AccountsTable, SessionsTable } from "../db/schema.ts";
import type { Db, Trx } from "../db/database.ts";
import { Invalid, NotFound } from "../http/errors.ts";
import { passwordHasher, MIN_PASSWORD_LENGTH } from "./passwords.ts";
import { newTotpSecret, verifyTotp } from "./totp.ts";
import * as repo from "./repository.ts";

export type SessionStage = "password" | "mfa" | "enrol" | "full";
export type SessionRow = SessionsTable;

const hashers = new Map<number, ReturnType<typeof passwordHasher>>();
export const hasher = (ctx: Context) => {
  let h = hashers.get(ctx.config.argon2MemoryKib);
  if (!h) hashers.set(ctx.config.argon2MemoryKib, (h = passwordHasher(ctx.config.argon2MemoryKib)));
  return h;
};

const totpAad = (accountId: string) => `accounts.totp_secret:${accountId}`;
export const sealTotp = (ctx: Context, accountId: string, secret: string) => seal(ctx.masterKey, secret, totpAad(accountId));
const openTotp = (ctx: Context, a: AccountsTable) => (a.totp_secret_sealed ? open(ctx.masterKey, a.totp_secret_sealed, totpAad(a.id)).toString("utf8") : null);

/** Resolves an account's role assignments into grants with their organisations and unit paths. */
export async function loadActor(db: Db | Trx, account: AccountsTable, activeOrganisationId: string | null, via: Actor["via"]): Promise<Actor> {
  const rows = await repo.grantsOf(db, account.id);
  const members = await repo.groupMembers(db, rows.filter((r) => r.scope_type === "group").map((r) => r.scope_id));
  const grants: Grant[] = [];
  for (const r of rows) {
    if (!isRole(r.role)) continue;
    const organisationIds = r.scope_type === "group"
      ? members.filter((m) => m.group_id === r.scope_id).map((m) => m.organisation_id)
      : r.organisation_id ? [r.organisation_id] : [];
    if (r.scope_type === "unit" && !r.unit_path) continue; // a unit that no longer exists grants nothing
    grants.push({ role: r.role, scopeType: r.scope_type as ScopeType, scopeId: r.scope_id, organisationIds, unitPath: r.unit_path ?? null });
  }
  const orgs = [...new Set(grants.flatMap((g) => g.organisationIds))].sort();
  const active = activeOrganisationId && orgs.includes(activeOrganisationId) ? activeOrganisationId : (orgs[0] ?? null);
  return {
    accountId: account.id, email: account.email, displayName: account.display_name,
    locale: account.locale === "en" ? "en" : "nl", totpEnabled: account.totp_enabled === 1,
    grants, activeOrganisationId: active, via,
  };
}

const throttleKey = (ctx: Context, email: string) => hmacHex(ctx.masterKey, `login:${email.trim().toLowerCase()}`);

export type LoginResult = { ok: true; token: string; stage: SessionStage } | { ok: false; reason: "invalid" | "locked" };

/** Password step of signing in. Unknown accounts and wrong passwords take the same path and the same
 *  time; throttling is keyed by the e-mail address given, so it behaves alike whether or not it exists. */
export async function login(ctx: Context, email: string, password: string): Promise<LoginResult> {
  const key = throttleKey(ctx, email);
  if (!(await reserveAttempt(ctx, key))) return { ok: false, reason: "locked" };
  const account = await repo.findAccountByEmail(ctx.db, email);
  const passwordOk = await hasher(ctx).verify(account && !account.disabled ? account.password_hash : null, password);
  if (!account || account.disabled || !passwordOk) return { ok: false, reason: "invalid" };
  await repo.clearThrottle(ctx.db, key);
  const stage: SessionStage = account.password_change_required ? "password" : await stageAfterPassword(ctx, account);
  const token = await startSession(ctx, account.id, stage, { type: "account", id: account.id });
  return { ok: true, token, stage };
}

/** After the password: the code from the app, or its set-up where the organisation requires it. */
async function stageAfterPassword(ctx: Context, account: AccountsTable): Promise<SessionStage> {
  if (account.totp_enabled) return "mfa";
  const orgs = (await loadActor(ctx.db, account, null, "session")).grants.flatMap((g) => g.organisationIds);
  return (await repo.organisationsTotpRequired(ctx.db, orgs)) ? "enrol" : "full";
}

/** The first sign-in with a temporary password (made by an administrator) sets the person's own
 *  password before anything else. Should someone else have used the temporary password first, the
 *  real owner finds it no longer works, and the change is in the audit trail. */
export async function replaceTemporaryPassword(ctx: Context, session: SessionRow, account: AccountsTable, next: string): Promise<{ token: string; stage: SessionStage }> {
  if (session.stage !== "password" || !account.password_change_required) throw new NotFound();
  if (next.length < MIN_PASSWORD_LENGTH) throw new Invalid({ password: "auth.passwordTooShort" });
  if (await hasher(ctx).verify(account.password_hash, next)) throw new Invalid({ password: "auth.passwordSame" });
  const hash = await hasher(ctx).hash(next);
  const stage = await stageAfterPassword(ctx, account);
  const token = await inTransaction(ctx, async (trx) => {
    await repo.updateAccount(trx, account.id, { password_hash: hash, password_change_required: 0 });
    await repo.deleteSessionsOf(trx, account.id);
    await audit.record(ctx, trx, { actor: { type: "account", id: account.id }, action: "account.passwordChanged", objectType: "account", objectId: account.id, details: { temporaryReplaced: true } });
    return startSession(ctx, account.id, stage, { type: "account", id: account.id }, trx);
  });
  return { token, stage };
}

/** Every attempt is counted before it is checked; a success clears the count. Past the limit the
 *  address is locked for LOGIN_LOCK_MINUTES and attempts are refused without being checked. */
async function reserveAttempt(ctx: Context, key: string): Promise<boolean> {
  const at = now();
  const row = await repo.countAttempt(ctx.db, key, at);
  if (row.locked_until && row.locked_until > at) return false;
  if (row.locked_until) { await repo.restartThrottle(ctx.db, key, at); return true; }
  if (row.failures <= ctx.config.loginMaxFailures) return true;
  await repo.lockThrottle(ctx.db, key, new Date(Date.now() + ctx.config.loginLockMs).toISOString());
  return false;
}

/** A new session on every sign-in; earlier tokens of this browser are not reused. */
export async function startSession(ctx: Context, accountId: string, stage: SessionStage, actor: AuditActor, trx?: Trx): Promise<string> {
  const token = randomToken();
  const at = now();
  const write = async (t: Trx) => {
    await repo.insertSession(t, {
      id: newId(), token_hash: hashToken(token), account_id: accountId, stage, active_organisation_id: null,
      created_at: at, last_seen_at: at, expires_at: new Date(Date.now() + ctx.config.sessionAbsoluteMs).toISOString(),
    });
    if (stage === "full") {
      await repo.updateAccount(t, accountId, { last_login_at: at });
      await audit.record(ctx, t, { actor, action: "session.start", objectType: "account", objectId: accountId });
    }
  };
  if (trx) await write(trx); else await inTransaction(ctx, write);
  return token;
}

/** The session behind a cookie, if it is still within its idle and absolute limits. */
export async function authenticateSession(ctx: Context, token: string): Promise<{ session: SessionRow; account: AccountsTable } | null> {
  const session = await repo.findSessionByHash(ctx.db, hashToken(token));
  if (!session) return null;
  const t = Date.now();
  if (session.expires_at <= new Date(t).toISOString() || Date.parse(session.last_seen_at) + ctx.config.sessionIdleMs <= t) {
    await repo.deleteSession(ctx.db, session.id);
    return null;
  }
  const account = await repo.findAccount(ctx.db, session.account_id);
  if (!account || account.disabled) return null;
  // Write the idle clock at most once a minute: a page view should not always be a database write.
  if (t - Date.parse(session.last_seen_at) > 60_000) {
    session.last_seen_at = new Date(t).toISOString();
    await repo.updateSession(ctx.db, session.id, { last_seen_at: session.last_seen_at });
  }
  return { session, account };
}

export async function authenticateBearer(ctx: Context, token: string): Promise<AccountsTable | null> {
  const row = await repo.findTokenByHash(ctx.db, hashToken(token));
  if (!row || row.revoked_at || row.expires_at <= now()) return null;
  const account = await repo.findAccount(ctx.db, row.account_id);
  if (!account || account.disabled) return null;
  if (!row.last_used_at || Date.now() - Date.parse(row.last_used_at) > 60_000) await repo.touchToken(ctx.db, row.id, now());
  return account;
}

/** Second step: the TOTP code. On success the half-signed-in session is replaced by a new one (a new
 *  token), so a token seen before the second factor is worth nothing after it. */
export async function completeMfa(ctx: Context, session: SessionRow, account: AccountsTable, code: string): Promise<{ result: "ok"; token: string } | { result: "invalid" | "locked" }> {
  const key = throttleKey(ctx, account.email);
  if (!(await reserveAttempt(ctx, key))) return { result: "locked" };
  const secret = openTotp(ctx, account);
  const step = secret ? verifyTotp(secret, code, account.totp_last_step) : null;
  if (step === null) return { result: "invalid" };
  const token = await inTransaction(ctx, async (trx) => {
    // Claim the time step only if no other request claimed it (or a later one) first.
    if (!(await repo.claimTotpStep(trx, account.id, step))) return null;
    await repo.deleteSession(trx, session.id);
    return startSession(ctx, account.id, "full", { type: "account", id: account.id }, trx);
  });
  if (!token) return { result: "invalid" };
  await repo.clearThrottle(ctx.db, key);
  return { result: "ok", token };
}

/** Starts (or restarts) TOTP enrolment: a fresh secret, stored sealed and not yet enabled. */
export async function beginEnrolment(ctx: Context, account: AccountsTable): Promise<string> {
  const existing = account.totp_enabled ? null : openTotp(ctx, account);
  if (existing) return existing;
  const secret = newTotpSecret();
  await repo.updateAccount(ctx.db, account.id, { totp_secret_sealed: sealTotp(ctx, account.id, secret), totp_enabled: 0 });
  return secret;
}

export async function confirmEnrolment(ctx: Context, session: SessionRow, account: AccountsTable, code: string): Promise<void> {
  const secret = openTotp(ctx, account);
  if (account.totp_enabled || !secret) throw new NotFound();
  const step = verifyTotp(secret, code);
  if (step === null) throw new Invalid({ code: "auth.totpWrong" });
  await inTransaction(ctx, async (trx) => {
    await repo.updateAccount(trx, account.id, { totp_enabled: 1, totp_last_step: step });
    if (session.stage !== "full") await repo.updateSession(trx, session.id, { stage: "full" });
    await audit.record(ctx, trx, { actor: { type: "account", id: account.id }, action: "account.totpEnabled", objectType: "account", objectId: account.id });
  });
}

export async function logout(ctx: Context, session: SessionRow): Promise<void> {
  await inTransaction(ctx, async (trx) => {
    await repo.deleteSession(trx, session.id);
    await audit.record(ctx, trx, { actor: { type: "account", id: session.account_id }, action: "session.end", objectType: "account", objectId: session.account_id });
  });
}

export async function switchOrganisation(ctx: Context, session: SessionRow, actor: Actor, organisationId: string): Promise<void> {
  if (!actor.grants.some((g) => g.organisationIds.includes(organisationId))) throw new NotFound();
  await repo.updateSession(ctx.db, session.id, { active_organisation_id: organisationId });
}

export async function setLocale(ctx: Context, accountId: string, locale: "nl" | "en"): Promise<void> {
  await repo.updateAccount(ctx.db, accountId, { locale });
}

export function checkPassword(pw: string): void {
  if (pw.length < MIN_PASSWORD_LENGTH) throw new Invalid({ password: "auth.passwordTooShort" });
}

/** A new password ends every other session of the account (a stolen session stops working); the
 *  session that changed it stays. */
export async function changePassword(ctx: Context, account: AccountsTable, current: string, next: string, keepSessionId: string | null): Promise<void> {
  if (!(await hasher(ctx).verify(account.password_hash, current))) throw new Invalid({ current: "auth.passwordWrong" });
  if (next.length < MIN_PASSWORD_LENGTH) throw new Invalid({ password: "auth.passwordTooShort" });
  const hash = await hasher(ctx).hash(next);
  await inTransaction(ctx, async (trx) => {
    await repo.updateAccount(trx, account.id, { password_hash: hash });
    await repo.deleteOtherSessions(trx, account.id, keepSessionId);
    await audit.record(ctx, trx, { actor: { type: "account", id: account.id }, action: "account.passwordChanged", objectType: "account", objectId: account.id });
  });
}

// ---- Personal API tokens -------------------------------------------------------------------

export async function createApiToken(ctx: Context, by: AuditActor, accountId: string, name: string, days: number): Promise<{ token: string; expiresAt: string }> {
  const cleanName = name.trim();
  if (!cleanName || cleanName.length > 100) throw new Invalid({ name: "token.nameRequired" });
  if (!Number.isInteger(days) || days < 1 || days > 366) throw new Invalid({ days: "token.daysRange" });
  const token = randomToken("intact_");
  const expiresAt = new Date(Date.now() + days * 86_400_000).toISOString();
  await inTransaction(ctx, async (trx) => {
    const id = newId();
    await repo.insertToken(trx, { id, account_id: accountId, name: cleanName, token_hash: hashToken(token), created_at: now(), expires_at: expiresAt });
    await audit.record(ctx, trx, { actor: by, action: "apiToken.create", objectType: "apiToken", objectId: id, details: { accountId, expiresAt } });
  });
  return { token, expiresAt };
}

export async function revokeApiToken(ctx: Context, actor: Actor, id: string): Promise<void> {
  await inTransaction(ctx, async (trx) => {
    const res = await repo.revokeToken(trx, id, actor.accountId, now());
    if (!Number(res.numUpdatedRows)) throw new NotFound();
    await audit.record(ctx, trx, { actor: { type: "account", id: actor.accountId }, action: "apiToken.revoke", objectType: "apiToken", objectId: id });
  });
}

export const listApiTokens = (ctx: Context, actor: Actor) => repo.listTokens(ctx.db, actor.accountId);
