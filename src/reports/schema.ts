import { z } from "zod";
import { CHANNELS, FINDINGS, HOW_KNOWN, INVESTIGATION_BY, KINDS, MODES, REFERRAL_BODIES } from "./workflow.ts";

// Every message of a schema is a message key (ui/messages.ts), so a failed parse becomes field errors
// in the reader's language. The sealed shapes (content, identity, message, …) are parsed again when opened.

const text = (max: number, required = "field.required") =>
  z.string({ error: required }).trim().min(1, { error: required }).max(max, { error: "field.tooLong" });
const optionalText = (max: number) => z.string().trim().max(max, { error: "field.tooLong" }).optional().default("");
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "field.date" }).refine((v) => !Number.isNaN(Date.parse(v)), { error: "field.date" });
const yesNo = z.enum(["yes", "no"], { error: "field.choose" });
const email = z.string().trim().max(254, { error: "field.tooLong" }).email({ error: "field.email" });

export const LIMITS = { description: 20_000, short: 500, medium: 4_000, message: 10_000 } as const;

// ---- the intake, one step at a time -------------------------------------------------------------
// Each step validates only its own fields; the check page validates the whole report again.

export const intakeSteps = {
  category: z.object({ categoryId: z.string({ error: "report.categoryRequired" }).min(1, { error: "report.categoryRequired" }) }),
  what: z.object({ description: text(LIMITS.description, "report.descriptionRequired") }),
  when: z.object({
    occurredOn: z.union([z.literal(""), isoDate]).optional().default(""),
    occurredWhen: optionalText(LIMITS.short),
  }),
  where: z.object({ unitId: z.string().optional().default(""), location: optionalText(LIMITS.short) }),
  who: z.object({ involved: optionalText(LIMITS.medium) }),
  how: z.object({ howKnown: z.enum(HOW_KNOWN, { error: "field.choose" }), howKnownDetail: optionalText(LIMITS.medium) }),
  before: z.object({ reportedBefore: yesNo, reportedBeforeDetail: optionalText(LIMITS.medium) }),
  handler: z.object({ concernsHandler: yesNo }),
  /** Optional files: no typed fields; uploads travel in the draft (attachments/service.ts), not in the answers. */
  files: z.object({}),
  mode: z.object({ mode: z.enum(MODES, { error: "report.modeRequired" }) }),
  identity: z.object({
    name: text(200, "report.nameRequired"),
    email: z.union([z.literal(""), email]).optional().default(""),
    phone: optionalText(40),
    relation: z.enum(["employee", "former_employee", "hired", "external"], { error: "field.choose" }),
  }),
  notice: z.object({ noticeEmail: z.union([z.literal(""), email]).optional().default("") }),
} as const;
export type IntakeStep = keyof typeof intakeSteps;
export const INTAKE_STEPS = Object.keys(intakeSteps) as IntakeStep[];

/** What the reporter wrote: sealed as the case's "content" entry. */
export const contentSchema = z.object({
  categoryId: z.string(),
  description: z.string(),
  occurredOn: z.string(),
  occurredWhen: z.string(),
  unitId: z.string(),
  location: z.string(),
  involved: z.string(),
  howKnown: z.enum(HOW_KNOWN),
  howKnownDetail: z.string(),
  reportedBefore: z.enum(["yes", "no"]),
  reportedBeforeDetail: z.string(),
  concernsHandler: z.enum(["yes", "no"]),
});
export type Content = z.infer<typeof contentSchema>;

/** Who the reporter is (open and confidential reports): sealed apart from the content, as the "identity" entry. */
export const identitySchema = intakeSteps.identity;
export type Identity = z.infer<typeof identitySchema>;

/** The address for "there is a new message" notices: sealed, never shown to handlers, used only to send the notice. */
export const noticeSchema = z.object({ email: email });

/** The whole report as sent: all steps together (the check page and the API parse this). */
export const reportInputSchema = z.object({
  ...intakeSteps.category.shape, ...intakeSteps.what.shape, ...intakeSteps.when.shape, ...intakeSteps.where.shape,
  ...intakeSteps.who.shape, ...intakeSteps.how.shape, ...intakeSteps.before.shape, ...intakeSteps.handler.shape,
  ...intakeSteps.mode.shape, ...intakeSteps.notice.shape,
  identity: intakeSteps.identity.optional(),
}).superRefine((v, c) => {
  if (v.mode !== "anonymous" && !v.identity) c.addIssue({ code: "custom", path: ["identity", "name"], message: "report.nameRequired" });
});
export type ReportInput = z.infer<typeof reportInputSchema>;

// ---- messages, notes, decisions ------------------------------------------------------------------

export const messageSchema = z.object({ body: text(LIMITS.message, "report.messageRequired") });
export const noteSchema = z.object({ body: text(LIMITS.message, "report.noteRequired") });
export const receiptSchema = z.object({
  receipt: z.string({ error: "report.receiptRequired" }).transform((v) => v.replace(/[\s-]/g, ""))
    .pipe(z.string().regex(/^\d{16,32}$/, { error: "report.receiptFormat" })),
});

/** The case version a form or call saw (optimistic concurrency). Within the column's integer range: PostgreSQL
 *  refuses a larger number in the comparison with an error (a 500), where a version that does not match is a 409. */
export const versionField = z.preprocess((v) => (v === "" || v === null ? undefined : v), z.coerce.number().int().min(-2_147_483_648).max(2_147_483_647).optional());

/** What a transition may carry: a reason, the approval on paper, findings, measures. Sealed as the transition's entry. */
export const transitionSchema = z.object({
  action: z.string().min(1, { error: "field.choose" }),
  version: versionField,
  reason: optionalText(LIMITS.medium),
  approvedBy: optionalText(200),
  approvedOn: z.union([z.literal(""), isoDate]).optional().default(""),
  investigationBy: z.union([z.literal(""), z.enum(INVESTIGATION_BY)]).optional().default(""),
  findings: z.array(z.object({ allegation: text(LIMITS.short), finding: z.enum(FINDINGS, { error: "field.choose" }) })).optional().default([]),
  /** Codes from the organisation's list of measures (settings); checked against that list by the service. */
  measures: z.array(z.string().trim().regex(/^[a-z0-9_]{1,60}$/, { error: "report.measureUnknown" })).max(50).optional().default([]),
});
export type TransitionInput = z.infer<typeof transitionSchema>;

export const approvalSchema = z.object({
  decision: z.enum(["approve", "reject"], { error: "field.choose" }),
  reason: optionalText(LIMITS.medium),
  version: versionField,
});

export const exclusionSchema = z.object({ email: email });

/** Sharing the reporter's identity: on consent (how and when given) or a legal ground (which, and why). */
export const disclosureSchema = z.object({
  accountId: z.string({ error: "field.choose" }).min(1, { error: "field.choose" }),
  basis: z.enum(["consent", "legal_ground"], { error: "field.choose" }),
  reason: text(LIMITS.medium, "report.disclosureReasonRequired"),
});

export const referralSchema = z.object({ body: z.enum(REFERRAL_BODIES, { error: "field.choose" }), reason: optionalText(LIMITS.medium) });
export const assignmentSchema = z.object({ coordinatorId: z.string().optional().default(""), investigatorId: z.string().optional().default("") });

export const inboxQuerySchema = z.object({
  organisationId: z.string().optional(),
  unitId: z.string().optional(),
  status: z.string().optional(),
  kind: z.enum(KINDS).optional(),
  categoryId: z.string().optional(),
  handler: z.string().optional(),
  /** "me": only the cases assigned to the reader as investigator. */
  investigator: z.enum(["me"]).optional(),
  deadline: z.enum(["overdue", "dueSoon", "open", "met"]).optional(),
  sort: z.enum(["received", "-received", "due", "reference"]).optional().default("due"),
  page: z.coerce.number().int().min(1).max(100_000).optional().default(1),
  channel: z.enum(CHANNELS).optional(),
});
export type InboxQuery = z.infer<typeof inboxQuerySchema>;

/** Handing a desk case over to the alternative recipient: why (it concerns someone who handles reports). */
export const handOverSchema = z.object({
  reason: text(LIMITS.medium, "report.handOverReasonRequired"),
  version: versionField,
});
