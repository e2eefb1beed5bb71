import type { Context } from "../context.ts";
import { inTransaction } from "../context.ts";
import type { Actor } from "../access/actor.ts";
import { allOrganisationIds, auditActorOf, canForWholeOrganisation, canInOrganisation, organisationsWith } from "../access/actor.ts";
import { roleHas } from "../access/permissions.ts";
import * as audit from "../audit/service.ts";
import { newId, now } from "../crypto/tokens.ts";
import type { OrganisationsTable, PositionsTable, UnitsTable } from "../db/schema.ts";
import { Conflict, Forbidden, Invalid, NotFound } from "../http/errors.ts";
import { parseInput } from "../http/validation.ts";
import * as repo from "./repository.ts";
import {
  groupMemberSchema, groupSchema, newOrganisationSchema, organisationSettingsSchema, positionSchema, unitSchema,
} from "./schema.ts";
import { slugify } from "./slug.ts";
import type { z } from "zod";

const parse = parseInput;

/** An organisation the actor has no role in does not exist for them (404, never 403). */
function requireKnown(actor: Actor, organisationId: string) {
  if (!allOrganisationIds(actor).includes(organisationId)) throw new NotFound();
}
function requireView(actor: Actor, organisationId: string) {
  requireKnown(actor, organisationId);
  if (!canInOrganisation(actor, "organisation.view", organisationId)) throw new Forbidden();
}
/** Changing the structure needs organisation.manage for the whole organisation, not a unit grant. */
function requireManage(actor: Actor, organisationId: string) {
  requireKnown(actor, organisationId);
  if (!canForWholeOrganisation(actor, "organisation.manage", organisationId)) throw new Forbidden();
}

// ---- the organisation ----------------------------------------------------------------------

export type Overview = {
  organisation: OrganisationsTable;
  units: UnitsTable[];
  positions: PositionsTable[];
  counts: { units: number; people: number; positions: number; accounts: number };
  can: { manage: boolean };
};

export async function getOverview(ctx: Context, actor: Actor, organisationId: string): Promise<Overview> {
  const organisation = await getOrganisation(ctx, actor, organisationId);
  const [units, positions, counts] = await Promise.all([
    repo.listUnits(ctx.db, organisationId), repo.listPositions(ctx.db, organisationId), repo.counts(ctx.db, organisationId),
  ]);
  return { organisation, units, positions, counts, can: { manage: canForWholeOrganisation(actor, "organisation.manage", organisationId) } };
}

/** The organisation alone, and its units or positions alone: what the API asks for, without the rest of the overview. */
export async function getOrganisation(ctx: Context, actor: Actor, organisationId: string): Promise<OrganisationsTable> {
  requireView(actor, organisationId);
  const organisation = await repo.findOrganisation(ctx.db, allOrganisationIds(actor), organisationId);
  if (!organisation) throw new NotFound();
  return organisation;
}

export async function listUnits(ctx: Context, actor: Actor, organisationId: string): Promise<UnitsTable[]> {
  requireView(actor, organisationId);
  return repo.listUnits(ctx.db, organisationId);
}

export async function listPositions(ctx: Context, actor: Actor, organisationId: string): Promise<PositionsTable[]> {
  requireView(actor, organisationId);
  return repo.listPositions(ctx.db, organisationId);
}

export async function updateSettings(ctx: Context, actor: Actor, organisationId: string, raw: unknown): Promise<void> {
  requireManage(actor, organisationId);
  const input = parse(organisationSettingsSchema, raw);
  await inTransaction(ctx, async (trx) => {
    const before = await repo.findOrganisation(trx, [organisationId], organisationId);
    if (!before) throw new NotFound();
    if (await repo.slugTaken(trx, input.slug, organisationId)) throw new Invalid({ slug: "org.slugTaken" });
    const patch = { name: input.name, slug: input.slug, kind: input.kind, totp_required: input.totpRequired ? 1 as const : 0 as const };
    const changed = (Object.keys(patch) as (keyof typeof patch)[]).filter((k) => before[k] !== patch[k]);
    await repo.updateOrganisation(trx, organisationId, { ...patch, updated_at: now() });
    await audit.record(ctx, trx, {
      actor: auditActorOf(actor), action: "organisation.update", objectType: "organisation", objectId: organisationId, organisationId,
      details: { changed, ...(changed.includes("totp_required") ? { totpRequired: input.totpRequired } : {}) },
    });
  });
}

// ---- units ---------------------------------------------------------------------------------

export async function createUnit(ctx: Context, actor: Actor, organisationId: string, raw: unknown): Promise<UnitsTable> {
  requireManage(actor, organisationId);
  const input = parse(unitSchema, raw);
  return inTransaction(ctx, async (trx) => {
    const parent = input.parentId ? await repo.findUnit(trx, organisationId, input.parentId) : null;
    if (input.parentId && !parent) throw new Invalid({ parentId: "org.unitNotFound" });
    const id = newId();
    const row: UnitsTable = {
      id, organisation_id: organisationId, parent_id: parent?.id ?? null, name: input.name, kind: input.kind,
      path: `${parent?.path ?? "/"}${id}/`, created_at: now(),
    };
    await repo.insertUnit(trx, row);
    await audit.record(ctx, trx, {
      actor: auditActorOf(actor), action: "unit.create", objectType: "unit", objectId: id, organisationId,
      details: { kind: input.kind, parentId: row.parent_id },
    });
    return row;
  });
}

export type UnitEdit = { unit: UnitsTable; units: UnitsTable[] };

/** A unit with the organisation's other units (for the "part of" choice). */
export async function getUnit(ctx: Context, actor: Actor, organisationId: string, unitId: string): Promise<UnitEdit> {
  requireManage(actor, organisationId);
  const unit = await repo.findUnit(ctx.db, organisationId, unitId);
  if (!unit) throw new NotFound();
  return { unit, units: await repo.listUnits(ctx.db, organisationId) };
}

/** Rename, change kind, or move a unit (its whole subtree moves along: the paths are rewritten). */
export async function updateUnit(ctx: Context, actor: Actor, organisationId: string, unitId: string, raw: unknown): Promise<UnitsTable> {
  requireManage(actor, organisationId);
  const input = parse(unitSchema, raw);
  return inTransaction(ctx, async (trx) => {
    const unit = await repo.findUnit(trx, organisationId, unitId);
    if (!unit) throw new NotFound();
    let parent: UnitsTable | null = null;
    if (input.parentId) {
      if (input.parentId === unit.id) throw new Invalid({ parentId: "org.unitCycle" });
      parent = (await repo.findUnit(trx, organisationId, input.parentId)) ?? null;
      if (!parent) throw new Invalid({ parentId: "org.unitNotFound" });
      if (parent.path.startsWith(unit.path)) throw new Invalid({ parentId: "org.unitCycle" });
    }
    const path = `${parent?.path ?? "/"}${unit.id}/`;
    const moved = path !== unit.path;
    if (moved) await repo.rewriteSubtreePaths(trx, organisationId, unit.path, path);
    await repo.updateUnit(trx, organisationId, unit.id, { name: input.name, kind: input.kind, parent_id: parent?.id ?? null });
    await audit.record(ctx, trx, {
      actor: auditActorOf(actor), action: "unit.update", objectType: "unit", objectId: unit.id, organisationId,
      details: {
        renamed: unit.name !== input.name, kind: input.kind,
        ...(moved ? { fromParentId: unit.parent_id, toParentId: parent?.id ?? null } : {}),
      },
    });
    return { ...unit, name: input.name, kind: input.kind, parent_id: parent?.id ?? null, path };
  });
}

/** Only an empty unit can go: no units under it, no people in it, no roles granted on it. */
export async function deleteUnit(ctx: Context, actor: Actor, organisationId: string, unitId: string): Promise<void> {
  requireManage(actor, organisationId);
  await inTransaction(ctx, async (trx) => {
    const unit = await repo.findUnit(trx, organisationId, unitId);
    if (!unit) throw new NotFound();
    if (await repo.unitHasDependants(trx, organisationId, unit.id)) throw new Conflict("unit_in_use", "org.unitHasChildren");
    await repo.deleteUnit(trx, organisationId, unit.id);
    await audit.record(ctx, trx, {
      actor: auditActorOf(actor), action: "unit.delete", objectType: "unit", objectId: unit.id, organisationId,
      details: { kind: unit.kind, parentId: unit.parent_id },
    });
  });
}

// ---- positions -----------------------------------------------------------------------------

export async function createPosition(ctx: Context, actor: Actor, organisationId: string, raw: unknown): Promise<PositionsTable> {
  requireManage(actor, organisationId);
  const input = parse(positionSchema, raw);
  return inTransaction(ctx, async (trx) => {
    if (await repo.findPositionByTitle(trx, organisationId, input.title)) throw new Invalid({ title: "org.positionTaken" });
    const row: PositionsTable = { id: newId(), organisation_id: organisationId, title: input.title, code: input.code, created_at: now() };
    await repo.insertPosition(trx, row);
    await audit.record(ctx, trx, {
      actor: auditActorOf(actor), action: "position.create", objectType: "position", objectId: row.id, organisationId,
    });
    return row;
  });
}

// ---- groups of organisations ---------------------------------------------------------------

/** The groups the actor administers: a group-scoped grant of a role that may manage groups. */
export function managedGroupIds(actor: Actor): string[] {
  return [...new Set(actor.grants.filter((g) => g.scopeType === "group" && roleHas(g.role, "group.manage")).map((g) => g.scopeId))];
}

function requireManagedGroup(actor: Actor, groupId: string) {
  if (!managedGroupIds(actor).includes(groupId)) throw new NotFound();
}

export type GroupsView = {
  groups: { id: string; name: string; kind: string; members: { id: string; name: string; kind: string }[] }[];
  /** Organisations the actor manages in whole: those it may add to a group. */
  candidates: { id: string; name: string }[];
  can: { createGroup: boolean };
};

export async function listManagedGroups(ctx: Context, actor: Actor, activeOrganisationId: string | null): Promise<GroupsView> {
  const groups = await repo.listGroups(ctx.db, managedGroupIds(actor));
  const withMembers = await Promise.all(groups.map(async (g) => ({ ...g, members: await repo.groupMembersOf(ctx.db, g.id) })));
  const candidates = (await repo.listOrganisations(ctx.db, [...organisationsWith(actor, "organisation.manage").whole])).map((o) => ({ id: o.id, name: o.name }));
  return {
    groups: withMembers.map(({ id, name, kind, members }) => ({ id, name, kind, members })),
    candidates,
    can: { createGroup: !!activeOrganisationId && canForWholeOrganisation(actor, "organisation.manage", activeOrganisationId) },
  };
}

/** A new group holding the actor's organisation; its creator administers it. */
export async function createGroup(ctx: Context, actor: Actor, organisationId: string, raw: unknown): Promise<{ id: string }> {
  requireManage(actor, organisationId);
  const input = parse(groupSchema, raw);
  return inTransaction(ctx, async (trx) => {
    const id = newId();
    const at = now();
    await repo.insertGroup(trx, { id, name: input.name, kind: input.kind, created_at: at });
    await repo.addGroupMember(trx, id, organisationId);
    await repo.insertGroupGrant(trx, { id: newId(), accountId: actor.accountId, role: "admin", groupId: id, createdAt: at });
    await audit.record(ctx, trx, {
      actor: auditActorOf(actor), action: "group.create", objectType: "group", objectId: id, organisationId, details: { kind: input.kind },
    });
    await audit.record(ctx, trx, {
      actor: auditActorOf(actor), action: "roleAssignment.create", objectType: "account", objectId: actor.accountId, organisationId,
      details: { role: "admin", scopeType: "group", scopeId: id },
    });
    return { id };
  });
}

/** A new organisation inside a group the actor administers (which makes them its administrator too). */
export async function createOrganisationInGroup(ctx: Context, actor: Actor, groupId: string, raw: unknown): Promise<{ id: string; slug: string }> {
  requireManagedGroup(actor, groupId);
  const input = parse(newOrganisationSchema, raw);
  return inTransaction(ctx, async (trx) => {
    if (!(await repo.findGroup(trx, [groupId], groupId))) throw new NotFound();
    const id = newId();
    const at = now();
    const slug = await repo.uniqueSlug(trx, slugify(input.name));
    await repo.insertOrganisation(trx, { id, name: input.name, slug, kind: input.kind, totp_required: 1, created_at: at, updated_at: at });
    await repo.addGroupMember(trx, groupId, id);
    await audit.record(ctx, trx, {
      actor: auditActorOf(actor), action: "organisation.create", objectType: "organisation", objectId: id, organisationId: id,
      details: { kind: input.kind, groupId },
    });
    return { id, slug };
  });
}

/** Adds an existing organisation: the actor must administer both the group and that whole organisation. */
export async function addOrganisationToGroup(ctx: Context, actor: Actor, groupId: string, raw: unknown): Promise<void> {
  requireManagedGroup(actor, groupId);
  const input = parse(groupMemberSchema, raw);
  if (!canForWholeOrganisation(actor, "organisation.manage", input.organisationId)) throw new NotFound();
  await inTransaction(ctx, async (trx) => {
    if (!(await repo.findGroup(trx, [groupId], groupId))) throw new NotFound();
    if (await repo.isGroupMember(trx, groupId, input.organisationId)) throw new Invalid({ organisationId: "org.groupMemberExists" });
    await repo.addGroupMember(trx, groupId, input.organisationId);
    await audit.record(ctx, trx, {
      actor: auditActorOf(actor), action: "group.addMember", objectType: "group", objectId: groupId, organisationId: input.organisationId,
    });
  });
}

/** The organisations whose structure the actor may see (for the API's organisation list). */
export async function listVisibleOrganisations(ctx: Context, actor: Actor): Promise<OrganisationsTable[]> {
  const { whole, units } = organisationsWith(actor, "organisation.view");
  return repo.listOrganisations(ctx.db, [...new Set([...whole, ...units.keys()])]);
}
