import { z } from "zod";
import type { OrganisationsTable, PositionsTable, UnitsTable } from "../db/schema.ts";

// Response shapes of /api/v1, in camelCase. A field not listed here is stripped before sending.

export const organisationOut = z.object({
  id: z.string(), name: z.string(), slug: z.string(), kind: z.string(), totpRequired: z.boolean(), createdAt: z.string(), updatedAt: z.string(),
});
export const toOrganisation = (o: OrganisationsTable): z.input<typeof organisationOut> => ({
  id: o.id, name: o.name, slug: o.slug, kind: o.kind, totpRequired: o.totp_required === 1, createdAt: o.created_at, updatedAt: o.updated_at,
});

export const unitOut = z.object({
  id: z.string(), organisationId: z.string(), parentId: z.string().nullable(), name: z.string(), kind: z.string(), createdAt: z.string(),
});
export const toUnit = (u: UnitsTable): z.input<typeof unitOut> => ({
  id: u.id, organisationId: u.organisation_id, parentId: u.parent_id, name: u.name, kind: u.kind, createdAt: u.created_at,
});

export const positionOut = z.object({ id: z.string(), organisationId: z.string(), title: z.string(), code: z.string().nullable() });
export const toPosition = (p: PositionsTable): z.input<typeof positionOut> => ({ id: p.id, organisationId: p.organisation_id, title: p.title, code: p.code });

export const roleAssignmentOut = z.object({
  id: z.string(), accountId: z.string(), role: z.string(), scopeType: z.string(), scopeId: z.string(),
  organisationId: z.string().nullable(), createdAt: z.string(),
});
export const accountOut = z.object({
  id: z.string(), email: z.string(), displayName: z.string(), totpEnabled: z.boolean(), disabled: z.boolean(),
  personId: z.string().nullable(), createdAt: z.string(), lastLoginAt: z.string().nullable(), roles: z.array(roleAssignmentOut),
});

/** A resolved grant of the signed-in account (GET /me). */
export const grantOut = z.object({
  role: z.string(), scopeType: z.enum(["organisation", "unit", "group"]), scopeId: z.string(), organisationIds: z.array(z.string()),
});

export const organisationParams = z.object({ organisationId: z.string().min(1).max(100) });
export const list = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
