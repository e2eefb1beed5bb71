import { z } from "zod";
import { FOLLOW_UPS, FORMS, RELATIONS } from "./vocabulary.ts";

// Input of the advisors' register. Every message is a message key (ui/messages.ts). Nothing here takes a
// name or a personal detail: the register counts, it does not describe.

/** A real calendar date: "2025-02-31" is refused (Date.parse would roll it over to March). */
const isoDate = z.string({ error: "field.date" }).trim().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "field.date" })
  // zod runs this also when the regex failed: "-0" passes Date.parse, but "-0T00:00:00Z" is an Invalid Date, whose toISOString throws.
  .refine((v) => { const d = new Date(`${v}T00:00:00Z`); return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v; }, { error: "field.date" });
/** A whole number from a form field ("2") or JSON (2). */
const count = (min: number, max: number, key: string) => z.preprocess(
  (v) => (typeof v === "string" ? (/^\s*\d{1,6}\s*$/.test(v) ? Number(v.trim()) : Number.NaN) : v),
  z.number({ error: key }).int({ error: key }).min(min, { error: key }).max(max, { error: key }),
);
const list = z.preprocess((v) => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.string().trim().regex(/^[a-z0-9_]{1,60}$/, { error: "advisor.natureUnknown" })).max(20));

export const contactSchema = z.object({
  contactOn: isoDate,
  organisationId: z.string({ error: "advisor.organisationRequired" }).trim().min(1, { error: "advisor.organisationRequired" }),
  unitId: z.string().trim().optional().nullable().transform((v) => (v ? v : null)),
  relation: z.enum(RELATIONS, { error: "field.choose" }),
  natures: list.refine((v) => v.length > 0, { error: "advisor.natureRequired" }),
  people: count(1, 500, "advisor.peopleInvalid"),
  form: z.enum(FORMS, { error: "field.choose" }),
  conversations: count(1, 500, "advisor.conversationsInvalid"),
  minutes: count(0, 100_000, "advisor.minutesInvalid"),
  followUp: z.enum(FOLLOW_UPS, { error: "field.choose" }),
});
export type ContactInput = z.input<typeof contactSchema>;

/** A note's text: may be empty when files come with it (the service checks that there is one or the other). */
export const noteSchema = z.object({
  body: z.string({ error: "advisor.noteRequired" }).trim().max(20_000, { error: "field.tooLong" }).optional().default(""),
});

/** Closing a contact names the version the advisor saw (a hidden field): a form without it, or with something that
 *  is no version, is refused rather than closing whatever the contact has become meanwhile. */
export const closeSchema = z.object({
  version: z.preprocess((v) => (typeof v === "string" ? (/^\s*\d{1,10}\s*$/.test(v) ? Number(v.trim()) : Number.NaN) : v),
    z.number({ error: "advisor.versionInvalid" }).int({ error: "advisor.versionInvalid" }).min(1, { error: "advisor.versionInvalid" })),
});
/** What a sealed note holds. */
export const sealedNoteSchema = z.object({ body: z.string() });

/** Handing a contact's notes to a successor advisor: only with the visitor's recorded agreement. */
export const successorSchema = z.object({
  accountId: z.string({ error: "advisor.successorRequired" }).trim().min(1, { error: "advisor.successorRequired" }),
  consentOn: isoDate,
  consent: z.union([z.literal(true), z.literal("1"), z.literal("on"), z.literal("true")], { error: "advisor.consentRequired" }),
});

/** Linking a contact to a case of the reporting desk: by the case's reference, only with the visitor's recorded consent. */
export const linkReportSchema = z.object({
  reference: z.string({ error: "advisor.referenceRequired" }).trim().regex(/^\d{4}-\d{1,6}$/, { error: "advisor.referenceRequired" }),
  consentOn: isoDate,
  consent: z.union([z.literal(true), z.literal("1"), z.literal("on"), z.literal("true")], { error: "advisor.linkConsentRequired" }),
});
