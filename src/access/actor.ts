import type { Permission, Role } from "./permissions.ts";
import { roleHas } from "./permissions.ts";

export type ScopeType = "organisation" | "unit" | "group";

/** A role grant with its scope resolved: the organisations it covers and, for a unit grant, the subtree path. */
export type Grant = {
  role: Role;
  scopeType: ScopeType;
  scopeId: string;
  organisationIds: string[];
  unitPath: string | null;
};

export type Actor = {
  accountId: string;
  email: string;
  displayName: string;
  locale: "nl" | "en";
  totpEnabled: boolean;
  grants: Grant[];
  activeOrganisationId: string | null;
  via: "session" | "token";
};

/** Who did something, for the audit trail. A mutation cannot be written without one. */
export type AuditActor = { type: "account"; id: string } | { type: "system"; id: string } | { type: "anonymous"; id: null };
export const auditActorOf = (actor: Actor): AuditActor => ({ type: "account", id: actor.accountId });
export const systemActor = (name: string): AuditActor => ({ type: "system", id: name });

/** The organisations where the actor holds the permission, in whole (organisation or group grant) or in part (unit grant). */
export function organisationsWith(actor: Actor, permission: Permission): { whole: Set<string>; units: Map<string, string[]> } {
  const whole = new Set<string>();
  const units = new Map<string, string[]>();
  for (const g of actor.grants) {
    if (!roleHas(g.role, permission)) continue;
    if (g.scopeType === "unit" && g.unitPath) {
      const org = g.organisationIds[0];
      if (org) units.set(org, [...(units.get(org) ?? []), g.unitPath]);
    } else for (const o of g.organisationIds) whole.add(o);
  }
  for (const o of whole) units.delete(o);
  return { whole, units };
}

export function hasPermission(actor: Actor, permission: Permission): boolean {
  return actor.grants.some((g) => roleHas(g.role, permission));
}

export function canInOrganisation(actor: Actor, permission: Permission, organisationId: string): boolean {
  const { whole, units } = organisationsWith(actor, permission);
  return whole.has(organisationId) || units.has(organisationId);
}

/** Whole-organisation permission: organisation or group grant. */
export function canForWholeOrganisation(actor: Actor, permission: Permission, organisationId: string): boolean {
  return organisationsWith(actor, permission).whole.has(organisationId);
}

/** On a record inside a unit: a whole-organisation grant, or a unit grant whose subtree holds the unit. */
export function canOnUnit(actor: Actor, permission: Permission, organisationId: string, unitPath: string | null): boolean {
  const { whole, units } = organisationsWith(actor, permission);
  if (whole.has(organisationId)) return true;
  if (!unitPath) return false;
  return (units.get(organisationId) ?? []).some((p) => unitPath.startsWith(p));
}

export function rolesIn(actor: Actor, organisationId: string | null): Role[] {
  if (!organisationId) return [];
  return [...new Set(actor.grants.filter((g) => g.organisationIds.includes(organisationId)).map((g) => g.role))];
}

export function allOrganisationIds(actor: Actor): string[] {
  return [...new Set(actor.grants.flatMap((g) => g.organisationIds))];
}
