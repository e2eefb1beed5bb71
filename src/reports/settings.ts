import { z } from "zod";
import type { Actor } from "../access/actor.ts";
import { allOrganisationIds, auditActorOf, canForWholeOrganisation } from "../access/actor.ts";
import * as audit from "../audit/service.ts";
import type { Context } from "../context.ts";
import { inTransaction } from "../context.ts";
import { now } from "../crypto/tokens.ts";
import type { ReportCategoriesTable, ReportMeasuresTable } from "../db/schema.ts";
import { Invalid, NotFound, Forbidden } from "../http/errors.ts";
import { parseInput } from "../http/validation.ts";
import { newOption, optionChange, optionSchema, optionUpdateSchema, POSITION, wholeNumber } from "../lists/option-list.ts";
import * as orgRepo from "../organisations/repository.ts";
import { ensureSettings } from "./intake.ts";
import * as repo from "./repository.ts";
import { KINDS } from "./workflow.ts";

// The reporting desk's settings, kept by the organisation's administrator: the public addresses, who
// receives reports about handlers, how long closed cases are kept, the report categories and the measures.
// Separation of duties: configuring the desk needs organisation.manage, and nothing here reads a case.

export const RETENTION = { min: 1, max: 30 } as const;
export { POSITION };

// ---- input -----------------------------------------------------------------------------------------

export const reportSettingsSchema = z.object({
  alternativeAccountId: z.string().trim().optional().nullable().transform((v) => (v ? v : null)),
  retentionYears: wholeNumber(RETENTION.min, RETENTION.max, "reportSettings.retentionInvalid"),
});
export type ReportSettingsInput = z.input<typeof reportSettingsSchema>;

/** A category has a kind besides its names: it decides how a report counts in the yearly integrity report. */
export const categorySchema = optionSchema.extend({ kind: z.enum(KINDS, { error: "field.choose" }) });
export type CategoryInput = z.input<typeof categorySchema>;
export const categoryUpdateSchema = optionUpdateSchema("reportSettings.positionInvalid").extend({ kind: z.enum(KINDS, { error: "field.choose" }) });
export type CategoryUpdateInput = z.input<typeof categoryUpdateSchema>;

/** A measure has names only; which kind of case it fits is the handler's judgement. */
export const measureSchema = optionSchema;
export const measureUpdateSchema = optionUpdateSchema("reportSettings.positionInvalid");
export type MeasureUpdateInput = z.input<typeof measureUpdateSchema>;

// ---- permission ------------------------------------------------------------------------------------

/** An organisation the actor has no role in does not exist for them (404); elsewhere organisation.manage for the whole organisation. */
function requireManage(actor: Actor, organisationId: string) {
  if (!allOrganisationIds(actor).includes(organisationId)) throw new NotFound();
  if (!canForWholeOrganisation(actor, "organisation.manage", organisationId)) throw new Forbidden();
}

// ---- reading ---------------------------------------------------------------------------------------

export type ReportSettingsView = {
  organisation: { id: string; name: string; slug: string };
  intakeUrl: string;
  mailboxUrl: string;
  alternativeAccountId: string | null;
  /** The chosen recipient's name, also when they no longer qualify (then `alternativeValid` is false). */
  alternativeName: string | null;
  alternativeValid: boolean;
  retentionYears: number;
  /** Who may be chosen as the recipient of reports about handlers: the organisation's coordinators. */
  coordinators: { id: string; name: string }[];
  categories: ReportCategoriesTable[];
  measures: ReportMeasuresTable[];
};

/** The coordinators of an organisation, directly or through a group grant, each once. */
async function coordinatorsOf(ctx: Context, organisationId: string) {
  const rows = await repo.accountsWithRoles(ctx.db, [organisationId], ["coordinator"]);
  const seen = new Map<string, string>();
  for (const r of rows) if (!seen.has(r.id)) seen.set(r.id, r.display_name);
  return [...seen].map(([id, name]) => ({ id, name }));
}

const byPosition = (a: { position: number; label_nl: string }, b: { position: number; label_nl: string }) =>
  a.position - b.position || a.label_nl.localeCompare(b.label_nl, "nl");

export async function getReportSettings(ctx: Context, actor: Actor, organisationId: string): Promise<ReportSettingsView> {
  requireManage(actor, organisationId);
  const organisation = await orgRepo.findOrganisation(ctx.db, [organisationId], organisationId);
  if (!organisation) throw new NotFound();
  const settings = await ensureSettings(ctx, organisationId);
  const [coordinators, categories, measures] = await Promise.all([
    coordinatorsOf(ctx, organisationId), repo.listCategories(ctx.db, [organisationId]), repo.listMeasures(ctx.db, organisationId),
  ]);
  const alternativeId = settings.alternative_account_id;
  const alternativeValid = !!alternativeId && coordinators.some((c) => c.id === alternativeId);
  const alternativeName = alternativeId
    ? coordinators.find((c) => c.id === alternativeId)?.name ?? (await repo.accountNames(ctx.db, [alternativeId])).get(alternativeId) ?? null
    : null;
  const base = `${ctx.config.baseUrl}/melden/${organisation.slug}`;
  return {
    organisation: { id: organisation.id, name: organisation.name, slug: organisation.slug },
    intakeUrl: base, mailboxUrl: `${base}/postbus`,
    alternativeAccountId: alternativeId, alternativeName, alternativeValid,
    retentionYears: settings.retention_years,
    coordinators,
    categories: [...categories].sort(byPosition),
    measures,
  };
}

export async function getCategory(ctx: Context, actor: Actor, organisationId: string, categoryId: string): Promise<ReportCategoriesTable> {
  requireManage(actor, organisationId);
  const category = await repo.findCategory(ctx.db, organisationId, categoryId);
  if (!category) throw new NotFound();
  return category;
}

export async function getMeasure(ctx: Context, actor: Actor, organisationId: string, measureId: string): Promise<ReportMeasuresTable> {
  requireManage(actor, organisationId);
  const measure = await repo.findMeasure(ctx.db, organisationId, measureId);
  if (!measure) throw new NotFound();
  return measure;
}

// ---- changing --------------------------------------------------------------------------------------

/** The recipient of reports about handlers and the retention period. */
export async function updateReportSettings(ctx: Context, actor: Actor, organisationId: string, raw: unknown): Promise<void> {
  requireManage(actor, organisationId);
  const input = parseInput(reportSettingsSchema, raw);
  await ensureSettings(ctx, organisationId);
  await inTransaction(ctx, async (trx) => {
    const before = await repo.findSettings(trx, organisationId);
    if (!before) throw new NotFound();
    if (input.alternativeAccountId) {
      const coordinators = await repo.accountsWithRoles(trx, [organisationId], ["coordinator"]);
      if (!coordinators.some((c) => c.id === input.alternativeAccountId)) throw new Invalid({ alternativeAccountId: "reportSettings.alternativeInvalid" });
    }
    const changed = [
      ...(before.alternative_account_id !== input.alternativeAccountId ? ["alternativeAccountId"] : []),
      ...(before.retention_years !== input.retentionYears ? ["retentionYears"] : []),
    ];
    await repo.updateSettings(trx, organisationId, {
      alternative_account_id: input.alternativeAccountId, retention_years: input.retentionYears, updated_at: now(),
    });
    await audit.record(ctx, trx, {
      actor: auditActorOf(actor), action: "reportSettings.update", objectType: "reportSettings", objectId: organisationId, organisationId,
      details: { changed, alternativeAccountId: input.alternativeAccountId, retentionYears: input.retentionYears },
    });
  });
}

/** A new category, active, at the end of the list. */
export async function createCategory(ctx: Context, actor: Actor, organisationId: string, raw: unknown): Promise<ReportCategoriesTable> {
  requireManage(actor, organisationId);
  const input = parseInput(categorySchema, raw);
  await ensureSettings(ctx, organisationId);
  return inTransaction(ctx, async (trx) => {
    const existing = await repo.listCategories(trx, [organisationId]);
    const row: ReportCategoriesTable = {
      ...newOption(existing, organisationId, input, { taken: "reportSettings.categoryTaken", fallbackCode: "category" }), kind: input.kind,
    };
    await repo.insertCategory(trx, row);
    await audit.record(ctx, trx, {
      actor: auditActorOf(actor), action: "reportCategory.create", objectType: "reportCategory", objectId: row.id, organisationId,
      details: { code: row.code, kind: row.kind, position: row.position },
    });
    return row;
  });
}

/** Names, kind, order and whether reporters can choose it. A category is never deleted: old cases refer to it. */
export async function updateCategory(ctx: Context, actor: Actor, organisationId: string, categoryId: string, raw: unknown): Promise<ReportCategoriesTable> {
  requireManage(actor, organisationId);
  return inTransaction(ctx, async (trx) => {
    const before = await repo.findCategory(trx, organisationId, categoryId);
    if (!before) throw new NotFound();
    const input = parseInput(categoryUpdateSchema, raw);
    const all = await repo.listCategories(trx, [organisationId]);
    const change = optionChange(before, all, input, { taken: "reportSettings.categoryTaken", lastActive: "reportSettings.lastActiveCategory" });
    const patch = { ...change.patch, kind: input.kind };
    const changed = [...change.changed, ...(before.kind !== input.kind ? ["kind"] : [])];
    await repo.updateCategory(trx, organisationId, before.id, patch);
    await audit.record(ctx, trx, {
      actor: auditActorOf(actor), action: "reportCategory.update", objectType: "reportCategory", objectId: before.id, organisationId,
      details: { code: before.code, changed, kind: input.kind, active: input.active, position: input.position },
    });
    return { ...before, ...patch };
  });
}

/** A new measure, active, at the end of the list. */
export async function createMeasure(ctx: Context, actor: Actor, organisationId: string, raw: unknown): Promise<ReportMeasuresTable> {
  requireManage(actor, organisationId);
  const input = parseInput(measureSchema, raw);
  await ensureSettings(ctx, organisationId);
  return inTransaction(ctx, async (trx) => {
    const row = newOption(await repo.listMeasures(trx, organisationId), organisationId, input, { taken: "reportSettings.measureTaken", fallbackCode: "measure" });
    await repo.insertMeasure(trx, row);
    await audit.record(ctx, trx, {
      actor: auditActorOf(actor), action: "reportMeasure.create", objectType: "reportMeasure", objectId: row.id, organisationId,
      details: { code: row.code, position: row.position },
    });
    return row;
  });
}

/** Names, order and whether handlers can choose it. Switched off, it stays readable on the cases that have it. */
export async function updateMeasure(ctx: Context, actor: Actor, organisationId: string, measureId: string, raw: unknown): Promise<ReportMeasuresTable> {
  requireManage(actor, organisationId);
  return inTransaction(ctx, async (trx) => {
    const before = await repo.findMeasure(trx, organisationId, measureId);
    if (!before) throw new NotFound();
    const input = parseInput(measureUpdateSchema, raw);
    const { patch, changed } = optionChange(before, await repo.listMeasures(trx, organisationId), input, { taken: "reportSettings.measureTaken" });
    await repo.updateMeasure(trx, organisationId, before.id, patch);
    await audit.record(ctx, trx, {
      actor: auditActorOf(actor), action: "reportMeasure.update", objectType: "reportMeasure", objectId: before.id, organisationId,
      details: { code: before.code, changed, active: input.active, position: input.position },
    });
    return { ...before, ...patch };
  });
}
