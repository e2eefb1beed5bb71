import { randomToken } from "../crypto/tokens.ts";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ReactElement } from "react";
import { DateTime } from "luxon";
import type { Actor } from "../access/actor.ts";
import * as auth from "../auth/service.ts";
import type { Context } from "../context.ts";
import { open, seal } from "../crypto/seal.ts";
import { LOCALE_COOKIE, type UploadedFile } from "../http/app.ts";
import { Conflict, Invalid, type FieldErrors } from "../http/errors.ts";
import { redirectWithFlash, safeReturnPath, sendPage } from "../http/pages.ts";
import { fieldErrors, formBody, str } from "../http/validation.ts";
import { translator, type Locale, type MessageKey } from "../ui/messages.ts";
import { FEEDBACK_MONTHS, ZONE } from "./deadlines.ts";
import {
  closeMailboxSession, groupReceipt, intakeTarget, mailboxSession, openMailboxSession, isUnknownReceipt, readMailbox, replyInMailbox, submitReport,
  type IntakeTarget,
} from "./intake.ts";
import { INTAKE_STEPS, intakeSteps, type IntakeStep } from "./schema.ts";
import { addFromReporter, discardPending, PendingBudget, storePending, UploadsGone, type IncomingFile } from "./attachments/service.ts";
import { draftUploads, withUploads, type AttachmentLimits } from "./views/attachments.tsx";
import { mailboxMinutesRoutes } from "./minutes-routes.tsx";
import { AnonymousThrottle } from "./throttle.ts";
import {
  IDENTITY_FIELDS, intakeUrls, myReportUrls, publicFlow, STEP_TITLES, stepFields, stepsFor, type Answers, type IntakeFlow,
} from "./views/intake-shared.tsx";
import { IntakeSentPage } from "./views/intake-sent.tsx";
import { IntakeStartPage } from "./views/intake-start.tsx";
import { IntakeCheckPage, IntakeStepPage } from "./views/intake-steps.tsx";
import { MailboxLoginPage, MailboxPage } from "./views/mailbox.tsx";

// The public intake and the reporter's mailbox. These routes are sessionless: they never look up, touch
// or link a signed-in session, and they log nothing. The client address is only ever handed to the
// in-memory throttles, which keep an HMAC of it under a daily secret; it never reaches a service.
//
// There is no server-side draft: the answers travel from page to page in one hidden field, sealed with
// the instance key and bound to the organisation. The receipt code is shown once, in the response to
// "Versturen", and after that only ever travels in a POST body.
//
// The question flow itself (intakeFlow below) is shared with the signed-in employee's flow under
// /mijn-meldingen/nieuw (mine-routes.tsx): the same steps, pages and checks, with that flow's addresses,
// only open and confidential, no notice address, and no receipt.

export const MAILBOX_COOKIE = "intact_mailbox";
const ALL_FIELDS = new Set(INTAKE_STEPS.flatMap(stepFields));
const isStep = (v: string): v is IntakeStep => (INTAKE_STEPS as string[]).includes(v);

type SlugRequest = FastifyRequest<{ Params: { slug: string } }>;

/** A draft is bound to its organisation, and a signed-in reporter's draft also to their account. */
const draftAad = (organisationId: string, accountId?: string) =>
  accountId ? `intake-draft:${organisationId}:account:${accountId}` : `intake-draft:${organisationId}`;

export function sealDraft(ctx: Context, organisationId: string, answers: Answers, accountId?: string): string {
  return seal(ctx.masterKey, JSON.stringify(answers), draftAad(organisationId, accountId));
}

/** The answers in a draft, or null when it does not open (tampered, another organisation or account, another key) or parse. */
export function openDraft(ctx: Context, organisationId: string, sealed: string, accountId?: string): Answers | null {
  try {
    const parsed: unknown = JSON.parse(open(ctx.masterKey, sealed, draftAad(organisationId, accountId)).toString("utf8"));
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return null;
    const out: Answers = {};
    // "uploads": the files step's pending uploads with their keys (views/attachments.tsx), as JSON.
    // "nonce": the draft's one-time token, so sending it twice (a double click, a reload) makes one case.
    for (const [k, v] of Object.entries(parsed)) if ((ALL_FIELDS.has(k) || k === "uploads" || k === "nonce") && typeof v === "string") out[k] = v;
    return out;
  } catch {
    return null;
  }
}

/** The fields of one question as typed (strings only; an absent radio is ""). */
const typed = (step: IntakeStep, body: Record<string, unknown>): Answers =>
  Object.fromEntries(stepFields(step).map((f) => [f, str(body[f])]));

/** Lays new answers over the old; choosing "anonymous" drops any name and contact given before. */
function merge(answers: Answers, update: Answers): Answers {
  const next = { ...answers, ...update };
  if (next.mode === "anonymous") for (const f of IDENTITY_FIELDS) delete next[f];
  return next;
}

/** The answers as the whole report (the shape of reportInputSchema); the identity only when not anonymous, and
 *  nothing of a question the flow does not ask (the signed-in flow has no notice address). */
export function reportInput(a: Answers, flow: IntakeFlow): Record<string, unknown> {
  const asked = new Set(flow.steps.flatMap(stepFields));
  const input: Record<string, unknown> = {};
  for (const f of ALL_FIELDS) if (!IDENTITY_FIELDS.includes(f) && asked.has(f) && a[f] !== undefined) input[f] = a[f];
  if (a.mode !== "anonymous") input.identity = { name: a.name ?? "", email: a.email ?? "", phone: a.phone ?? "", relation: a.relation ?? "" };
  return input;
}

/** What a step's schema cannot know: the choices must belong to this organisation and this flow. */
function targetErrors(target: IntakeTarget, flow: IntakeFlow, step: IntakeStep, a: Answers): FieldErrors {
  if (step === "category" && !target.categories.some((c) => c.id === a.categoryId)) return { categoryId: "report.categoryRequired" };
  if (step === "where" && a.unitId && !target.units.some((u) => u.id === a.unitId)) return { unitId: "report.unitUnknown" };
  if (step === "handler" && a.concernsHandler === "yes" && !target.hasAlternativeRecipient) return { concernsHandler: "report.noAlternativeRecipient" };
  if (step === "mode" && !(flow.modes as string[]).includes(a.mode ?? "")) return { mode: "report.anonymousSignedIn" };
  return {};
}

/** The file a multipart form sent in its "file" field; null when none was chosen (an empty file part without a name). */
export function fileOf(req: FastifyRequest): IncomingFile | null {
  const f: UploadedFile | undefined = req.uploads?.find((u) => u.field === "file");
  if (!f || (!f.data.length && !f.filename)) return null;
  return { name: f.filename, data: f.data, truncated: f.truncated };
}

/** The latest day feedback can be due: 3 months after the last day of the acknowledgement period. */
const feedbackLatest = (ackDueOn: string) => DateTime.fromISO(ackDueOn, { zone: ZONE }).plus({ months: FEEDBACK_MONTHS }).toISODate()!;

/** Who is going through the questions: the organisation, the flow, the signed-in reporter (null on the public
 *  intake, which never looks at a session), and the hint the in-memory throttles key on. */
export type FlowCall = { target: IntakeTarget; flow: IntakeFlow; reporter: Actor | null; client: string };

/** The question flow: one implementation of the steps, the check page and "Versturen" for both flows. Each call
 *  makes its own in-memory throttles (per app). */
export function intakeFlow(ctx: Context) {
  // Submissions per hour, and uploads per hour (pending files cost storage until housekeeping).
  const submissions = new AnonymousThrottle(ctx.config.intakeMaxPerHour, 60 * 60_000);
  const uploads = new AnonymousThrottle(Math.max(60, ctx.config.attachmentMaxFiles * 3), 60 * 60_000);
  // Pending bytes per client (keyed like `uploads`) in 24 hours: two full reports' worth, 200 MB by default, so one
  // client cannot fill the organisation's ATTACHMENT_MAX_PENDING_MB on its own (ADR 0010).
  const pendingBudget = new PendingBudget(2 * ctx.config.attachmentMaxReportBytes);
  // Routes that take a file: one file, cut one byte past the limit (then refused in words, not with a bare 413).
  const multipartOptions = { limits: { fileSize: ctx.config.attachmentMaxFileBytes + 1, files: 1, fields: 50 }, throwFileSizeLimit: false };
  const limits: AttachmentLimits = {
    file: Math.floor(ctx.config.attachmentMaxFileBytes / 2 ** 20), total: Math.floor(ctx.config.attachmentMaxReportBytes / 2 ** 20), count: ctx.config.attachmentMaxFiles,
  };

  const page = (req: FastifyRequest, reply: FastifyReply, title: string, element: ReactElement, status = 200) =>
    sendPage(ctx, req, reply, { text: title }, () => element, status);
  const tr = (req: FastifyRequest) => translator(req.locale);
  /** The same cookie the layout's switch at /taal sets (and, signed in, the account's language, as /taal does). */
  const setLocale = async (req: FastifyRequest, reply: FastifyReply, locale: Locale): Promise<Locale> => {
    reply.setCookie(LOCALE_COOKIE, locale, { path: "/", sameSite: "lax", httpOnly: true, maxAge: 365 * 86400, secure: ctx.config.secureCookies });
    if (req.actor) await auth.setLocale(ctx, req.actor.accountId, locale);
    return locale;
  };
  const sealFor = (c: FlowCall, answers: Answers) => sealDraft(ctx, c.target.organisation.id, answers, c.reporter?.accountId);
  /** A new draft: empty, or for a signed-in reporter with the account's name and address filled in (they can change them). */
  const initial = (c: FlowCall): Answers => ({
    nonce: randomToken(), ...(c.reporter ? { name: c.reporter.displayName, email: c.reporter.email } : {}),
  });

  const startPage = (req: FastifyRequest, reply: FastifyReply, target: IntakeTarget, notice?: MessageKey, status = 200) => {
    const title = tr(req)("intake.start.title", { organisation: target.organisation.name });
    return page(req, reply, title, <IntakeStartPage target={target} title={title} notice={notice} />, status);
  };
  type StepOpts = {
    typed?: Answers; errors?: FieldErrors; fromCheck?: boolean; status?: number; notice?: string; params?: Record<string, string | number>; problem?: MessageKey;
  };
  const stepPage = (req: FastifyRequest, reply: FastifyReply, c: FlowCall, step: IntakeStep, answers: Answers, opts: StepOpts = {}) => {
    const title = tr(req)(STEP_TITLES[step]);
    const view = (
      <IntakeStepPage target={c.target} flow={c.flow} step={step} title={title} values={{ ...answers, ...opts.typed }} errors={opts.errors ?? {}}
        draft={sealFor(c, answers)} fromCheck={!!opts.fromCheck} problem={opts.problem}
        files={step === "files" ? { limits, notice: opts.notice, params: opts.params } : undefined} />
    );
    return page(req, reply, title, view, opts.status);
  };
  const checkPage = (req: FastifyRequest, reply: FastifyReply, c: FlowCall, answers: Answers, errors: FieldErrors = {}, status = 200) => {
    const title = tr(req)("intake.check.title");
    return page(req, reply, title,
      <IntakeCheckPage target={c.target} flow={c.flow} answers={answers} errors={errors} title={title} draft={sealFor(c, answers)} />, status);
  };
  /** The first question with a fresh draft. */
  const begin = (req: FastifyRequest, reply: FastifyReply, c: FlowCall, opts: StepOpts = {}) => stepPage(req, reply, c, c.flow.steps[0]!, initial(c), opts);
  /** A draft that does not open: back to the start, with what happened, never a 500. */
  const restart = (req: FastifyRequest, reply: FastifyReply, c: FlowCall) => (c.flow.kind === "public"
    ? startPage(req, reply, c.target, "intake.draftInvalid", 400)
    : begin(req, reply, c, { problem: "intake.draftInvalid", status: 400 }));

  /** One press of a button on a question or the check page (multipart on the files step: the file arrives with the sealed draft). */
  async function step(req: FastifyRequest, reply: FastifyReply, c: FlowCall) {
    const { target, flow } = c;
    const body = formBody(req.body);
    const nav = str(body.nav);
    if (nav === "start") return begin(req, reply, c);

    let answers = openDraft(ctx, target.organisation.id, str(body.draft), c.reporter?.accountId);
    const at = str(body.step);
    if (!answers || !(isStep(at) || at === "check")) return restart(req, reply, c);
    const fromCheck = str(body.from) === "check";
    const current = (a: Answers) => (at === "check" ? checkPage(req, reply, c, a) : stepPage(req, reply, c, at, a, { fromCheck }));

    // The files step: "Bestand toevoegen" stores the chosen file pending (its key goes into the draft), "Verwijderen"
    // deletes one; "Volgende" with a file still chosen adds it first and then goes on.
    if (at === "files" && (nav === "upload" || nav.startsWith("remove:") || (nav === "next" && fileOf(req)))) {
      const list = draftUploads(answers);
      const files = (a: Answers, opts: StepOpts = {}) => stepPage(req, reply, c, "files", a, { fromCheck, ...opts });
      if (nav.startsWith("remove:")) {
        const id = nav.slice("remove:".length);
        if (!list.some((u) => u.id === id)) return files(answers);
        await discardPending(ctx, target.organisation.id, id);
        return files(withUploads(answers, list.filter((u) => u.id !== id)), { notice: tr(req)("intake.files.removedOne") });
      }
      const file = fileOf(req);
      if (!file) return files(answers, { errors: { file: "intake.files.required" }, status: 422 });
      const client = uploads.key(c.client);
      if (!uploads.hit(client)) return files(answers, { errors: { file: "report.tooMany" }, status: 429 });
      // The file's size is reserved against the client's pending budget before it is cleaned, then settled to what was stored.
      const reserved = file.data.length;
      if (!pendingBudget.reserve(client, reserved)) return files(answers, { errors: { file: "intake.files.clientFull" }, status: 429 });
      let stored = 0;
      try {
        const added = await storePending(ctx, target.organisation.id, file, list);
        stored = added.size;
        answers = withUploads(answers, [...list, added]);
        if (nav === "upload") return files(answers, { notice: tr(req)("intake.files.added", { name: added.name }) });
      } catch (e) {
        if (!(e instanceof Invalid)) throw e;
        return files(answers, { errors: e.fields, params: e.params, status: 422 });
      } finally {
        pendingBudget.settle(client, reserved, stored);
      }
    }

    if (nav === "lang") {
      req.locale = await setLocale(req, reply, body.locale === "en" ? "en" : "nl");
      return current(answers);
    }

    if (nav === "goto") {
      const goal = str(body.target);
      if (isStep(goal) && stepsFor(answers, flow).includes(goal)) return stepPage(req, reply, c, goal, answers, { fromCheck: true });
      return checkPage(req, reply, c, answers);
    }

    if (nav === "back") {
      if (at === "check") return stepPage(req, reply, c, stepsFor(answers, flow).at(-1)!, answers);
      // No validation going back: what was typed is kept, and checked when the reporter comes past again.
      const kept = merge(answers, typed(at, body));
      if (fromCheck) return checkPage(req, reply, c, kept);
      const steps = stepsFor(kept, flow);
      const i = steps.indexOf(at);
      if (i <= 0) return flow.kind === "public" ? startPage(req, reply, target) : reply.redirect(flow.back, 303);
      return stepPage(req, reply, c, steps[i - 1]!, kept);
    }

    if (nav === "next" && at !== "check") {
      const raw = typed(at, body);
      const parsed = intakeSteps[at].safeParse(raw);
      const errors = parsed.success ? targetErrors(target, flow, at, raw) : fieldErrors(parsed.error);
      if (Object.keys(errors).length) return stepPage(req, reply, c, at, answers, { typed: raw, errors, fromCheck, status: 422 });
      const next = merge(answers, Object.fromEntries(Object.entries(parsed.data!).map(([k, v]) => [k, String(v ?? "")])));
      const steps = stepsFor(next, flow);
      if (fromCheck) {
        // Changed to open or confidential from the check page: the name is asked before going back there.
        if (steps.includes("identity") && !next.name && at !== "identity") return stepPage(req, reply, c, "identity", next, { fromCheck: true });
        return checkPage(req, reply, c, next);
      }
      const following = steps[steps.indexOf(at) + 1];
      return following ? stepPage(req, reply, c, following, next) : checkPage(req, reply, c, next);
    }

    return current(answers);
  }

  /** "Versturen": the public flow shows the receipt once; a signed-in reporter gets none and is told where to follow the report. */
  async function send(req: FastifyRequest, reply: FastifyReply, c: FlowCall) {
    const { target, flow } = c;
    const answers = openDraft(ctx, target.organisation.id, str(formBody(req.body).draft), c.reporter?.accountId);
    if (!answers) return restart(req, reply, c);
    if (!submissions.hit(submissions.key(c.client))) return checkPage(req, reply, c, answers, { _form: "report.tooMany" }, 429);
    try {
      const sent = await submitReport(ctx, target.organisation.slug, reportInput(answers, flow), {
        locale: req.locale, uploads: draftUploads(answers), ...(c.reporter ? { reporter: c.reporter } : {}),
        ...(answers.nonce ? { nonce: answers.nonce } : {}),
      });
      const title = tr(req)("intake.sent.title");
      const dates = { reference: sent.reference, ackDueOn: sent.ackDueOn, feedbackLatestOn: feedbackLatest(sent.ackDueOn) };
      return page(req, reply, title, (
        <IntakeSentPage target={target} flow={flow} title={title}
          sent={sent.receipt ? { ...dates, receiptGrouped: groupReceipt(sent.receipt) } : { ...dates, followUrl: myReportUrls(sent.reportId).page }} />
      ));
    } catch (e) {
      // Files that ran out or were sent already leave the draft, so the reporter can add them again or send without.
      if (e instanceof UploadsGone) return checkPage(req, reply, c, withUploads(answers, draftUploads(answers).filter((u) => !e.ids.includes(u.id))), e.fields, 422);
      if (e instanceof Invalid) return checkPage(req, reply, c, answers, e.fields, 422);
      if (e instanceof Conflict && e.code === "already_sent") return checkPage(req, reply, c, answers, { _form: "report.alreadySent" }, 409);
      throw e;
    }
  }

  return { page, startPage, begin, step, send, setLocale, limits, multipartOptions, uploads };
}

export function intakeRoutes(app: FastifyInstance, ctx: Context) {
  const flow = intakeFlow(ctx);
  const { page, limits, uploads } = flow;
  // Per app, in memory only: failed receipt checks per 15 minutes.
  const receiptFailures = new AnonymousThrottle(ctx.config.receiptMaxFailures, 15 * 60_000);
  const route = { config: { access: "public" as const, sessionless: true } };
  const uploadRoute = { config: { ...route.config, multipartOptions: flow.multipartOptions } };
  const tr = (req: FastifyRequest) => translator(req.locale);
  /** The public flow for this organisation; the throttles key on the connection's address (an HMAC of it, in memory). */
  const call = async (req: SlugRequest): Promise<FlowCall> => {
    const target = await intakeTarget(ctx, req.params.slug);
    return { target, flow: publicFlow(target.organisation.slug), reporter: null, client: req.ip };
  };

  app.get("/melden/:slug", route, async (req: SlugRequest, reply) => {
    const target = await intakeTarget(ctx, req.params.slug);
    return flow.startPage(req, reply, target);
  });

  // The step and send addresses are POST only; a GET (a reload, the layout's language switch on an error page) starts over.
  for (const path of ["/melden/:slug/stap", "/melden/:slug/versturen"]) {
    app.get(path, route, async (req: SlugRequest, reply) => {
      const target = await intakeTarget(ctx, req.params.slug);
      return reply.redirect(intakeUrls(target.organisation.slug).start, 303);
    });
  }

  // The language switch of the start and mailbox pages: a cookie and back, without looking at any session.
  app.post("/melden/:slug/taal", route, async (req: SlugRequest, reply) => {
    const target = await intakeTarget(ctx, req.params.slug);
    const body = formBody(req.body);
    await flow.setLocale(req, reply, body.locale === "en" ? "en" : "nl");
    const urls = intakeUrls(target.organisation.slug);
    const back = str(body.return);
    return reply.redirect(back === urls.start || back.startsWith(`${urls.start}/`) ? safeReturnPath(back, urls.start) : urls.start, 303);
  });

  app.post("/melden/:slug/stap", uploadRoute, async (req: SlugRequest, reply) => flow.step(req, reply, await call(req)));
  app.post("/melden/:slug/versturen", route, async (req: SlugRequest, reply) => flow.send(req, reply, await call(req)));

  // ---- the mailbox ------------------------------------------------------------------------------

  const cookiePath = (slug: string) => intakeUrls(slug).mailbox;
  const loginPage = (req: FastifyRequest, reply: FastifyReply, target: IntakeTarget, errors: FieldErrors = {}, receipt?: string, status = 200) => {
    const title = tr(req)("mailbox.login.title");
    return page(req, reply, title, <MailboxLoginPage target={target} title={title} errors={errors} receipt={receipt} />, status);
  };
  const mailboxPage = async (req: FastifyRequest, reply: FastifyReply, target: IntakeTarget, reportId: string, errors: FieldErrors = {}, body?: string, status = 200,
    fileProblem?: { errors: FieldErrors; params?: Record<string, string | number> }) => {
    const mailbox = await readMailbox(ctx, reportId);
    const title = tr(req)("mailbox.title", { reference: mailbox.reference });
    return page(req, reply, title,
      <MailboxPage target={target} mailbox={mailbox} title={title} errors={errors} body={body} files={{ limits, ...fileProblem }} />, status);
  };
  /** The case of this browser's mailbox session, or a 303 to the receipt form (with a word when a session ran out). */
  const session = async (req: FastifyRequest, reply: FastifyReply, target: IntakeTarget): Promise<string | null> => {
    const token = req.cookies[MAILBOX_COOKIE];
    const reportId = await mailboxSession(ctx, target.organisation.slug, token);
    if (reportId) return reportId;
    if (token) {
      reply.clearCookie(MAILBOX_COOKIE, { path: cookiePath(target.organisation.slug) });
      redirectWithFlash(reply, intakeUrls(target.organisation.slug).mailbox, "mailbox.expired");
    } else reply.redirect(intakeUrls(target.organisation.slug).mailbox, 303);
    return null;
  };

  app.get("/melden/:slug/postbus", route, async (req: SlugRequest, reply) => {
    const target = await intakeTarget(ctx, req.params.slug);
    return loginPage(req, reply, target);
  });

  app.post("/melden/:slug/postbus", route, async (req: SlugRequest, reply) => {
    const target = await intakeTarget(ctx, req.params.slug);
    const key = receiptFailures.key(req.ip);
    const receipt = str(formBody(req.body).receipt);
    try {
      const opened = await receiptFailures.guard(key, () => openMailboxSession(ctx, target.organisation.slug, { receipt: receipt || undefined }), isUnknownReceipt);
      if (!opened.ok) return loginPage(req, reply, target, { receipt: "report.tooMany" }, undefined, 429);
      const { token } = opened.value;
      reply.setCookie(MAILBOX_COOKIE, token, {
        path: cookiePath(target.organisation.slug), httpOnly: true, sameSite: "strict", secure: ctx.config.secureCookies,
      });
      return reply.redirect(intakeUrls(target.organisation.slug).messages, 303);
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      return loginPage(req, reply, target, e.fields, receipt, 422);
    }
  });

  app.get("/melden/:slug/postbus/berichten", route, async (req: SlugRequest, reply) => {
    const target = await intakeTarget(ctx, req.params.slug);
    const reportId = await session(req, reply, target);
    if (!reportId) return reply;
    return mailboxPage(req, reply, target, reportId);
  });

  app.post("/melden/:slug/postbus/berichten", route, async (req: SlugRequest, reply) => {
    const target = await intakeTarget(ctx, req.params.slug);
    const reportId = await session(req, reply, target);
    if (!reportId) return reply;
    const body = formBody(req.body).body;
    try {
      await replyInMailbox(ctx, reportId, { body });
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      return mailboxPage(req, reply, target, reportId, e.fields, str(body), 422);
    }
    return redirectWithFlash(reply, intakeUrls(target.organisation.slug).messages, "mailbox.sent");
  });

  // A file for the desk, straight to the case (no pending state). The reporter is not offered it back.
  app.post("/melden/:slug/postbus/bestanden", uploadRoute, async (req: SlugRequest, reply) => {
    const target = await intakeTarget(ctx, req.params.slug);
    const reportId = await session(req, reply, target);
    if (!reportId) return reply;
    const file = fileOf(req);
    if (!file) return mailboxPage(req, reply, target, reportId, {}, undefined, 422, { errors: { file: "intake.files.required" } });
    if (!uploads.hit(uploads.key(req.ip))) return mailboxPage(req, reply, target, reportId, {}, undefined, 429, { errors: { file: "report.tooMany" } });
    try {
      await addFromReporter(ctx, reportId, file);
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      return mailboxPage(req, reply, target, reportId, {}, undefined, 422, { errors: e.fields, params: e.params });
    }
    return redirectWithFlash(reply, intakeUrls(target.organisation.slug).messages, "mailbox.files.sent");
  });
  app.get("/melden/:slug/postbus/bestanden", route, async (req: SlugRequest, reply) => {
    const target = await intakeTarget(ctx, req.params.slug);
    return reply.redirect(intakeUrls(target.organisation.slug).messages, 303);
  });

  app.post("/melden/:slug/postbus/afsluiten", route, async (req: SlugRequest, reply) => {
    const target = await intakeTarget(ctx, req.params.slug);
    await closeMailboxSession(ctx, req.cookies[MAILBOX_COOKIE]);
    reply.clearCookie(MAILBOX_COOKIE, { path: cookiePath(target.organisation.slug) });
    return redirectWithFlash(reply, intakeUrls(target.organisation.slug).start, "mailbox.signedOut");
  });
  app.get("/melden/:slug/postbus/afsluiten", route, async (req: SlugRequest, reply) => {
    const target = await intakeTarget(ctx, req.params.slug);
    return reply.redirect(intakeUrls(target.organisation.slug).mailbox, 303);
  });

  mailboxMinutesRoutes(app, ctx, { route, page, session });
}
