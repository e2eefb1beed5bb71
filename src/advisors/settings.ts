import { z } from "zod";
import type { Actor } from "../access/actor.ts";
import { allOrganisationIds, auditActorOf, canForWholeOrganisation } from "../access/actor.ts";
import * as audit from "../audit/service.ts";
import type { Context } from "../context.ts";
import { inTransaction } from "../context.ts";
import { now } from "../crypto/tokens.ts";
import type { AdvisorNaturesTable } from "../db/schema.ts";
import { Forbidden, NotFound } from "../http/errors.ts";
import { parseInput } from "../http/validation.ts";
import { newOption, optionChange, optionSchema, optionUpdateSchema, POSITION, wholeNumber } from "../lists/option-list.ts";
import * as orgRepo from "../organisations/repository.ts";
import { findSettings } from "./repository.ts";
import { ensureAdvisorSetup } from "./service.ts";
import * as repo from "./settings-repository.ts";

// The advisors' settings, kept by the organisation's administrator (organisation.manage): the list of natures
// a contact can carry, how long an advisor's notes are kept after a contact is closed, and the threshold below
// which the yearly report shows a count as "< n". Separation of duties: the administrator holds no advisor
// permission, and nothing here reads, shows or counts a contact.

export const NOTES_RETENTION = { min: 1, max: 120 } as const;
/** The suppression needs at least 3 ("< 2" next to shown zeros would say "exactly 1"). */
export const THRESHOLD = { min: 3, max: 20 } as const;
export { POSITION };

// ---- input -----------------------------------------------------------------------------------------

export const advisorSettingsSchema = z.object({
  notesRetentionMonths: wholeNumber(NOTES_RETENTION.min, NOTES_RETENTION.max, "advisorSettings.retentionInvalid"),
  suppressionThreshold: wholeNumber(THRESHOLD.min, THRESHOLD.max, "advisorSettings.thresholdInvalid"),
});
export type AdvisorSettingsInput = z.input<typeof advisorSettingsSchema>;

export const natureSchema = optionSchema;
export const natureUpdateSchema = optionUpdateSchema("advisorSettings.positionInvalid");
export type NatureUpdateInput = z.input<typeof natureUpdateSchema>;

// ---- permission ------------------------------------------------------------------------------------

/** An organisation the actor has no role in does not exist for them (404); elsewhere organisation.manage for the whole organisation. */
function requireManage(actor: Actor, organisationId: string) {
  if (!allOrganisationIds(actor).includes(organisationId)) throw new NotFound();
  if (!canForWholeOrganisation(actor, "organisation.manage", organisationId)) throw new Forbidden();
}

// ---- reading ---------------------------------------------------------------------------------------

export type AdvisorSettingsView = {
  organisation: { id: string; name: string };
  notesRetentionMonths: number;
  suppressionThreshold: number;
  /** In the advisors' order: by position, then by Dutch name. */
  natures: AdvisorNaturesTable[];
};

export async function getAdvisorSettings(ctx: Context, actor: Actor, organisationId: string): Promise<AdvisorSettingsView> {
  requireManage(actor, organisationId);
  const organisation = await orgRepo.findOrganisation(ctx.db, [organisationId], organisationId);
  if (!organisation) throw new NotFound();
  const settings = await ensureAdvisorSetup(ctx, organisationId);
  return {
    organisation: { id: organisation.id, name: organisation.name },
    notesRetentionMonths: settings.notes_retention_months,
    suppressionThreshold: settings.suppression_threshold,
    natures: await repo.listNaturesOf(ctx.db, organisationId),
  };
}

export async function getNature(ctx: Context, actor: Actor, organisationId: string, natureId: string): Promise<AdvisorNaturesTable> {
  requireManage(actor, organisationId);
  const nature = await repo.findNature(ctx.db, organisationId, natureId);
  if (!nature) throw new NotFound();
  return nature;
}

// ---- changing --------------------------------------------------------------------------------------

/** The notes' retention after closing, and the yearly report's threshold. A new retention applies to contacts
 *  closed from then on: a closed contact keeps the destruction date it got when it was closed. */
export async function updateAdvisorSettings(ctx: Context, actor: Actor, organisationId: string, raw: unknown): Promise<void> {
  requireManage(actor, organisationId);
  const input = parseInput(advisorSettingsSchema, raw);
  await ensureAdvisorSetup(ctx, organisationId);
  await inTransaction(ctx, async (trx) => {
    const before = await findSettings(trx, organisationId);
    if (!before) throw new NotFound();
    const changed = [
      ...(before.notes_retention_months !== input.notesRetentionMonths ? ["notesRetentionMonths"] : []),
      ...(before.suppression_threshold !== input.suppressionThreshold ? ["suppressionThreshold"] : []),
    ];
    await repo.updateSettings(trx, organisationId, {
      notes_retention_months: input.notesRetentionMonths, suppression_threshold: input.suppressionThreshold, updated_at: now(),
    });
    await audit.record(ctx, trx, {
      actor: auditActorOf(actor), action: "advisorSettings.update", objectType: "advisorSettings", objectId: organisationId, organisationId,
      details: { changed, notesRetentionMonths: input.notesRetentionMonths, suppressionThreshold: input.suppressionThreshold },
    });
  });
}

/** A new nature, active, at the end of the list. */
export async function createNature(ctx: Context, actor: Actor, organisationId: string, raw: unknown): Promise<AdvisorNaturesTable> {
  requireManage(actor, organisationId);
  const input = parseInput(natureSchema, raw);
  await ensureAdvisorSetup(ctx, organisationId);
  return inTransaction(ctx, async (trx) => {
    const row: AdvisorNaturesTable = newOption(await repo.listNaturesOf(trx, organisationId), organisationId, input,
      { taken: "advisorSettings.natureTaken", fallbackCode: "nature" });
    await repo.insertNature(trx, row);
    await audit.record(ctx, trx, {
      actor: auditActorOf(actor), action: "advisorNature.create", objectType: "advisorNature", objectId: row.id, organisationId,
      details: { code: row.code, position: row.position },
    });
    return row;
  });
}

/** Names, order and whether advisors can choose it. Never deleted: old contacts refer to its code, and keep showing its name. */
export async function updateNature(ctx: Context, actor: Actor, organisationId: string, natureId: string, raw: unknown): Promise<AdvisorNaturesTable> {
  requireManage(actor, organisationId);
  return inTransaction(ctx, async (trx) => {
    const before = await repo.findNature(trx, organisationId, natureId);
    if (!before) throw new NotFound();
    const input = parseInput(natureUpdateSchema, raw);
    const { patch, changed } = optionChange(before, await repo.listNaturesOf(trx, organisationId), input,
      { taken: "advisorSettings.natureTaken", lastActive: "advisorSettings.lastActiveNature" });
    await repo.updateNature(trx, organisationId, before.id, patch);
    await audit.record(ctx, trx, {
      actor: auditActorOf(actor), action: "advisorNature.update", objectType: "advisorNature", objectId: before.id, organisationId,
      details: { code: before.code, changed, active: input.active, position: input.position },
    });
    return { ...before, ...patch };
  });
}
