import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ReactElement } from "react";
import type { Context } from "../context.ts";
import { Conflict, Invalid, type FieldErrors } from "../http/errors.ts";
import { redirectWithFlash } from "../http/pages.ts";
import { formBody, str } from "../http/validation.ts";
import { translator, type MessageKey } from "../ui/messages.ts";
import { intakeTarget, readMailbox, type IntakeTarget } from "./intake.ts";
import { approveMinutes, correctMinutes } from "./minutes.ts";
import { recordMinutesApproval, reviseMinutes } from "./register.ts";
import type { CaseForm } from "./views/case.tsx";
import type { InboxBase } from "./views/inbox.tsx";
import { intakeUrls } from "./views/intake-shared.tsx";
import { MinutesCorrectionPage } from "./views/minutes.tsx";

// The routes of the minutes (minutes.ts). The mailbox's are registered by intakeRoutes and the case page's by
// caseRoutes, each handing over its own helpers, so they behave exactly like their neighbours: sessionless
// and traceless in the mailbox, post-redirect-get with the case page on a problem for the desk.

type SlugRequest = FastifyRequest<{ Params: { slug: string } }>;

/** What the mailbox routes share (intake-routes.tsx). */
export type MailboxHelpers = {
  route: { config: { access: "public"; sessionless: boolean } };
  page: (req: FastifyRequest, reply: FastifyReply, title: string, element: ReactElement, status?: number) => Promise<FastifyReply>;
  /** The case of this browser's mailbox session, or null after a redirect to the receipt form. */
  session: (req: FastifyRequest, reply: FastifyReply, target: IntakeTarget) => Promise<string | null>;
};

export function mailboxMinutesRoutes(app: FastifyInstance, ctx: Context, h: MailboxHelpers) {
  const correctionPage = async (req: FastifyRequest, reply: FastifyReply, target: IntakeTarget, reportId: string,
    errors: FieldErrors = {}, body?: string, status = 200) => {
    const mailbox = await readMailbox(ctx, reportId);
    // Nothing to correct (any more): back to the messages, where the minutes' state is shown.
    if (!mailbox.minutes || mailbox.minutes.state !== "pending" || mailbox.status === "closed") {
      return reply.redirect(intakeUrls(target.organisation.slug).messages, 303);
    }
    const title = translator(req.locale)("minutes.correct.title");
    return h.page(req, reply, title, <MinutesCorrectionPage target={target} minutes={mailbox.minutes} title={title} errors={errors} body={body} />, status);
  };
  /** Runs a reporter's answer; a changed or closed case goes back to the messages with the reason. */
  const answer = async (req: SlugRequest, reply: FastifyReply, run: (reportId: string, body: Record<string, unknown>) => Promise<MessageKey>) => {
    const target = await intakeTarget(ctx, req.params.slug);
    const reportId = await h.session(req, reply, target);
    if (!reportId) return reply;
    const body = formBody(req.body);
    const messages = intakeUrls(target.organisation.slug).messages;
    try {
      return redirectWithFlash(reply, messages, await run(reportId, body));
    } catch (e) {
      if (e instanceof Conflict) return redirectWithFlash(reply, messages, e.messageKey);
      if (e instanceof Invalid && e.code === "case_closed") return redirectWithFlash(reply, messages, "minutes.closed");
      // Only a tampered form lacks the version it was read at: as if the minutes changed.
      if (e instanceof Invalid && e.fields.version) return redirectWithFlash(reply, messages, "minutes.changed");
      if (e instanceof Invalid) return correctionPage(req, reply, target, reportId, e.fields, str(body.body), 422);
      throw e;
    }
  };

  app.get("/melden/:slug/postbus/verslag", h.route, async (req: SlugRequest, reply) => {
    const target = await intakeTarget(ctx, req.params.slug);
    const reportId = await h.session(req, reply, target);
    if (!reportId) return reply;
    return correctionPage(req, reply, target, reportId);
  });

  app.post("/melden/:slug/postbus/verslag", h.route, async (req: SlugRequest, reply) => answer(req, reply, async (reportId, body) => {
    await correctMinutes(ctx, reportId, { version: str(body.version), body: str(body.body) });
    return "minutes.flash.correctionSent";
  }));

  app.post("/melden/:slug/postbus/verslag/goedkeuren", h.route, async (req: SlugRequest, reply) => answer(req, reply, async (reportId, body) => {
    await approveMinutes(ctx, reportId, { version: str(body.version) });
    return "minutes.flash.approved";
  }));
}

/** The case page's runner of one action (case-routes.tsx `act`). */
export type CaseAction = (req: FastifyRequest, reply: FastifyReply, base: InboxBase, form: CaseForm, values: Record<string, unknown>,
  run: (id: string) => Promise<MessageKey>, mapErrors: (f: FieldErrors) => FieldErrors) => Promise<FastifyReply>;

const HANDLE = { config: { access: { permission: "report.handle" as const } } };

export function caseMinutesRoutes(app: FastifyInstance, ctx: Context, act: CaseAction) {
  app.post("/meldingen/:id/verslag", HANDLE, async (req, reply) => {
    const body = formBody(req.body);
    return act(req, reply, "/meldingen", { kind: "minutes" }, body, async (id) => {
      await reviseMinutes(ctx, req.actor!, id, { body: str(body["minutes.body"]) });
      return "minutes.flash.revised";
    }, (f) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k === "body" ? "minutes.body" : "_form", v])));
  });

  app.post("/meldingen/:id/verslag/goedkeuring", HANDLE, async (req, reply) => {
    const body = formBody(req.body);
    return act(req, reply, "/meldingen", { kind: "minutesApproval" }, body, async (id) => {
      await recordMinutesApproval(ctx, req.actor!, id, { version: str(body["minutesApproval.version"]), approvedOn: str(body["minutesApproval.approvedOn"]) });
      return "minutes.flash.approvalRecorded";
    }, (f) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k === "approvedOn" ? "minutesApproval.approvedOn" : "_form", v])));
  });
}
