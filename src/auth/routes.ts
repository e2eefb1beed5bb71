import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { createElement } from "react";
import type { Context } from "../context.ts";
import { Invalid, NotFound } from "../http/errors.ts";
import { formBody, str } from "../http/validation.ts";
import { redirectWithFlash, safeReturnPath, sendPage } from "../http/pages.ts";
import { LOCALE_COOKIE, SESSION_COOKIE } from "../http/app.ts";
import { roleLabel, scopeLabels } from "../accounts/labels.ts";
import * as repo from "./repository.ts";
import * as auth from "./service.ts";
import { completeSetup, setupTokenValid } from "./setup.ts";
import { totpQrSvg } from "./totp.ts";
import { AccountPage, type AccountView } from "./views/account.tsx";
import { EnrolPage, LoginPage, MfaPage, NewPasswordPage } from "./views/login.tsx";
import { SetupPage } from "./views/setup.tsx";
import { translator } from "../ui/messages.ts";


export function authRoutes(app: FastifyInstance, ctx: Context) {
  const cookieName = SESSION_COOKIE(ctx.config.secureCookies);
  const setSessionCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(cookieName, token, { path: "/", httpOnly: true, sameSite: "lax", secure: ctx.config.secureCookies });

  /** Answers take at least LOGIN_MIN_MS, so timing tells nothing about which check failed. */
  const uniform = async <T>(fn: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    try { return await fn(); } finally {
      const wait = ctx.config.loginMinMs - (Date.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  };

  // ---- first-run setup ----
  app.get("/inrichten", { config: { access: "public" } }, async (req, reply) => {
    const token = str((req.query as Record<string, unknown>).token);
    if (!(await setupTokenValid(ctx, token))) throw new NotFound("setup_link");
    return sendPage(ctx, req, reply, "setup.title", () => createElement(SetupPage, { token, errors: {}, values: {} }));
  });
  app.post("/inrichten", { config: { access: "public" } }, async (req, reply) => {
    const body = formBody(req.body);
    const token = str(body.token);
    try {
      const { accountId } = await completeSetup(ctx, token, body);
      const sessionToken = await auth.startSession(ctx, accountId, "enrol", { type: "account", id: accountId });
      setSessionCookie(reply, sessionToken);
      return reply.redirect("/account/tweestaps", 303);
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      const values = { organisationName: str(body.organisationName), displayName: str(body.displayName), email: str(body.email) };
      return sendPage(ctx, req, reply, "setup.title", () => createElement(SetupPage, { token, errors: e.fields, values }), 422);
    }
  });

  // ---- sign in ----
  app.get("/inloggen", { config: { access: "public" } }, async (req, reply) => {
    if (req.actor && req.session?.stage === "full") return reply.redirect("/", 303);
    const q = req.query as Record<string, unknown>;
    return sendPage(ctx, req, reply, "login.title", (t) => createElement(LoginPage, {
      returnTo: safeReturnPath(q.terug), errors: {}, message: q.uitgelogd ? t("login.signedOut") : null,
    }));
  });
  app.post("/inloggen", { config: { access: "public" } }, async (req, reply) => {
    const body = formBody(req.body);
    const email = str(body.email).trim(), password = str(body.password);
    const returnTo = safeReturnPath(body.return);
    const errors: Record<string, "field.email" | "field.required"> = {};
    if (!email) errors.email = "field.email";
    if (!password) errors.password = "field.required";
    if (Object.keys(errors).length)
      return sendPage(ctx, req, reply, "login.title", () => createElement(LoginPage, { returnTo, errors, message: null, email }), 422);
    const result = await uniform(() => auth.login(ctx, email, password));
    if (!result.ok) {
      return sendPage(ctx, req, reply, "login.title", (t) => createElement(LoginPage, {
        returnTo, errors: {}, email, message: t(result.reason === "locked" ? "login.locked" : "login.invalid"),
      }), result.reason === "locked" ? 429 : 401);
    }
    setSessionCookie(reply, result.token);
    const next = result.stage === "mfa" ? `/inloggen/code?terug=${encodeURIComponent(returnTo)}`
      : result.stage === "password" ? "/account/nieuw-wachtwoord" : result.stage === "enrol" ? "/account/tweestaps" : returnTo;
    return reply.redirect(next, 303);
  });

  app.get("/inloggen/code", { config: { access: "authenticated" } }, async (req, reply) => {
    if (req.session?.stage !== "mfa") return reply.redirect("/", 303);
    const returnTo = safeReturnPath((req.query as Record<string, unknown>).terug);
    return sendPage(ctx, req, reply, "mfa.title", () => createElement(MfaPage, { errors: {}, message: null, returnTo }));
  });
  app.post("/inloggen/code", { config: { access: "authenticated" } }, async (req, reply) => {
    if (req.session?.stage !== "mfa") return reply.redirect("/", 303);
    const account = (await repo.findAccount(ctx.db, req.session.account_id))!;
    const body = formBody(req.body);
    const returnTo = safeReturnPath(body.return);
    const outcome = await uniform(() => auth.completeMfa(ctx, req.session!, account, str(body.code)));
    if (outcome.result === "ok") {
      setSessionCookie(reply, outcome.token);
      return reply.redirect(returnTo, 303);
    }
    const locked = outcome.result === "locked";
    return sendPage(ctx, req, reply, "mfa.title", (t) => createElement(MfaPage, { returnTo,
      errors: locked ? {} : { code: "auth.totpWrong" }, message: locked ? t("login.locked") : null,
    }), locked ? 429 : 422);
  });

  app.post("/uitloggen", { config: { access: "authenticated" } }, async (req, reply) => {
    if (req.session) await auth.logout(ctx, req.session);
    reply.clearCookie(cookieName, { path: "/" });
    return reply.redirect("/inloggen?uitgelogd=1", 303);
  });

  // ---- first sign-in with a temporary password ----
  app.get("/account/nieuw-wachtwoord", { config: { access: "authenticated" } }, async (req, reply) => {
    if (req.session?.stage !== "password") return reply.redirect("/", 303);
    return sendPage(ctx, req, reply, "newPassword.title", () => createElement(NewPasswordPage, { errors: {} }));
  });
  app.post("/account/nieuw-wachtwoord", { config: { access: "authenticated" } }, async (req, reply) => {
    if (req.session?.stage !== "password") return reply.redirect("/", 303);
    const account = (await repo.findAccount(ctx.db, req.session.account_id))!;
    try {
      const { token, stage } = await auth.replaceTemporaryPassword(ctx, req.session, account, str(formBody(req.body).password));
      setSessionCookie(reply, token);
      return reply.redirect(stage === "mfa" ? "/inloggen/code" : stage === "enrol" ? "/account/tweestaps" : "/", 303);
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      return sendPage(ctx, req, reply, "newPassword.title", () => createElement(NewPasswordPage, { errors: e.fields }), 422);
    }
  });

  // ---- TOTP enrolment ----
  const enrolPage = async (req: FastifyRequest, reply: FastifyReply, errors: Record<string, "auth.totpWrong">, status = 200) => {
    const account = (await repo.findAccount(ctx.db, req.actor!.accountId))!;
    if (account.totp_enabled) return reply.redirect("/account", 303);
    const secret = await auth.beginEnrolment(ctx, account);
    const qrSvg = await totpQrSvg(secret, account.email);
    return sendPage(ctx, req, reply, "enrol.title", () => createElement(EnrolPage, { secret, qrSvg, errors }), status);
  };
  app.get("/account/tweestaps", { config: { access: "authenticated" } }, async (req, reply) => enrolPage(req, reply, {}));
  app.post("/account/tweestaps", { config: { access: "authenticated" } }, async (req, reply) => {
    const account = (await repo.findAccount(ctx.db, req.actor!.accountId))!;
    try {
      await auth.confirmEnrolment(ctx, req.session!, account, str(formBody(req.body).code));
    } catch (e) {
      if (e instanceof Invalid) return enrolPage(req, reply, { code: "auth.totpWrong" }, 422);
      throw e;
    }
    return redirectWithFlash(reply, "/", "enrol.done");
  });

  // ---- own account ----
  const accountView = async (req: FastifyRequest): Promise<AccountView> => {
    const actor = req.actor!;
    const t = translator(req.locale);
    const scopes = await scopeLabels(ctx.db, actor.grants, t);
    const tokens = await auth.listApiTokens(ctx, actor);
    const nowIso = new Date().toISOString();
    return {
      email: actor.email, displayName: actor.displayName, totpEnabled: actor.totpEnabled,
      roles: actor.grants.map((g, i) => ({ role: roleLabel(t, g.role), scope: scopes[i]! })),
      tokens: tokens.map((tk) => ({ ...tk, active: !tk.revoked_at && tk.expires_at > nowIso })),
    };
  };
  app.get("/account", { config: { access: "authenticated" } }, async (req, reply) => {
    const view = await accountView(req);
    return sendPage(ctx, req, reply, "account.title", () => createElement(AccountPage, { view, errors: {} }));
  });
  app.post("/account/wachtwoord", { config: { access: "authenticated" } }, async (req, reply) => {
    const body = formBody(req.body);
    const account = (await repo.findAccount(ctx.db, req.actor!.accountId))!;
    try {
      await auth.changePassword(ctx, account, str(body.current), str(body.password), req.session?.id ?? null);
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      const view = await accountView(req);
      return sendPage(ctx, req, reply, "account.title", () => createElement(AccountPage, { view, errors: e.fields }), 422);
    }
    return redirectWithFlash(reply, "/account", "account.passwordChanged");
  });
  app.post("/account/sleutels", { config: { access: "authenticated" } }, async (req, reply) => {
    const body = formBody(req.body);
    try {
      const { token } = await auth.createApiToken(ctx, { type: "account", id: req.actor!.accountId }, req.actor!.accountId, str(body.name), Number(str(body.days)));
      const view = await accountView(req);
      return sendPage(ctx, req, reply, "account.title", () => createElement(AccountPage, { view, errors: {}, newToken: token }), 201);
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      const view = await accountView(req);
      return sendPage(ctx, req, reply, "account.title", () => createElement(AccountPage, { view, errors: e.fields }), 422);
    }
  });
  app.post("/account/sleutels/:id/intrekken", { config: { access: "authenticated" } }, async (req, reply) => {
    await auth.revokeApiToken(ctx, req.actor!, (req.params as { id: string }).id);
    return redirectWithFlash(reply, "/account#sleutels", "token.revoked");
  });

  // ---- language and organisation ----
  app.post("/taal", { config: { access: "public" } }, async (req, reply) => {
    const body = formBody(req.body);
    const locale = body.locale === "en" ? "en" : "nl";
    reply.setCookie(LOCALE_COOKIE, locale, { path: "/", sameSite: "lax", httpOnly: true, maxAge: 365 * 86400, secure: ctx.config.secureCookies });
    if (req.actor) await auth.setLocale(ctx, req.actor.accountId, locale);
    return reply.redirect(safeReturnPath(body.return), 303);
  });
  app.post("/organisatie", { config: { access: "authenticated" } }, async (req, reply) => {
    const body = formBody(req.body);
    await auth.switchOrganisation(ctx, req.session!, req.actor!, str(body.organisationId));
    return reply.redirect(safeReturnPath(body.return), 303);
  });
}
