import type { Actor } from "../access/actor.ts";
import { auditActorOf, canForWholeOrganisation, organisationsWith } from "../access/actor.ts";
import type { Permission } from "../access/permissions.ts";
import { roleHas } from "../access/permissions.ts";
import * as audit from "../audit/service.ts";
import type { Context } from "../context.ts";
import { inTransaction } from "../context.ts";
import { now } from "../crypto/tokens.ts";
import type { ReportCategoriesTable, ReportMeasuresTable, ReportsTable } from "../db/schema.ts";
import { Conflict, Invalid, NotFound } from "../http/errors.ts";
import { parseInput } from "../http/validation.ts";
import * as accountsRepo from "../accounts/repository.ts";
import * as authRepo from "../auth/repository.ts";
import * as orgRepo from "../organisations/repository.ts";
import { formatDate } from "../ui/format.ts";
import { translator, type Locale } from "../ui/messages.ts";
import { addDays, deadlineState, feedbackDue, localDate, today, DUE_SOON_DAYS, type DeadlineState } from "./deadlines.ts";
import { addEntry, caseKey, openEntries, type EntryKind, type OpenedEntry } from "./entries.ts";
import { listForCase, openForActor, type CaseAttachment, type Download } from "./attachments/service.ts";
import { exclusionTag } from "./intake.ts";
import { retainUntil } from "./retention.ts";
import { noticeReporter } from "./notices.ts";
import * as repo from "./repository.ts";
import {
  approvalSchema, assignmentSchema, disclosureSchema, exclusionSchema, inboxQuerySchema, messageSchema, noteSchema, referralSchema, transitionSchema, type Content, type Identity,
  type InboxQuery, type TransitionInput,
} from "./schema.ts";
import { z } from "zod";
import { actionsFrom, isAction, transitionFor, type Action, type Status, type Transition } from "./workflow.ts";

// The handlers' side: the inbox, the case, and every step of its life. A case the actor may not see
// does not exist for them (404), whether it belongs to another organisation, is routed to the
// alternative recipient, or names them as involved.

export const PAGE_SIZE = 25;

function visibility(ctx: Context, actor: Actor): repo.Visibility {
  const whole = (p: Permission) => [...organisationsWith(actor, p).whole];
  return {
    deskOrgs: whole("report.list"),
    // A report about a handler: only its own recipient (fixed when it came in), who must still handle cases there.
    alternativeOrgs: whole("report.handle"),
    investigatorOrgs: whole("report.investigate"),
    accountId: actor.accountId,
    accountTag: exclusionTag(ctx, actor.accountId),
  };
}

async function visibilityOf(ctx: Context, actor: Actor) {
  return visibility(ctx, actor);
}

/** Whether the actor may see this case at all; the reasons mirror the inbox query exactly. */
async function canSee(ctx: Context, actor: Actor, report: ReportsTable): Promise<boolean> {
  if (report.destroyed_at) return false;
  const vis = await visibilityOf(ctx, actor);
  const org = report.organisation_id;
  const visible = (report.routing === "desk" && vis.deskOrgs.includes(org))
    || (report.routing === "alternative" && report.alternative_account_id === actor.accountId && vis.alternativeOrgs.includes(org))
    || (report.investigator_account_id === actor.accountId && vis.investigatorOrgs.includes(org));
  return visible && !(await repo.isExcluded(ctx.db, report.id, vis.accountTag));
}

/** The actor's permission on this case: through a whole-organisation grant, and for an investigator only on their own case. */
export function may(actor: Actor, report: ReportsTable, permission: Permission): boolean {
  if (!canForWholeOrganisation(actor, permission, report.organisation_id)) return false;
  const handler = canForWholeOrganisation(actor, "report.list", report.organisation_id);
  if (handler) return true;
  // Someone who is only an investigator acts on the cases assigned to them.
  return report.investigator_account_id === actor.accountId;
}

/** The case, or NotFound when the actor may not see it. */
export async function loadCase(ctx: Context, actor: Actor, id: string): Promise<ReportsTable> {
  const report = await repo.findReport(ctx.db, id);
  if (!report || !(await canSee(ctx, actor, report))) throw new NotFound();
  return report;
}

// ---- the inbox -----------------------------------------------------------------------------------

export type InboxItem = repo.InboxRow & {
  organisationName: string; categoryLabel: string | null; unitName: string | null; coordinatorName: string | null;
  ackState: DeadlineState; feedbackState: DeadlineState | null; nextDueState: DeadlineState | null;
};
export type Inbox = {
  items: InboxItem[]; total: number; page: number; pageSize: number; pages: number; query: InboxQuery;
  options: { organisations: { id: string; name: string }[]; categories: ReportCategoriesTable[]; handlers: { id: string; name: string }[]; units: { id: string; name: string }[] };
};

/** The cases the actor may see, filtered, sorted and paged, with the statutory clock of each. */
export async function listCases(ctx: Context, actor: Actor, raw: unknown, locale: Locale): Promise<Inbox> {
  const query = parseInput(inboxQuerySchema, raw);
  const vis = await visibilityOf(ctx, actor);
  const orgIds = [...new Set([...vis.deskOrgs, ...vis.alternativeOrgs, ...vis.investigatorOrgs])];
  const day = today();
  let unitIds: string[] | undefined;
  if (query.unitId) {
    // A unit filter covers its whole subtree.
    const unit = await accountsRepo.findUnit(ctx.db, query.organisationId ? [query.organisationId].filter((o) => orgIds.includes(o)) : orgIds, query.unitId);
    const all = unit ? await orgRepo.listUnits(ctx.db, unit.organisation_id) : [];
    unitIds = unit ? all.filter((u) => u.path.startsWith(unit.path)).map((u) => u.id) : [];
  }
  const handler = query.handler === "none" ? { type: "none" as const } : query.handler === "me" ? { type: "account" as const, id: actor.accountId }
    : query.handler ? { type: "account" as const, id: query.handler } : undefined;
  const { rows, total } = await repo.listInbox(ctx.db, vis, {
    organisationId: query.organisationId && orgIds.includes(query.organisationId) ? query.organisationId : query.organisationId ? "-" : undefined,
    unitIds, status: query.status, kind: query.kind, categoryId: query.categoryId, channel: query.channel, handler,
    investigatorId: query.investigator === "me" ? actor.accountId : undefined,
    deadline: query.deadline, today: day, soon: addDays(day, DUE_SOON_DAYS), sort: query.sort,
    limit: PAGE_SIZE, offset: (query.page - 1) * PAGE_SIZE,
  });
  const [organisations, categories, handlers] = await Promise.all([
    orgRepo.listOrganisations(ctx.db, orgIds), repo.listCategories(ctx.db, orgIds),
    repo.accountsWithRoles(ctx.db, orgIds, ["coordinator"]),
  ]);
  const unitNames = new Map((await orgRepo.unitNames(ctx.db, rows.map((r) => r.unit_id).filter((u): u is string => !!u))).map((u) => [u.id, u.name]));
  const names = await repo.accountNames(ctx.db, rows.map((r) => r.coordinator_account_id ?? ""));
  const orgName = new Map(organisations.map((o) => [o.id, o.name]));
  const catLabel = new Map(categories.map((c) => [c.id, locale === "en" ? c.label_en : c.label_nl]));
  // The unit and category filters offer one organisation's list: the one chosen, or the only one. A pool of 40
  // organisations would otherwise put some 500 categories in one list, two thirds of the page (docs/performance.md).
  const chosen = query.organisationId && orgIds.includes(query.organisationId) ? query.organisationId : orgIds.length === 1 ? orgIds[0] : undefined;
  const units = query.organisationId && orgIds.includes(query.organisationId) ? await orgRepo.listUnits(ctx.db, query.organisationId) : [];
  return {
    items: rows.map((r) => ({
      ...r, organisationName: orgName.get(r.organisation_id) ?? "", categoryLabel: r.category_id ? catLabel.get(r.category_id) ?? null : null,
      unitName: r.unit_id ? unitNames.get(r.unit_id) ?? null : null,
      coordinatorName: r.coordinator_account_id ? names.get(r.coordinator_account_id) ?? null : null,
      ackState: deadlineState(r.ack_due_on, r.acknowledged_at, day),
      feedbackState: r.feedback_due_on ? deadlineState(r.feedback_due_on, r.feedback_given_at, day) : null,
      nextDueState: r.next_due ? deadlineState(r.next_due, null, day) : null,
    })),
    total, page: query.page, pageSize: PAGE_SIZE, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)), query,
    options: {
      organisations: organisations.map((o) => ({ id: o.id, name: o.name })), categories: categories.filter((c) => c.organisation_id === chosen),
      handlers: [...new Map(handlers.map((h) => [h.id, { id: h.id, name: h.display_name }])).values()],
      units: units.map((u) => ({ id: u.id, name: u.name })),
    },
  };
}

// ---- one case ------------------------------------------------------------------------------------

export type CaseView = {
  report: ReportsTable;
  organisationName: string;
  category: ReportCategoriesTable | null;
  unitName: string | null;
  content: Content | null;
  /** Only for those who may see the reporter's identity (the receiving coordinators). */
  identity: Identity | null;
  identityHidden: boolean;
  timeline: (OpenedEntry & { authorName: string | null })[];
  deadlines: { ack: DeadlineState; feedback: DeadlineState | null };
  coordinatorName: string | null;
  investigatorName: string | null;
  /** The transitions from the current status that this actor may take. */
  actions: Action[];
  can: { handle: boolean; message: boolean; note: boolean; assign: boolean; readIdentity: boolean };
  assignable: { coordinators: { id: string; name: string }[]; investigators: { id: string; name: string }[] };
  /** The case's files (names opened), each with who sent it. */
  attachments: CaseAttachment[];
  /** Display names of every account the timeline names (authors, assignees, those an identity was shared with). */
  names: Record<string, string>;
  /** The organisation's measures: the active ones are offered, all name the measures on older entries. */
  measures: ReportMeasuresTable[];
  /** For a desk case and a handler: who would receive it when handed over (handover.ts); null when nobody qualifies. */
  alternativeRecipient: { id: string; name: string } | null;
};

const TIMELINE_KINDS: ReadonlySet<EntryKind> = new Set(["message_in", "message_out", "note", "status", "referral", "disclosure", "exclusion", "handover", "minutes", "attachment"]);

/** A case with its sealed content opened for this reader. Reading is an audit event, as is every change. */
export async function getCase(ctx: Context, actor: Actor, id: string): Promise<CaseView> {
  const report = await loadCase(ctx, actor, id);
  const rows = await repo.listEntries(ctx.db, id);
  // Beyond the receiving coordinators, the identity is shown only to whom it was disclosed, with the reporter's consent or a legal ground.
  const disclosed = rows.some((e) => e.kind === "disclosure" && (JSON.parse(e.meta) as { accountId?: string }).accountId === actor.accountId);
  const readIdentity = may(actor, report, "report.readIdentity") || disclosed;
  const canHandle = may(actor, report, "report.handle");
  const kinds = new Set<EntryKind>([...TIMELINE_KINDS, "content", ...(readIdentity ? ["identity" as const] : [])]);
  const key = await caseKey(ctx, ctx.db, id);
  const entries = openEntries(key, rows, kinds);
  const content = (entries.find((e) => e.kind === "content")?.sealed ?? null) as Content | null;
  const identityEntry = entries.find((e) => e.kind === "identity");
  const [organisation, category, names, staff] = await Promise.all([
    orgRepo.findOrganisation(ctx.db, [report.organisation_id], report.organisation_id),
    report.category_id ? repo.findCategory(ctx.db, report.organisation_id, report.category_id) : Promise.resolve(undefined),
    repo.accountNames(ctx.db, [...entries.flatMap((e) => [e.authorAccountId ?? "", String(e.meta.coordinatorId ?? ""), String(e.meta.investigatorId ?? ""), String(e.meta.accountId ?? "")]),
      report.coordinator_account_id ?? "", report.investigator_account_id ?? ""]),
    canHandle ? repo.accountsWithRoles(ctx.db, [report.organisation_id], ["coordinator", "investigator"]) : Promise.resolve([]),
  ]);
  const unit = report.unit_id ? await orgRepo.findUnit(ctx.db, report.organisation_id, report.unit_id) : undefined;
  const files = await listForCase(ctx.db, id, key);
  const measures = await repo.listMeasures(ctx.db, report.organisation_id);
  const alternativeId = canHandle && report.routing === "desk" ? (await repo.findSettings(ctx.db, report.organisation_id))?.alternative_account_id : null;
  const alternative = alternativeId ? staff.find((s) => s.id === alternativeId && s.role === "coordinator") : undefined;
  await inTransaction(ctx, (trx) => audit.record(ctx, trx, {
    actor: auditActorOf(actor), action: "report.read", objectType: "report", objectId: id, organisationId: report.organisation_id,
    details: { reference: report.reference, identity: readIdentity && !!identityEntry },
  }));
  const day = today();
  const actions = actionsFrom(report.status as Status).filter((t) => may(actor, report, t.permission)).map((t) => t.action);
  const pick = (role: string) => [...new Map(staff.filter((s) => s.role === role).map((s) => [s.id, { id: s.id, name: s.display_name }])).values()];
  return {
    report, organisationName: organisation?.name ?? "", category: category ?? null, unitName: unit?.name ?? null,
    content, identity: readIdentity ? ((identityEntry?.sealed ?? null) as Identity | null) : null,
    identityHidden: !readIdentity && !!identityEntry,
    timeline: entries.filter((e) => TIMELINE_KINDS.has(e.kind) || e.kind === "assignment")
      .map((e) => ({ ...e, authorName: e.authorAccountId ? names.get(e.authorAccountId) ?? null : null })),
    deadlines: {
      ack: deadlineState(report.ack_due_on, report.acknowledged_at, day),
      feedback: report.feedback_due_on ? deadlineState(report.feedback_due_on, report.feedback_given_at, day) : null,
    },
    coordinatorName: report.coordinator_account_id ? names.get(report.coordinator_account_id) ?? null : null,
    investigatorName: report.investigator_account_id ? names.get(report.investigator_account_id) ?? null : null,
    actions,
    can: { handle: canHandle, message: canHandle && report.status !== "closed", note: canHandle || may(actor, report, "report.investigate"), assign: canHandle, readIdentity },
    assignable: { coordinators: pick("coordinator"), investigators: pick("investigator") },
    names: Object.fromEntries(names),
    measures,
    alternativeRecipient: alternative ? { id: alternative.id, name: alternative.display_name } : null,
    attachments: files.map((f) => {
      const by = entries.find((e) => e.id === f.entryId);
      return { ...f, from: by?.authorType === "account" ? "account" as const : "reporter" as const, authorName: by?.authorAccountId ? names.get(by.authorAccountId) ?? null : null };
    }),
  };
}

/** One file of a case, decrypted, for a reader who may see the case (404 exactly where getCase gives 404); audited. */
export async function readAttachment(ctx: Context, actor: Actor, id: string, attachmentId: string): Promise<Download> {
  return openForActor(ctx, actor, await loadCase(ctx, actor, id), attachmentId);
}

// ---- steps ---------------------------------------------------------------------------------------

/** The standard acknowledgement, in the reporter's language, with the date by which feedback follows. */
export function acknowledgementText(locale: Locale, reference: string, receivedOn: string, feedbackDueOn: string, extra: string): string {
  const t = translator(locale);
  const day = (d: string) => formatDate(`${d}T12:00:00Z`, locale);
  const base = t("report.ackText", { reference, received: day(receivedOn), due: day(feedbackDueOn) });
  return extra ? `${base}\n\n${extra}` : base;
}

/** Moves a case along one row of the transition table. Acknowledging also sends the acknowledgement to the mailbox. */
export async function transition(ctx: Context, actor: Actor, id: string, raw: unknown): Promise<ReportsTable> {
  const input = parseInput(transitionSchema, raw);
  if (!isAction(input.action)) throw new Invalid({ action: "report.actionNotAllowed" });
  const action = input.action;
  const report = await loadCase(ctx, actor, id);
  const t = transitionFor(report.status as Status, action);
  if (!t || !may(actor, report, t.permission)) throw new Conflict("transition_not_allowed", "report.actionNotAllowed");
  return applyTransition(ctx, actor, report, t, input);
}

/** Checks what the step needs and writes it: the status, its timeline entry, the acknowledgement, the audit event. */
async function applyTransition(ctx: Context, actor: Actor, report: ReportsTable, t: Transition, input: TransitionInput): Promise<ReportsTable> {
  const action = t.action, id = report.id;
  if (action === "recordApproval" && (!input.approvedBy || !input.approvedOn)) {
    throw new Invalid({ ...(!input.approvedBy ? { approvedBy: "report.approvedByRequired" as const } : {}), ...(!input.approvedOn ? { approvedOn: "report.approvedOnRequired" as const } : {}) });
  }
  if ((action === "reopen" || action === "rejectInvestigation") && !input.reason) throw new Invalid({ reason: "report.reasonRequired" });
  if (action === "decideInvestigation" && !input.investigationBy) throw new Invalid({ investigationBy: "report.investigationByRequired" });
  if (action === "concludeInvestigation" && !input.findings.length) throw new Invalid({ findings: "report.findingsRequired" });
  if (action === "close" && !report.feedback_given_at) throw new Conflict("feedback_missing", "report.feedbackFirst");
  const measures = action === "decideMeasures" ? await checkedMeasures(ctx, report.organisation_id, input.measures) : [];
  const at = now();
  const patch: Partial<ReportsTable> = { status: t.to, updated_at: at };
  if (action === "acknowledge") { patch.acknowledged_at = at; patch.feedback_due_on = feedbackDue(at); }
  if (action === "decideNoAction") patch.decision = "no_action";
  if (action === "decideLine") patch.decision = "line";
  if (action === "decideInvestigation") { patch.decision = "investigation"; patch.investigation_by = input.investigationBy || null; }
  if (action === "close") {
    patch.closed_at = at;
    const settings = await repo.findSettings(ctx.db, report.organisation_id);
    patch.retain_until = retainUntil(at, settings?.retention_years ?? 5);
  }
  if (action === "reopen") { patch.closed_at = null; patch.retain_until = null; }
  return inTransaction(ctx, async (trx) => {
    if (!(await repo.updateReportIf(trx, id, { status: report.status, version: input.version, routing: report.routing }, patch))) {
      throw new Conflict("changed_meanwhile", "report.changedMeanwhile");
    }
    const key = await caseKey(ctx, trx, id);
    const author = { type: "account" as const, id: actor.accountId };
    await addEntry(trx, key, {
      reportId: id, kind: "status", author,
      meta: {
        action, from: report.status, to: t.to,
        ...(input.investigationBy ? { investigationBy: input.investigationBy } : {}),
        ...(input.findings.length ? { findings: input.findings.map((f) => f.finding) } : {}),
        ...(action === "decideMeasures" ? { measures: measures.map((m) => m.code), measureNames: measures.map((m) => [m.label_nl, m.label_en]) } : {}),
      },
      sealed: { reason: input.reason, approvedBy: input.approvedBy, approvedOn: input.approvedOn, allegations: input.findings.map((f) => f.allegation) },
    });
    if (action === "acknowledge") {
      const body = acknowledgementText(report.locale as Locale, report.reference, localDate(report.received_at), patch.feedback_due_on!, input.reason);
      await addEntry(trx, key, { reportId: id, kind: "message_out", author, visibleToReporter: true, meta: { acknowledgement: true }, sealed: { body } });
      await noticeReporter(ctx, trx, report, key);
    }
    await audit.record(ctx, trx, {
      actor: auditActorOf(actor), action: "report.transition", objectType: "report", objectId: id, organisationId: report.organisation_id,
      details: { reference: report.reference, step: action, from: report.status, to: t.to },
    });
    return { ...report, ...patch, version: report.version + 1 } as ReportsTable;
  });
}

/** Locks the case row for this write and checks it is still where the actor saw it: a case handed over meanwhile
 *  (handover.ts) must not take a write started by someone who can no longer see it. */
async function touch(trx: Parameters<typeof repo.updateReportIf>[0], report: ReportsTable, patch: Partial<ReportsTable> = {}): Promise<void> {
  if (!(await repo.updateReportIf(trx, report.id, { routing: report.routing }, { updated_at: now(), ...patch }))) {
    throw new Conflict("changed_meanwhile", "report.changedMeanwhile");
  }
}

/** The chosen measures, each once, in the list's order; each must be one the organisation's list offers now. Their names
 *  go on the entry as they are today, so renaming a measure later does not change what a closed case says was decided. */
async function checkedMeasures(ctx: Context, organisationId: string, codes: string[]): Promise<ReportMeasuresTable[]> {
  const offered = await repo.listMeasures(ctx.db, organisationId, true);
  const chosen = new Set(codes);
  if ([...chosen].some((c) => !offered.some((m) => m.code === c))) throw new Invalid({ measures: "report.measureUnknown" });
  return offered.filter((m) => chosen.has(m.code));
}

/** The desk writes to the reporter's mailbox. Marked as feedback, it meets the 3-month feedback duty. */
export async function sendMessage(ctx: Context, actor: Actor, id: string, raw: unknown): Promise<void> {
  const input = parseInput(messageSchema.extend({ feedback: z.union([z.literal("1"), z.literal(true), z.literal("")]).optional() }), raw);
  const report = await loadCase(ctx, actor, id);
  if (!may(actor, report, "report.handle")) throw new NotFound();
  if (report.status === "closed") throw new Invalid({ body: "report.closedNoMessages" }, "case_closed");
  const feedback = input.feedback === "1" || input.feedback === true;
  if (feedback && !report.acknowledged_at) throw new Invalid({ feedback: "report.acknowledgeFirst" });
  await inTransaction(ctx, async (trx) => {
    const at = now();
    // The case row is locked by this update, and only while still open: a close in between means no message.
    if (!(await repo.updateReportIf(trx, id, { open: true, routing: report.routing }, { updated_at: at, ...(feedback && !report.feedback_given_at ? { feedback_given_at: at } : {}) }))) {
      throw new Invalid({ body: "report.closedNoMessages" }, "case_closed");
    }
    const key = await caseKey(ctx, trx, id);
    await addEntry(trx, key, {
      reportId: id, kind: "message_out", author: { type: "account", id: actor.accountId }, visibleToReporter: true,
      meta: feedback ? { feedback: true } : {}, sealed: { body: input.body },
    });
    await noticeReporter(ctx, trx, report, key);
    await audit.record(ctx, trx, {
      actor: auditActorOf(actor), action: feedback ? "report.feedback" : "report.message", objectType: "report", objectId: id,
      organisationId: report.organisation_id, details: { reference: report.reference },
    });
  });
}

/** An internal note: on the timeline for handlers and the investigator, never in the mailbox. */
export async function addNote(ctx: Context, actor: Actor, id: string, raw: unknown): Promise<void> {
  const input = parseInput(noteSchema, raw);
  const report = await loadCase(ctx, actor, id);
  if (!may(actor, report, "report.handle") && !may(actor, report, "report.investigate")) throw new NotFound();
  await inTransaction(ctx, async (trx) => {
    await touch(trx, report);
    const key = await caseKey(ctx, trx, id);
    await addEntry(trx, key, { reportId: id, kind: "note", author: { type: "account", id: actor.accountId }, meta: {}, sealed: { body: input.body } });
    await audit.record(ctx, trx, {
      actor: auditActorOf(actor), action: "report.note", objectType: "report", objectId: id, organisationId: report.organisation_id,
      details: { reference: report.reference },
    });
  });
}

/** Assigns the coordinator and the investigator; each must hold that role for the case's organisation. */
export async function assign(ctx: Context, actor: Actor, id: string, raw: unknown): Promise<void> {
  const input = parseInput(assignmentSchema, raw);
  const report = await loadCase(ctx, actor, id);
  if (!may(actor, report, "report.handle")) throw new NotFound();
  const staff = await repo.accountsWithRoles(ctx.db, [report.organisation_id], ["coordinator", "investigator"]);
  const holds = (accountId: string, role: string) => staff.some((s) => s.id === accountId && s.role === role);
  if (input.coordinatorId && !holds(input.coordinatorId, "coordinator")) throw new Invalid({ coordinatorId: "report.assigneeInvalid" });
  if (input.investigatorId && !holds(input.investigatorId, "investigator")) throw new Invalid({ investigatorId: "report.assigneeInvalid" });
  await inTransaction(ctx, async (trx) => {
    await touch(trx, report, {
      coordinator_account_id: input.coordinatorId || null, investigator_account_id: input.investigatorId || null,
    });
    const key = await caseKey(ctx, trx, id);
    await addEntry(trx, key, {
      reportId: id, kind: "assignment", author: { type: "account", id: actor.accountId },
      meta: { coordinatorId: input.coordinatorId || null, investigatorId: input.investigatorId || null },
    });
    await audit.record(ctx, trx, {
      actor: auditActorOf(actor), action: "report.assign", objectType: "report", objectId: id, organisationId: report.organisation_id,
      details: { reference: report.reference, coordinatorId: input.coordinatorId || null, investigatorId: input.investigatorId || null },
    });
  });
}

/** Records a referral to an external body (Huis voor Klokkenluiders, LKOG, ombudsman, police, Rijksrecherche). */
export async function refer(ctx: Context, actor: Actor, id: string, raw: unknown): Promise<void> {
  const input = parseInput(referralSchema, raw);
  const report = await loadCase(ctx, actor, id);
  if (!may(actor, report, "report.handle")) throw new NotFound();
  await inTransaction(ctx, async (trx) => {
    await touch(trx, report);
    const key = await caseKey(ctx, trx, id);
    await addEntry(trx, key, { reportId: id, kind: "referral", author: { type: "account", id: actor.accountId }, meta: { body: input.body }, sealed: { reason: input.reason } });
    await audit.record(ctx, trx, {
      actor: auditActorOf(actor), action: "report.refer", objectType: "report", objectId: id, organisationId: report.organisation_id,
      details: { reference: report.reference, body: input.body },
    });
  });
}

/** Discloses the reporter's identity to one more person who works on the case (in practice the investigator), on the
 *  reporter's recorded consent or a recorded legal ground (Wbk art. 1a) with its reason. Only a receiving coordinator may. */
export async function discloseIdentity(ctx: Context, actor: Actor, id: string, raw: unknown): Promise<void> {
  const input = parseInput(disclosureSchema, raw);
  const report = await loadCase(ctx, actor, id);
  if (!may(actor, report, "report.readIdentity") || !may(actor, report, "report.handle")) throw new NotFound();
  if (report.mode !== "confidential" && report.mode !== "open") throw new Conflict("no_identity", "report.noIdentityToDisclose");
  const staff = await repo.accountsWithRoles(ctx.db, [report.organisation_id], ["coordinator", "investigator"]);
  if (!staff.some((s) => s.id === input.accountId) || input.accountId === actor.accountId) throw new Invalid({ accountId: "report.assigneeInvalid" });
  await inTransaction(ctx, async (trx) => {
    await touch(trx, report);
    const key = await caseKey(ctx, trx, id);
    await addEntry(trx, key, {
      reportId: id, kind: "disclosure", author: { type: "account", id: actor.accountId },
      meta: { accountId: input.accountId, basis: input.basis }, sealed: { reason: input.reason },
    });
    await audit.record(ctx, trx, {
      actor: auditActorOf(actor), action: "report.identityDisclosed", objectType: "report", objectId: id, organisationId: report.organisation_id,
      details: { reference: report.reference, accountId: input.accountId, basis: input.basis },
    });
  });
}

/** Marks an account as involved: from then on that account cannot find the case, in any list or by its address. */
/** The page's way to exclude someone: by the e-mail address of their account. */
export async function excludeByEmail(ctx: Context, actor: Actor, id: string, raw: unknown): Promise<void> {
  const { email } = parseInput(exclusionSchema, raw);
  const report = await loadCase(ctx, actor, id);
  if (!may(actor, report, "report.handle")) throw new NotFound();
  const account = await authRepo.findAccountByEmail(ctx.db, email.toLowerCase());
  if (!account) throw new Invalid({ email: "report.excludeUnknown" });
  if (account.id === actor.accountId) throw new Invalid({ email: "report.excludeSelf" });
  await excludeAccount(ctx, actor, id, account.id);
}

export const exclusionByIdSchema = z.object({ accountId: z.string({ error: "field.required" }).trim().min(1, { error: "field.required" }).max(100, { error: "field.invalid" }) });

/** The API's other way: by the account's id, with the same checks as by e-mail address (errors on accountId). */
export async function excludeById(ctx: Context, actor: Actor, id: string, raw: unknown): Promise<void> {
  const { accountId } = parseInput(exclusionByIdSchema, raw);
  const report = await loadCase(ctx, actor, id);
  if (!may(actor, report, "report.handle")) throw new NotFound();
  if (!(await authRepo.findAccount(ctx.db, accountId))) throw new Invalid({ accountId: "field.invalid" });
  if (accountId === actor.accountId) throw new Invalid({ accountId: "report.excludeSelf" });
  await excludeAccount(ctx, actor, id, accountId, "accountId");
}

export async function excludeAccount(ctx: Context, actor: Actor, id: string, accountId: string, field: "email" | "accountId" = "email"): Promise<void> {
  const report = await loadCase(ctx, actor, id);
  if (!may(actor, report, "report.handle")) throw new NotFound();
  // Exclusion must not take a report about a handler away from its recipient. Every exclusion is on the timeline for
  // the whole desk (who was excluded, by whom) and in the audit log (that it happened).
  if (report.routing === "alternative" && report.alternative_account_id === accountId) throw new Invalid({ [field]: "report.excludeRecipient" });
  const name = (await repo.accountNames(ctx.db, [accountId])).get(accountId) ?? "";
  await inTransaction(ctx, async (trx) => {
    // The row first (it locks the case), then the exclusion: a handover cannot slip in between the check and the insert.
    await touch(trx, report);
    await repo.insertExclusion(trx, id, exclusionTag(ctx, accountId));
    // The desk sees who was excluded (sealed, like everything named in a case); the audit log does not.
    await addEntry(trx, await caseKey(ctx, trx, id), { reportId: id, kind: "exclusion", author: { type: "account", id: actor.accountId }, meta: {}, sealed: { name } });
    await audit.record(ctx, trx, {
      actor: auditActorOf(actor), action: "report.exclude", objectType: "report", objectId: id, organisationId: report.organisation_id,
      details: { reference: report.reference },
    });
  });
}

export const rolesMayHandle = (role: Parameters<typeof roleHas>[0]) => roleHas(role, "report.handle");

// ---- the secretary's approval ------------------------------------------------------------------
// The municipal secretary approves a formal investigation but may never read a case (separation of
// duties): they see the request's metadata only, never content, identity or messages. Cases routed to
// the alternative recipient (a report about a handler, possibly the secretary) never come here; the
// alternative recipient records the approval instead.

export type ApprovalRequest = {
  id: string; reference: string; organisationName: string; receivedOn: string; kind: string; categoryLabel: string | null;
  investigationBy: string | null; requestedAt: string; coordinatorName: string | null; version: number;
};

async function approvalCases(ctx: Context, actor: Actor, id?: string) {
  const orgIds = [...organisationsWith(actor, "report.approveInvestigation").whole];
  return repo.awaitingApproval(ctx.db, orgIds, exclusionTag(ctx, actor.accountId), id);
}

/** The investigations waiting for this secretary's approval. */
export async function listApprovals(ctx: Context, actor: Actor, locale: Locale): Promise<ApprovalRequest[]> {
  const rows = await approvalCases(ctx, actor);
  const orgIds = [...new Set(rows.map((r) => r.organisation_id))];
  const [organisations, categories, names, requested] = await Promise.all([
    orgRepo.listOrganisations(ctx.db, orgIds), repo.listCategories(ctx.db, orgIds), repo.accountNames(ctx.db, rows.map((r) => r.coordinator_account_id ?? "")),
    // The moment of the request, not the case's last change (which would show the secretary any later activity).
    repo.lastStepAt(ctx.db, rows.map((r) => r.id), "decideInvestigation"),
  ]);
  return rows.map((r) => ({
    id: r.id, reference: r.reference, organisationName: organisations.find((o) => o.id === r.organisation_id)?.name ?? "",
    receivedOn: localDate(r.received_at), kind: r.kind,
    categoryLabel: ((c) => (c ? (locale === "en" ? c.label_en : c.label_nl) : null))(categories.find((c) => c.id === r.category_id)),
    investigationBy: r.investigation_by, requestedAt: requested.get(r.id) ?? r.updated_at, coordinatorName: r.coordinator_account_id ? names.get(r.coordinator_account_id) ?? null : null,
    version: r.version,
  }));
}

/** Approves or rejects a requested investigation (a rejection needs a reason, which only the desk reads). */
export async function decideApproval(ctx: Context, actor: Actor, id: string, raw: unknown): Promise<ReportsTable> {
  const input = parseInput(approvalSchema, raw);
  const [report] = await approvalCases(ctx, actor, id);
  if (!report) throw new NotFound();
  const t = transitionFor(report.status as Status, input.decision === "approve" ? "approveInvestigation" : "rejectInvestigation")!;
  return applyTransition(ctx, actor, report, t, parseInput(transitionSchema, { action: t.action, reason: input.reason, version: input.version }));
}
