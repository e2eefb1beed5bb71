import crypto from "node:crypto";
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import cookie from "@fastify/cookie";
import formbody from "@fastify/formbody";
import multipart from "@fastify/multipart";
import csrf from "@fastify/csrf-protection";
import { createElement } from "react";
import type { Actor } from "../access/actor.ts";
import { canInOrganisation, hasPermission } from "../access/actor.ts";
import type { Access } from "../access/route.ts";
import "../access/route.ts";
import * as auth from "../auth/service.ts";
import type { SessionRow } from "../auth/service.ts";
import type { Context } from "../context.ts";
import type { Locale, MessageKey } from "../ui/messages.ts";
import { translator } from "../ui/messages.ts";
import { loadAssets } from "../ui/assets.ts";
import { ErrorPage } from "../ui/error-page.tsx";
import { LoginPage } from "../auth/views/login.tsx";
import { DomainError } from "./errors.ts";
import { sendPage } from "./pages.ts";
import { registerRoutes } from "./routes.ts";

export type RegisteredRoute = { method: string; url: string; access: Access };

declare module "fastify" {
  interface FastifyInstance {
    registeredRoutes: RegisteredRoute[];
  }
  interface FastifyRequest {
    actor: Actor | null;
    session: SessionRow | null;
    locale: Locale;
    /** The files of a multipart body with their names (the body itself holds only the bytes). */
    uploads: UploadedFile[] | null;
  }
}

/** A file from a multipart form: `truncated` when it was cut at the route's fileSize limit (throwFileSizeLimit: false). */
export type UploadedFile = { field: string; filename: string; data: Buffer; truncated: boolean };

export const SESSION_COOKIE = (secure: boolean) => (secure ? "__Host-intact_session" : "intact_session");
export const LOCALE_COOKIE = "intact_lang";
const isApi = (url: string) => url.startsWith("/api/");
/** The public intake and mailbox, as pages and as API. */
export const isReporterRoute = (url: string) => url.startsWith("/melden/") || url.startsWith("/api/v1/intake/");
/** Pages a half-signed-in session (password done, second factor not yet) may open. */
const STAGE_PATHS: Record<string, string[]> = {
  password: ["/account/nieuw-wachtwoord", "/uitloggen", "/taal"],
  mfa: ["/inloggen/code", "/uitloggen", "/taal"],
  enrol: ["/account/tweestaps", "/uitloggen", "/taal"],
};

const CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
  "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'",
].join("; ");

export async function buildApp(ctx: Context): Promise<FastifyInstance> {
  // Made now, so that the dummy hash for unknown addresses is ready before the first sign-in (passwords.ts).
  auth.hasher(ctx);
  const app = Fastify({
    loggerInstance: ctx.log as unknown as FastifyBaseLogger,
    genReqId: () => crypto.randomUUID(),
    trustProxy: ctx.config.trustProxy,
    bodyLimit: 1024 * 1024,
  });

  app.decorateRequest("actor", null);
  app.decorateRequest("session", null);
  app.decorateRequest("locale", "nl");
  app.decorateRequest("uploads", null);

  // Fail closed: a route that does not say who may use it stops the server from starting.
  app.decorate("registeredRoutes", [] as RegisteredRoute[]);
  app.addHook("onRoute", (route) => {
    const access = route.config?.access;
    if (!access) throw new Error(`Route ${route.method} ${route.url} declares no access (use access: "public" or { permission })`);
    if (route.config?.sessionless && access !== "public") throw new Error(`Route ${route.method} ${route.url}: only a public route can skip the session`);
    for (const method of [route.method].flat()) if (method !== "HEAD") app.registeredRoutes.push({ method, url: route.url, access });
    // The reporter's routes write no request lines: even without an address, a timestamped "POST /melden/…/versturen"
    // in a log shipped elsewhere tells when someone reported. Only failures are logged, so they can be fixed.
    if (isReporterRoute(route.url)) route.logLevel = "error";
  });

  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  await app.register(multipart, {
    attachFieldsToBody: "keyValues", limits: { fileSize: 5 * 1024 * 1024, files: 1, fields: 50 },
    // As without onFile (the bytes land in the body), and the file's name is kept for routes that store it.
    async onFile(part) {
      const data = await part.toBuffer();
      (this.uploads ??= []).push({ field: part.fieldname, filename: part.filename, data, truncated: part.file.truncated });
    },
  });
  await app.register(csrf, {
    sessionPlugin: "@fastify/cookie",
    cookieKey: ctx.config.secureCookies ? "__Host-intact_csrf" : "intact_csrf",
    cookieOpts: { path: "/", sameSite: "lax", httpOnly: true, secure: ctx.config.secureCookies },
  });

  app.addHook("onRequest", async (req, reply) => {
    if (req.routeOptions.config?.sessionless) {
      const chosen = req.cookies[LOCALE_COOKIE];
      req.locale = chosen === "en" || chosen === "nl" ? chosen : ctx.config.defaultLocale;
      acceptLanguage(req);
      return;
    }
    await authenticate(ctx, req, reply);
    return enforceAccess(ctx, req, reply);
  });

  // CSRF in preValidation: the form body has been parsed by then. Bearer-token API calls carry no cookie and need none.
  app.addHook("preValidation", async (req, reply) => {
    if (["GET", "HEAD", "OPTIONS"].includes(req.method)) return;
    if (isApi(req.url) && req.actor?.via === "token") return;
    // A sessionless API operation never uses the session, so a cookie sent along grants it nothing to forge.
    if (isApi(req.url) && req.routeOptions.config?.sessionless) return;
    if (isApi(req.url) && !req.cookies[SESSION_COOKIE(ctx.config.secureCookies)]) return;
    await new Promise<void>((resolve, reject) => app.csrfProtection(req, reply, (err?: Error) => (err ? reject(err) : resolve())));
  });

  // PostgreSQL text cannot hold U+0000 (a query with one fails), and no form or client has a use for it: a request with
  // one in its path, query or fields is refused before any handler runs, on both databases alike.
  app.addHook("preValidation", async (req) => {
    if (hasNul(req.params) || hasNul(req.query) || hasNul(req.body)) throw new DomainError(400, "bad_request", "field.invalid");
  });

  app.addHook("onSend", async (req, reply, payload) => {
    reply.header("Content-Security-Policy", CSP);
    reply.header("Referrer-Policy", "no-referrer");
    reply.header("X-Content-Type-Options", "nosniff");
    reply.header("X-Frame-Options", "DENY");
    reply.header("Cross-Origin-Opener-Policy", "same-origin");
    reply.header("Cross-Origin-Resource-Policy", "same-origin");
    reply.header("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
    if (ctx.config.secureCookies) reply.header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    if (!req.url.startsWith("/assets/")) reply.header("Cache-Control", "no-store");
    if (isApi(req.url)) reply.header("API-Version", "1.0.0");
    return payload;
  });

  app.setErrorHandler(async (err: FastifyError, req, reply) => handleError(ctx, err, req, reply));
  app.setNotFoundHandler(async (req, reply) => handleError(ctx, new DomainError(404, "not_found", "error.notFound"), req, reply));

  const assets = loadAssets();
  app.get("/assets/*", { config: { access: "public", sessionless: true } }, async (req, reply) => {
    const name = (req.params as { "*": string })["*"];
    const asset = assets.get(name);
    if (!asset) return handleError(ctx, new DomainError(404, "not_found", "error.notFound"), req, reply);
    if (req.headers["if-none-match"] === asset.etag) return reply.code(304).send();
    return reply.header("Cache-Control", "public, max-age=3600").header("ETag", asset.etag).type(asset.type).send(asset.body);
  });

  await registerRoutes(app, ctx);
  return app;
}

async function authenticate(ctx: Context, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const bearer = req.headers.authorization;
  if (bearer && isApi(req.url)) {
    const m = /^Bearer\s+(\S+)$/i.exec(bearer);
    const account = m ? await auth.authenticateBearer(ctx, m[1]!) : null;
    if (account) req.actor = await auth.loadActor(ctx.db, account, null, "token");
  } else {
    const name = SESSION_COOKIE(ctx.config.secureCookies);
    const token = req.cookies[name];
    if (token) {
      const found = await auth.authenticateSession(ctx, token);
      if (found) {
        req.session = found.session;
        req.actor = await auth.loadActor(ctx.db, found.account, found.session.active_organisation_id, "session");
      } else reply.clearCookie(name, { path: "/" });
    }
  }
  const cookieLocale = req.cookies[LOCALE_COOKIE];
  req.locale = req.actor ? req.actor.locale : cookieLocale === "en" || cookieLocale === "nl" ? cookieLocale : ctx.config.defaultLocale;
  acceptLanguage(req);
}

/** An API client chooses its language per request with Accept-Language (the first tag we know wins). */
function acceptLanguage(req: FastifyRequest) {
  const accept = req.headers["accept-language"];
  if (isApi(req.url) && typeof accept === "string") {
    const tag = accept.split(",").map((s) => s.trim().slice(0, 2).toLowerCase()).find((s) => s === "nl" || s === "en");
    if (tag) req.locale = tag as Locale;
  }
}

async function enforceAccess(ctx: Context, req: FastifyRequest, reply: FastifyReply) {
  const access: Access | undefined = req.routeOptions.config?.access;
  if (!access || access === "public") return;
  const path = req.url.split("?")[0]!;
  const stage = req.session?.stage;
  if (req.actor && req.session && stage !== "full" && !(STAGE_PATHS[stage!] ?? []).includes(path)) {
    if (isApi(req.url)) throw new DomainError(401, "unauthenticated", "error.unauthenticated");
    return reply.redirect(STAGE_PATHS[stage!]?.[0] ?? "/uitloggen", 303);
  }
  if (!req.actor) {
    if (isApi(req.url)) {
      reply.header("WWW-Authenticate", 'Bearer realm="intact"');
      throw new DomainError(401, "unauthenticated", "error.unauthenticated");
    }
    // The sign-in form is shown in place, with 401, and returns to this page afterwards.
    return sendPage(ctx, req, reply, "login.title", (t) => createElement(LoginPage, { returnTo: req.method === "GET" ? path : "/", errors: {}, message: null }), 401);
  }
  if (access === "authenticated") return;
  const allowed = isApi(req.url)
    ? hasPermission(req.actor, access.permission)
    : !!req.actor.activeOrganisationId && canInOrganisation(req.actor, access.permission, req.actor.activeOrganisationId);
  if (!allowed) throw new DomainError(403, "forbidden", "error.forbidden");
}

/** Whether a parsed value holds U+0000 in any string or key (walked without recursion: a JSON body may nest deeply).
 *  File bytes (Buffers) are not text and are judged by the attachment checks. */
function hasNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === "string") { if (v.includes("\u0000")) return true; }
    else if (v && typeof v === "object" && !Buffer.isBuffer(v)) {
      for (const [k, x] of Object.entries(v)) { if (k.includes("\u0000")) return true; stack.push(x); }
    }
  }
  return false;
}

function problemTitle(locale: Locale, key: MessageKey) { return translator(locale)(key); }

/** busboy's errors for a malformed multipart body (@fastify/busboy lib/types/multipart.js, deps/dicer, deps/streamsearch). */
const MULTIPART_MALFORMED = /^(Multipart: Boundary not found|Boundary required|The needle cannot|Unexpected end of multipart data|\w+ terminated early due to unexpected end of multipart data|Malformed part header)/;

export async function handleError(ctx: Context, err: unknown, req: FastifyRequest, reply: FastifyReply) {
  let status = 500, code = "internal", key: MessageKey = "error.server", fields: Record<string, MessageKey> = {};
  let params: Record<string, string | number> = {};
  const e = err as FastifyError & { code?: string };
  if (err instanceof DomainError) { status = err.status; code = err.code; key = err.messageKey; fields = err.fields; params = err.params; }
  else if (e?.code === "FST_CSRF_INVALID_TOKEN" || e?.code === "FST_CSRF_MISSING_SECRET") { status = 403; code = "csrf"; key = "error.csrf"; }
  else if (typeof e?.statusCode === "number" && e.statusCode >= 400 && e.statusCode < 500) {
    status = e.statusCode; code = e.code ?? "bad_request"; key = status === 404 ? "error.notFound" : status === 413 ? "field.tooLong" : "field.invalid";
  }
  // A multipart body the parser cannot read (no or an empty boundary, a part cut off, no closing boundary after a file)
  // is the client's mistake: busboy and the file's stream throw plain errors without a status for these.
  else if (e instanceof Error && typeof e.statusCode !== "number"
    && (MULTIPART_MALFORMED.test(e.message) || (e.code === "ERR_STREAM_PREMATURE_CLOSE" && req.isMultipart()))) { status = 400; code = "bad_request"; key = "field.invalid"; }
  if (status >= 500) req.log.error({ err }, "request failed");
  const t = translator(req.locale ?? ctx.config.defaultLocale);
  if (isApi(req.url)) {
    return reply.code(status).type("application/problem+json").send({
      type: "about:blank", title: problemTitle(req.locale, key), status, code,
      detail: status >= 500 ? t("error.server", { id: req.id }) : undefined,
      instance: req.id,
      invalidParams: Object.keys(fields).length ? Object.entries(fields).map(([name, k]) => ({ name, code: k, reason: t(k, params) })) : undefined,
    });
  }
  const titleKey: MessageKey = status === 404 ? "error.notFoundTitle" : status === 403 ? (code === "csrf" ? "error.csrfTitle" : "error.forbiddenTitle") : status >= 500 ? "error.serverTitle" : "error.summaryTitle";
  return sendPage(ctx, req, reply, titleKey, (tr) => createElement(ErrorPage, { title: tr(titleKey), message: status >= 500 ? t("error.server", { id: req.id }) : t(key) }), status);
}
