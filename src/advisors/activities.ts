import { z } from "zod";
import type { Actor } from "../access/actor.ts";
import { auditActorOf } from "../access/actor.ts";
import * as audit from "../audit/service.ts";
import type { Context } from "../context.ts";
import { inTransaction } from "../context.ts";
import { newId, now } from "../crypto/tokens.ts";
import type { AdvisorActivitiesTable } from "../db/schema.ts";
import { Conflict, Forbidden, Invalid, NotFound } from "../http/errors.ts";
import { parseInput } from "../http/validation.ts";
import * as orgRepo from "../organisations/repository.ts";
import { today } from "../reports/deadlines.ts";
import * as repo from "./activities-repository.ts";
import { earliestContactDate, pool, refusePublishedYear } from "./service.ts";
import { ACTIVITY_KINDS, type ActivityKind } from "./vocabulary.ts";

// What a confidential advisor does besides contacts (issue 4): talks in team meetings, workshops, meetings
// with new staff, and the advisor's own intervision and training — a date, an organisation (and perhaps a
// unit), a kind and the number of people reached. No names and no free text: the yearly report counts these.
//
// Correcting a mistake: an activity cannot be edited, but its own advisor can delete it and register it
// again, as long as it lies in the current calendar year. Without that, a typo (500 people instead of 50)
// would stay in the yearly figures for good, and nobody else may touch an advisor's register. Activities of
// earlier years stay as they are, so a yearly report already drawn up does not change under its readers; for
// the same reason an activity is dated as a contact is: not before 1 January of last year, and not in a year
// whose report is published (ADR 0012).

export const PEOPLE_REACHED = { min: 0, max: 100_000 } as const;

const isoDate = z.string({ error: "field.date" }).trim().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "field.date" })
  .refine((v) => !Number.isNaN(Date.parse(v)) && new Date(v).toISOString().slice(0, 10) === v, { error: "field.date" });

/** A whole number from a form field ("12") or JSON (12). */
const count = (min: number, max: number, key: string) => z.preprocess(
  (v) => (typeof v === "string" ? (/^\s*\d{1,6}\s*$/.test(v) ? Number(v.trim()) : Number.NaN) : v),
  z.number({ error: key }).int({ error: key }).min(min, { error: key }).max(max, { error: key }),
);

export const activitySchema = z.object({
  activityOn: isoDate,
  organisationId: z.string({ error: "advisorActivity.organisationRequired" }).trim().min(1, { error: "advisorActivity.organisationRequired" }),
  unitId: z.string().trim().optional().nullable().transform((v) => (v ? v : null)),
  kind: z.enum(ACTIVITY_KINDS, { error: "advisorActivity.kindRequired" }),
  peopleReached: count(PEOPLE_REACHED.min, PEOPLE_REACHED.max, "advisorActivity.peopleInvalid"),
});
export type ActivityInput = z.input<typeof activitySchema>;

/** The advisor's pool, or 403 for anyone who registers no contacts (the routes already ask the same). */
function advisorPool(actor: Actor): string[] {
  const ids = pool(actor);
  if (!ids.length) throw new Forbidden();
  return ids;
}

const yearOf = (date: string) => Number(date.slice(0, 4));
const thisYear = () => yearOf(today());

// ---- the form ----------------------------------------------------------------------------------------

export type ActivityForm = {
  organisations: { id: string; name: string; units: { id: string; name: string; path: string; parent_id: string | null }[] }[];
  today: string;
};

/** What the form offers: the pool's organisations, each with its units. */
export async function activityForm(ctx: Context, actor: Actor): Promise<ActivityForm> {
  const ids = advisorPool(actor);
  const organisations = await orgRepo.listOrganisations(ctx.db, ids);
  const units = await Promise.all(organisations.map((o) => orgRepo.listUnits(ctx.db, o.id)));
  return {
    organisations: organisations.map((o, i) => ({
      id: o.id, name: o.name, units: units[i]!.map((u) => ({ id: u.id, name: u.name, path: u.path, parent_id: u.parent_id })),
    })),
    today: today(),
  };
}

// ---- writing -------------------------------------------------------------------------------------------

/** Registers one activity of the advisor, in an organisation of their pool. */
export async function recordActivity(ctx: Context, actor: Actor, raw: unknown): Promise<AdvisorActivitiesTable> {
  const ids = advisorPool(actor);
  const input = parseInput(activitySchema, raw);
  if (!ids.includes(input.organisationId)) throw new Invalid({ organisationId: "advisorActivity.organisationRequired" });
  if (input.activityOn > today()) throw new Invalid({ activityOn: "advisorActivity.dateInFuture" });
  // The same rules as for contacts (service.ts): not into years long gone, nor into a year whose report is published.
  if (input.activityOn < earliestContactDate()) throw new Invalid({ activityOn: "advisorActivity.dateTooEarly" });
  await refusePublishedYear(ctx.db, input.organisationId, input.activityOn, "activityOn", "advisorActivity.yearPublished");
  if (input.unitId && !(await orgRepo.findUnit(ctx.db, input.organisationId, input.unitId))) throw new Invalid({ unitId: "advisorActivity.unitUnknown" });
  const row: AdvisorActivitiesTable = {
    id: newId(), organisation_id: input.organisationId, unit_id: input.unitId, advisor_account_id: actor.accountId,
    activity_on: input.activityOn, kind: input.kind, people_reached: input.peopleReached, created_at: now(),
  };
  await inTransaction(ctx, async (trx) => {
    await refusePublishedYear(trx, input.organisationId, input.activityOn, "activityOn", "advisorActivity.yearPublished");
    await repo.insertActivity(trx, row);
    // The kind only: where and how many belong to the yearly report, not to the trail.
    await audit.record(ctx, trx, {
      actor: auditActorOf(actor), action: "advisorActivity.create", objectType: "advisorActivity", objectId: row.id,
      organisationId: row.organisation_id, details: { kind: row.kind },
    });
  });
  return row;
}

/** Deletes the advisor's own activity of the current year (to correct a mistake); anyone else's does not exist. */
export async function deleteActivity(ctx: Context, actor: Actor, id: string): Promise<void> {
  const ids = advisorPool(actor);
  const activity = await repo.findOwnActivity(ctx.db, id, actor.accountId);
  if (!activity || !ids.includes(activity.organisation_id)) throw new NotFound();
  if (yearOf(activity.activity_on) !== thisYear()) throw new Conflict("year_closed", "advisorActivity.yearClosed");
  await inTransaction(ctx, async (trx) => {
    if (!(await repo.deleteOwnActivity(trx, id, actor.accountId))) throw new NotFound();
    await audit.record(ctx, trx, {
      actor: auditActorOf(actor), action: "advisorActivity.delete", objectType: "advisorActivity", objectId: id,
      organisationId: activity.organisation_id, details: { kind: activity.kind },
    });
  });
}

// ---- reading -------------------------------------------------------------------------------------------

export type ActivityItem = {
  id: string; activityOn: string; kind: ActivityKind | string; peopleReached: number;
  organisationName: string; unitName: string | null;
  /** Whether the advisor may still delete it (an activity of the current year). */
  canDelete: boolean;
};
export type MyActivities = {
  year: number; currentYear: number; items: ActivityItem[]; peopleReached: number;
  /** The other years with activities (and the current year), newest first, for links. */
  years: number[];
  /** More than one organisation in the pool: the list names each activity's organisation. */
  severalOrganisations: boolean;
};

/** "My activities": the advisor's own activities of one year (default: this year), with the people reached in total. */
export async function listMyActivities(ctx: Context, actor: Actor, year?: number): Promise<MyActivities> {
  const ids = advisorPool(actor);
  const currentYear = thisYear();
  const y = year && Number.isInteger(year) && year >= 2000 && year <= currentYear ? year : currentYear;
  const [rows, years, organisations] = await Promise.all([
    repo.listOwnActivities(ctx.db, actor.accountId, ids, `${y}-01-01`, `${y}-12-31`),
    repo.ownActivityYears(ctx.db, actor.accountId, ids),
    orgRepo.listOrganisations(ctx.db, ids),
  ]);
  const unitIds = [...new Set(rows.map((r) => r.unit_id).filter((u): u is string => !!u))];
  const units = unitIds.length ? await orgRepo.unitNames(ctx.db, unitIds) : [];
  const unitName = new Map(units.map((u) => [u.id, u.name] as const));
  const orgName = new Map(organisations.map((o) => [o.id, o.name] as const));
  return {
    year: y, currentYear,
    items: rows.map((r) => ({
      id: r.id, activityOn: r.activity_on, kind: r.kind, peopleReached: r.people_reached,
      organisationName: orgName.get(r.organisation_id) ?? "", unitName: r.unit_id ? unitName.get(r.unit_id) ?? null : null,
      canDelete: yearOf(r.activity_on) === currentYear,
    })),
    peopleReached: rows.reduce((s, r) => s + r.people_reached, 0),
    years: [...new Set([currentYear, ...years])].sort((a, b) => b - a),
    severalOrganisations: ids.length > 1,
  };
}
