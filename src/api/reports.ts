import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Context } from "../context.ts";
import { DomainError, Invalid } from "../http/errors.ts";
import type { Locale } from "../ui/messages.ts";
import * as intake from "../reports/intake.ts";
import * as cases from "../reports/service.ts";
import {
  assignmentSchema, disclosureSchema, exclusionSchema, handOverSchema, inboxQuerySchema, LIMITS, messageSchema, noteSchema, receiptSchema, referralSchema,
  reportInputSchema, transitionSchema,
} from "../reports/schema.ts";
import { handOver } from "../reports/handover.ts";
import { registerReport, registerSchema } from "../reports/register.ts";
import { sendDownload } from "../reports/attachments/routes.ts";
import { AnonymousThrottle } from "../reports/throttle.ts";
import { ACTIONS, CHANNELS, KINDS, MODES, STATUSES } from "../reports/workflow.ts";
import { apiRoute } from "./registry.ts";
import { organisationParams } from "./schemas.ts";

// The reporting desk in /api/v1. The intake and the mailbox are public: the organisation is addressed by
// its slug, the reporter by the receipt, which travels only in request bodies (never in a URL, where
// it would end up in logs and histories) and is returned once, by createReport. These operations are
// sessionless: they never look at a cookie or a token, so an anonymous report cannot be linked to a
// signed-in session. Nothing about the client is logged or stored; the throttles keep only an HMAC of
// the address, in memory. The handler side answers 404 for every case outside the caller's view.

const slugParams = z.object({ slug: z.string().min(1).max(100) });
const caseParams = z.object({ caseId: z.string().min(1).max(100) });
const attachmentParams = caseParams.extend({ attachmentId: z.string().min(1).max(100) });

const deadlineState = z.enum(["met", "open", "dueSoon", "dueToday", "overdue"]);

// ---- the reporter's side -------------------------------------------------------------------------

const categoriesOut = z.object({
  organisationName: z.string(),
  /** Whether the organisation has someone for reports about the desk's own handlers (concernsHandler: "yes"). */
  alternativeRecipient: z.boolean(),
  categories: z.array(z.object({ id: z.string(), code: z.string(), kind: z.enum(KINDS), label: z.string() })),
  units: z.array(z.object({ id: z.string(), name: z.string() })),
});

const submittedOut = z.object({
  reference: z.string(),
  /** The 16-digit receipt: shown this once, never stored in the clear, never returned again. */
  receipt: z.string(),
  receivedOn: z.string(),
  acknowledgementDueOn: z.string(),
});

const mailboxOut = z.object({
  reference: z.string(), status: z.enum(STATUSES),
  receivedOn: z.string(), acknowledgementDueOn: z.string(), acknowledgedOn: z.string().nullable(),
  feedbackDueOn: z.string().nullable(), feedbackGivenOn: z.string().nullable(), closedOn: z.string().nullable(),
  messages: z.array(z.object({
    id: z.string(), from: z.enum(["reporter", "desk"]), body: z.string(), at: z.string(), acknowledgement: z.boolean(), feedback: z.boolean(),
    /** Files the reporter sent (then the body is empty): names and what was removed; the files are not offered back. */
    files: z.array(z.object({ id: z.string(), name: z.string(), size: z.number().int(), removed: z.array(z.string()), notice: z.string().nullable() })).optional(),
  })),
});
const toMailbox = (m: intake.Mailbox): z.input<typeof mailboxOut> => ({
  reference: m.reference, status: m.status, receivedOn: m.receivedOn, acknowledgementDueOn: m.ackDueOn, acknowledgedOn: m.acknowledgedOn,
  feedbackDueOn: m.feedbackDueOn, feedbackGivenOn: m.feedbackGivenOn, closedOn: m.closedOn, messages: m.messages,
});

// ---- the handlers' side --------------------------------------------------------------------------

const caseSummaryOut = z.object({
  id: z.string(), reference: z.string(), organisationId: z.string(), organisationName: z.string(),
  status: z.enum(STATUSES), kind: z.enum(KINDS), mode: z.enum(MODES), channel: z.enum(CHANNELS), routing: z.enum(["desk", "alternative"]),
  categoryId: z.string().nullable(), categoryLabel: z.string().nullable(), unitId: z.string().nullable(), unitName: z.string().nullable(),
  receivedAt: z.string(), acknowledgementDueOn: z.string(), acknowledgedAt: z.string().nullable(),
  feedbackDueOn: z.string().nullable(), feedbackGivenAt: z.string().nullable(), closedAt: z.string().nullable(),
  coordinatorId: z.string().nullable(), investigatorId: z.string().nullable(),
  /** The next statutory date the case waits for (acknowledgement, then feedback); null when none. */
  nextDueOn: z.string().nullable(), deadlineState: deadlineState.nullable(), version: z.number().int(),
});
const casesOut = z.object({
  items: z.array(caseSummaryOut), total: z.number().int(), page: z.number().int(), pages: z.number().int(), pageSize: z.number().int(),
});

const contentOut = z.object({
  categoryId: z.string(), description: z.string(), occurredOn: z.string(), occurredWhen: z.string(), unitId: z.string(),
  location: z.string(), involved: z.string(), howKnown: z.string(), howKnownDetail: z.string(), reportedBefore: z.string(),
  reportedBeforeDetail: z.string(), concernsHandler: z.string(),
});
const identityOut = z.object({ name: z.string(), email: z.string(), phone: z.string(), relation: z.string() });
const timelineOut = z.object({
  id: z.string(), kind: z.string(), authorType: z.enum(["reporter", "account", "system"]), authorName: z.string().nullable(),
  createdAt: z.string(), meta: z.record(z.string(), z.unknown()),
  /** The words of the entry where it has them: a message's or note's body, a step's, referral's or disclosure's reason, the name of whom an exclusion excluded. */
  text: z.string().nullable(),
});
const caseOut = caseSummaryOut.omit({ nextDueOn: true, deadlineState: true }).extend({
  decision: z.string().nullable(), coordinatorName: z.string().nullable(), investigatorName: z.string().nullable(),
  deadlines: z.object({ acknowledgement: deadlineState, feedback: deadlineState.nullable() }),
  content: contentOut.nullable(),
  /** The reporter's identity: null unless you may read it (and for anonymous reports). */
  identity: identityOut.nullable(),
  /** True when the case holds an identity that you may not read. */
  identityProtected: z.boolean(),
  timeline: z.array(timelineOut),
  /** The case's files (download each with getCaseAttachment); from: the reporter, or a handler. */
  attachments: z.array(z.object({
    id: z.string(), name: z.string(), mediaType: z.string(), size: z.number().int(), createdAt: z.string(), from: z.enum(["reporter", "handler"]),
    /** What was removed from the file when it came in (location, camera, date, author, documentProperties, otherMetadata). */
    removed: z.array(z.string()),
  })),
  /** The transitions you may take from the current status (transitionCase). */
  allowedActions: z.array(z.enum(ACTIONS)),
  /** The organisation's measures: codes for decideMeasures (active ones), names for those on the timeline. */
  measureOptions: z.array(z.object({ code: z.string(), label: z.string(), active: z.boolean() })),
  can: z.object({ handle: z.boolean(), message: z.boolean(), note: z.boolean(), assign: z.boolean(), readIdentity: z.boolean() }),
});

/** What a report registered by the desk may carry: the intake's answers (the reporter's identity under identity, no notice
 *  address) and how and when it came in. Documented here; registerReport parses it itself, as for the page's form: with the
 *  desk's wording, an anonymous report's blank identity left out, and every error at once. So the schema lets the body through. */
const registrationIn = z.object({ ...reportInputSchema.shape, ...registerSchema.shape }).omit({ noticeEmail: true })
  .catch((c) => c.value as never);
const registeredOut = z.object({
  id: z.string(), reference: z.string(),
  /** The 16-digit receipt, when asked for (receipt: true): shown this once, never stored in the clear, never returned again. */
  receipt: z.string().optional(),
  receivedOn: z.string(), acknowledgementDueOn: z.string(),
  /** False when the report concerns someone who handles reports: it went to the alternative recipient, and getCase answers 404 to you. */
  visible: z.boolean(),
  /** An oral report (phone, in person): the description is kept as minutes, for the reporter to check in the mailbox. */
  minutes: z.boolean(),
});

function entryText(e: cases.CaseView["timeline"][number]): string | null {
  const sealed = e.sealed as { body?: unknown; reason?: unknown; name?: unknown } | null;
  if (!sealed) return null;
  if (typeof sealed.body === "string") return sealed.body;
  if (typeof sealed.reason === "string" && sealed.reason) return sealed.reason;
  if (e.kind === "exclusion" && typeof sealed.name === "string") return sealed.name;
  return null;
}

function toCase(v: cases.CaseView, locale: Locale): z.input<typeof caseOut> {
  const r = v.report;
  return {
    id: r.id, reference: r.reference, organisationId: r.organisation_id, organisationName: v.organisationName,
    status: r.status as z.input<typeof caseOut>["status"], kind: r.kind as z.input<typeof caseOut>["kind"],
    mode: r.mode as z.input<typeof caseOut>["mode"], channel: r.channel as z.input<typeof caseOut>["channel"],
    routing: r.routing as "desk" | "alternative",
    categoryId: r.category_id, categoryLabel: v.category ? (locale === "en" ? v.category.label_en : v.category.label_nl) : null,
    unitId: r.unit_id, unitName: v.unitName,
    receivedAt: r.received_at, acknowledgementDueOn: r.ack_due_on, acknowledgedAt: r.acknowledged_at,
    feedbackDueOn: r.feedback_due_on, feedbackGivenAt: r.feedback_given_at, closedAt: r.closed_at, decision: r.decision,
    coordinatorId: r.coordinator_account_id, coordinatorName: v.coordinatorName,
    investigatorId: r.investigator_account_id, investigatorName: v.investigatorName,
    deadlines: { acknowledgement: v.deadlines.ack, feedback: v.deadlines.feedback },
    content: v.content, identity: v.identity, identityProtected: v.identityHidden,
    timeline: v.timeline.map((e) => ({
      id: e.id, kind: e.kind, authorType: e.authorType, authorName: e.authorName, createdAt: e.createdAt, meta: e.meta, text: entryText(e),
    })),
    allowedActions: v.actions, can: v.can, version: Number(r.version),
    measureOptions: v.measures.map((m) => ({ code: m.code, label: locale === "en" ? m.label_en : m.label_nl, active: m.active === 1 })),
    attachments: v.attachments.map((a) => ({
      id: a.id, name: a.name, mediaType: a.mediaType, size: a.size, createdAt: a.createdAt, from: a.from === "reporter" ? "reporter" as const : "handler" as const, removed: a.removed,
    })),
  };
}

const tooMany = () => new DomainError(429, "too_many", "report.tooMany");

/** The reporting desk in the API: the intake and mailbox (public, by receipt) and the handler side. */
export function reportApi(app: FastifyInstance, ctx: Context) {
  // Per app, in memory only; the page routes keep their own.
  const submissions = new AnonymousThrottle(ctx.config.intakeMaxPerHour, 60 * 60_000);
  const receiptFailures = new AnonymousThrottle(ctx.config.receiptMaxFailures, 15 * 60_000);
  /** The case behind a receipt, counting a wrong receipt against the client; 429 once over the limit. */
  async function byReceipt(req: FastifyRequest, slug: string, raw: unknown) {
    const r = await receiptFailures.guard(receiptFailures.key(req.ip), () => intake.reportByReceipt(ctx, slug, raw), intake.isUnknownReceipt);
    if (!r.ok) throw tooMany();
    return r.value;
  }

  apiRoute(app, {
    method: "GET", url: "/api/v1/intake/:slug/categories", operationId: "listReportCategories", tag: "intake", access: "public", sessionless: true,
    summary: "What a report can be about (categoryId) and where it happened (unitId), for the organisation with this slug; labels in the request's language",
    params: slugParams, response: categoriesOut,
  }, async ({ params, req }) => {
    const target = await intake.intakeTarget(ctx, params.slug);
    return {
      organisationName: target.organisation.name, alternativeRecipient: target.hasAlternativeRecipient,
      categories: target.categories.map((c) => ({ id: c.id, code: c.code, kind: c.kind as (typeof KINDS)[number], label: req.locale === "en" ? c.label_en : c.label_nl })),
      units: target.units,
    };
  });

  apiRoute(app, {
    method: "POST", url: "/api/v1/intake/:slug/reports", operationId: "createReport", tag: "intake", access: "public", sessionless: true,
    summary: "Send a report without signing in; the answer holds the 16-digit receipt for the mailbox, returned this once and never again",
    params: slugParams, body: reportInputSchema, response: submittedOut, status: 201,
  }, async ({ params, rawBody, req }) => {
    if (!submissions.hit(submissions.key(req.ip))) throw tooMany();
    const r = await intake.submitReport(ctx, params.slug, rawBody, { locale: req.locale });
    return { reference: r.reference, receipt: r.receipt!, receivedOn: r.receivedOn, acknowledgementDueOn: r.ackDueOn };
  });

  apiRoute(app, {
    method: "POST", url: "/api/v1/intake/:slug/mailbox", operationId: "openMailbox", tag: "intake", access: "public", sessionless: true,
    summary: "Open the mailbox of a report with its receipt (in the body, never in the URL): status, statutory dates and messages",
    params: slugParams, body: receiptSchema, response: mailboxOut,
  }, async ({ params, rawBody, req }) => {
    const report = await byReceipt(req, params.slug, rawBody);
    return toMailbox(await intake.readMailbox(ctx, report.id));
  });

  apiRoute(app, {
    method: "POST", url: "/api/v1/intake/:slug/mailbox/messages", operationId: "replyInMailbox", tag: "intake", access: "public", sessionless: true,
    summary: "Send the desk a message with the report's receipt; answers 201 with the mailbox, the new message included",
    params: slugParams, body: z.object({ ...receiptSchema.shape, ...messageSchema.shape }), response: mailboxOut, status: 201,
  }, async ({ params, body, req }) => {
    const report = await byReceipt(req, params.slug, { receipt: body.receipt });
    await intake.replyInMailbox(ctx, report.id, { body: body.body });
    return toMailbox(await intake.readMailbox(ctx, report.id));
  });

  // Listing needs report.readContent, which both coordinators (the desk) and investigators hold and no
  // other role does; the service then shows the desk's cases, or only the investigator's own.
  apiRoute(app, {
    method: "GET", url: "/api/v1/cases", operationId: "listCases", tag: "reports",
    summary: "The cases you may see (the desk's, or those assigned to you as investigator), filtered, sorted and 25 a page",
    access: { permission: "report.readContent" }, query: inboxQuerySchema, response: casesOut,
  }, async ({ actor, query, req }) => {
    const inbox = await cases.listCases(ctx, actor, query, req.locale);
    return {
      total: inbox.total, page: inbox.page, pages: inbox.pages, pageSize: inbox.pageSize,
      items: inbox.items.map((r) => ({
        id: r.id, reference: r.reference, organisationId: r.organisation_id, organisationName: r.organisationName,
        status: r.status as (typeof STATUSES)[number], kind: r.kind as (typeof KINDS)[number], mode: r.mode as (typeof MODES)[number],
        channel: r.channel as (typeof CHANNELS)[number], routing: r.routing as "desk" | "alternative",
        categoryId: r.category_id, categoryLabel: r.categoryLabel, unitId: r.unit_id, unitName: r.unitName,
        receivedAt: r.received_at, acknowledgementDueOn: r.ack_due_on, acknowledgedAt: r.acknowledged_at,
        feedbackDueOn: r.feedback_due_on, feedbackGivenAt: r.feedback_given_at, closedAt: r.closed_at,
        coordinatorId: r.coordinator_account_id, investigatorId: r.investigator_account_id,
        nextDueOn: r.next_due, deadlineState: r.nextDueState, version: Number(r.version),
      })),
    };
  });

  apiRoute(app, {
    method: "GET", url: "/api/v1/cases/:caseId", operationId: "getCase", tag: "reports",
    summary: "One case: metadata, what was reported, the reporter's identity if you may read it, the timeline and the steps open to you (the reading is audited)",
    access: { permission: "report.readContent" }, params: caseParams, response: caseOut,
  }, async ({ actor, params, req }) => toCase(await cases.getCase(ctx, actor, params.caseId), req.locale));

  apiRoute(app, {
    method: "GET", url: "/api/v1/cases/:caseId/attachments/:attachmentId", operationId: "getCaseAttachment", tag: "reports",
    summary: "One file of a case, as it was stored (hidden metadata removed): Content-Disposition attachment, with its sniffed type (the download is audited)",
    access: { permission: "report.readContent" }, params: attachmentParams, file: true,
  }, async ({ actor, params, reply }) => {
    sendDownload(reply, await cases.readAttachment(ctx, actor, params.caseId, params.attachmentId));
  });

  apiRoute(app, {
    method: "POST", url: "/api/v1/cases/:caseId/acknowledgement", operationId: "acknowledgeCase", tag: "reports",
    summary: "Acknowledge receipt: the standard acknowledgement (with the feedback date, plus your text) goes to the reporter's mailbox; answers the case",
    access: { permission: "report.handle" }, params: caseParams,
    body: z.object({
      text: z.string().trim().max(LIMITS.medium, { error: "field.tooLong" }).optional(),
      version: z.number().int().min(-2_147_483_648).max(2_147_483_647).optional(),
    }),
    response: caseOut,
  }, async ({ actor, params, body, req }) => {
    await cases.transition(ctx, actor, params.caseId, { action: "acknowledge", version: body.version, reason: body.text ?? "" });
    return toCase(await cases.getCase(ctx, actor, params.caseId), req.locale);
  });

  apiRoute(app, {
    method: "POST", url: "/api/v1/cases/:caseId/messages", operationId: "sendCaseMessage", tag: "reports",
    summary: "Write to the reporter's mailbox; feedback: true marks it as the statutory feedback. Answers 201 with the case, the message on its timeline",
    access: { permission: "report.handle" }, params: caseParams,
    body: messageSchema.extend({ feedback: z.boolean().optional() }), response: caseOut, status: 201,
  }, async ({ actor, params, body, req }) => {
    await cases.sendMessage(ctx, actor, params.caseId, { body: body.body, ...(body.feedback ? { feedback: true } : {}) });
    return toCase(await cases.getCase(ctx, actor, params.caseId), req.locale);
  });

  apiRoute(app, {
    method: "POST", url: "/api/v1/cases/:caseId/transitions", operationId: "transitionCase", tag: "reports",
    summary: "Take one step of the workflow (action), with what it needs (reason, approval, findings, measures); 409 when the step is not open to you now. Answers the case",
    access: { permission: "report.handle" }, params: caseParams,
    body: transitionSchema.extend({ action: z.enum(ACTIONS, { error: "field.choose" }) }), response: caseOut,
  }, async ({ actor, params, rawBody, req }) => {
    await cases.transition(ctx, actor, params.caseId, rawBody);
    return toCase(await cases.getCase(ctx, actor, params.caseId), req.locale);
  });

  // The page has a notes form for each side (/meldingen: report.handle, /onderzoeken: report.investigate); here one operation
  // takes report.readContent, which exactly the holders of either have, and the service requires one of them on the case.
  apiRoute(app, {
    method: "POST", url: "/api/v1/cases/:caseId/notes", operationId: "addCaseNote", tag: "reports",
    summary: "Add an internal note (for the desk and the case's investigator, never in the reporter's mailbox); answers 201 with the case, the note on its timeline",
    access: { permission: "report.readContent" }, params: caseParams, body: noteSchema, response: caseOut, status: 201,
  }, async ({ actor, params, rawBody, req }) => {
    await cases.addNote(ctx, actor, params.caseId, rawBody);
    return toCase(await cases.getCase(ctx, actor, params.caseId), req.locale);
  });

  apiRoute(app, {
    method: "POST", url: "/api/v1/cases/:caseId/assignment", operationId: "assignCase", tag: "reports",
    summary: "Set who handles the case: coordinatorId and investigatorId (a coordinator, an investigator of its organisation); one left out or empty is unassigned. Answers the case",
    access: { permission: "report.handle" }, params: caseParams, body: assignmentSchema, response: caseOut,
  }, async ({ actor, params, rawBody, req }) => {
    await cases.assign(ctx, actor, params.caseId, rawBody);
    return toCase(await cases.getCase(ctx, actor, params.caseId), req.locale);
  });

  apiRoute(app, {
    method: "POST", url: "/api/v1/cases/:caseId/referrals", operationId: "referCase", tag: "reports",
    summary: "Record a referral to an external body (body: Huis voor Klokkenluiders, LKOG, ombudsman, police or prosecutor, Rijksrecherche, other) with a reason; answers 201 with the case",
    access: { permission: "report.handle" }, params: caseParams, body: referralSchema, response: caseOut, status: 201,
  }, async ({ actor, params, rawBody, req }) => {
    await cases.refer(ctx, actor, params.caseId, rawBody);
    return toCase(await cases.getCase(ctx, actor, params.caseId), req.locale);
  });

  apiRoute(app, {
    method: "POST", url: "/api/v1/cases/:caseId/handover", operationId: "handOverCase", tag: "reports",
    summary: "Hand a desk case that concerns someone who handles reports over to the organisation's alternative recipient, with the reason; 409 when there is no recipient, the recipient is excluded, or it was handed over already. Answers 200 with {recipientName, visible}: after the step only the recipient sees the case",
    access: { permission: "report.handle" }, params: caseParams, body: handOverSchema,
    response: z.object({ recipientName: z.string(), visible: z.boolean() }),
  }, async ({ actor, params, rawBody }) => {
    const done = await handOver(ctx, actor, params.caseId, rawBody);
    return { recipientName: done.recipientName, visible: done.stillVisible };
  });

  apiRoute(app, {
    method: "POST", url: "/api/v1/cases/:caseId/identity-disclosures", operationId: "shareCaseIdentity", tag: "reports",
    summary: "Share the reporter's identity with a coordinator or investigator of the case's organisation (accountId), on the reporter's consent or a legal ground (basis), with the reason; 409 when the report is anonymous. Answers 201 with the case",
    access: { permission: "report.handle" }, params: caseParams, body: disclosureSchema, response: caseOut, status: 201,
  }, async ({ actor, params, rawBody, req }) => {
    await cases.discloseIdentity(ctx, actor, params.caseId, rawBody);
    return toCase(await cases.getCase(ctx, actor, params.caseId), req.locale);
  });

  apiRoute(app, {
    method: "POST", url: "/api/v1/cases/:caseId/exclusions", operationId: "excludeFromCase", tag: "reports",
    summary: "Exclude someone involved, by the e-mail address of their account (email) or its id (accountId): from then on the case does not exist for them. Answers 201 with the case",
    access: { permission: "report.handle" }, params: caseParams,
    body: z.union([exclusionSchema.strict(), cases.exclusionByIdSchema.strict()]), response: caseOut, status: 201,
  }, async ({ actor, params, body, rawBody, req }) => {
    await ("accountId" in body ? cases.excludeById : cases.excludeByEmail)(ctx, actor, params.caseId, rawBody);
    return toCase(await cases.getCase(ctx, actor, params.caseId), req.locale);
  });

  apiRoute(app, {
    method: "POST", url: "/api/v1/organisations/:organisationId/reports", operationId: "registerReport", tag: "reports",
    summary: "Register a report that came in another way (channel: phone, e-mail, letter, in person, …) on the day it came in (receivedOn); answers 201 with the reference and, if asked for, the receipt, returned this once",
    access: { permission: "report.handle" }, params: organisationParams, body: registrationIn, response: registeredOut, status: 201,
  }, async ({ actor, params, rawBody }) => {
    const r = await registerReport(ctx, actor, params.organisationId, rawBody);
    return {
      id: r.reportId, reference: r.reference, ...(r.receipt ? { receipt: r.receipt } : {}),
      receivedOn: r.receivedOn, acknowledgementDueOn: r.ackDueOn, visible: r.visible, minutes: r.minutes,
    };
  });
}
