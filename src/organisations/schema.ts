import { z } from "zod";

// Input of the organisation use cases. Messages are message keys (src/ui/messages.ts).

export const ORGANISATION_KINDS = ["municipality", "shared_service", "province", "water_board", "other"] as const;
export const UNIT_KINDS = ["cluster", "department", "team"] as const;
export const GROUP_KINDS = ["region", "provider"] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];
export type UnitKind = (typeof UNIT_KINDS)[number];
export type GroupKind = (typeof GROUP_KINDS)[number];

/** The stable part of public addresses (/melden/<slug>): lower-case letters, digits and inner hyphens. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$/;

const name = z.string({ error: "field.required" }).trim().min(1, "field.required").max(200, "field.tooLong");
/** Empty select or text → null. */
const optionalId = z.string().trim().optional().nullable().transform((v) => (v ? v : null));
/** A checkbox: present ("1", "on", true) or absent. */
const checkbox = z.union([z.boolean(), z.string(), z.null()]).optional().transform((v) => v === true || v === "1" || v === "on" || v === "true");

export const organisationSettingsSchema = z.object({
  name,
  slug: z.string({ error: "field.required" }).trim().toLowerCase().min(1, "field.required").regex(SLUG_PATTERN, "org.slugInvalid"),
  kind: z.enum(ORGANISATION_KINDS, { error: "field.choose" }),
  totpRequired: checkbox,
});
export type OrganisationSettingsInput = z.input<typeof organisationSettingsSchema>;

export const unitSchema = z.object({
  name,
  kind: z.enum(UNIT_KINDS, { error: "field.choose" }),
  parentId: optionalId,
});
export type UnitInput = z.input<typeof unitSchema>;

export const positionSchema = z.object({
  title: name,
  code: z.string().trim().max(50, "field.tooLong").optional().nullable().transform((v) => (v ? v : null)),
});
export type PositionInput = z.input<typeof positionSchema>;

export const groupSchema = z.object({
  name,
  kind: z.enum(GROUP_KINDS, { error: "field.choose" }),
});
export type GroupInput = z.input<typeof groupSchema>;

export const newOrganisationSchema = z.object({
  name,
  kind: z.enum(ORGANISATION_KINDS, { error: "field.choose" }),
});
export type NewOrganisationInput = z.input<typeof newOrganisationSchema>;

export const groupMemberSchema = z.object({
  organisationId: z.string({ error: "field.choose" }).trim().min(1, "field.choose"),
});
export type GroupMemberInput = z.input<typeof groupMemberSchema>;
