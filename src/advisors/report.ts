import { sql } from "kysely";
import { z } from "zod";
import type { Actor } from "../access/actor.ts";
import { auditActorOf, organisationsWith } from "../access/actor.ts";
import type { Permission } from "../access/permissions.ts";
import * as audit from "../audit/service.ts";
import type { Context } from "../context.ts";
import { inTransaction } from "../context.ts";
import { now } from "../crypto/tokens.ts";
import type { Db } from "../db/database.ts";
import { Forbidden, NotFound } from "../http/errors.ts";
import { parseInput } from "../http/validation.ts";
import * as orgRepo from "../organisations/repository.ts";
import { today } from "../reports/deadlines.ts";
import { NATURE_PRESET } from "./presets.ts";
import { DEFAULT_THRESHOLD, displayValue, suppress, type ProtectedCell } from "./suppression.ts";
import { ACTIVITY_KINDS, FOLLOW_UPS, FORMS } from "./vocabulary.ts";

// The confidential advisors' yearly report (issue 4; DOMAIN.md §3.2, §3.7): per organisation or per group,
// contacts by nature for five years side by side with the totals of contacts and of people (Rotterdam's
// table), the follow-up and form distributions and the activities of the report year, and the (central)
// advisor's interpretation and recommendations. Coordinators, the secretary and auditors see only these
// aggregates: every query here counts or sums, none returns a contact.
//
// Scope: "organisation", or "group" (a samenwerkingsverband). A pool is an advisor's group grant, so the
// report per pool is the report per group. A group report needs advisorStats.view for the whole of every
// member organisation; anything less answers 404, as if the group did not exist.
//
// Aggregation is SQL only (GROUP BY in the database, portable: substr(contact_on, 1, 4) is the year on
// SQLite and PostgreSQL alike), so the cost does not grow with the number of rows sent to Node.
//
// Totals and suppression. One contact can carry several natures, so a year's number of contacts is not the
// sum of its column (Rotterdam 2019: 224 contacts, 227 people, more nature ticks than either). We publish
// the real totals — distinct contacts and the sum of people — and protect the nature × year table with the
// suppression solver as if the column sums S were published instead (columnTotals: true, real sums). That
// is conservative: the published total T of distinct contacts satisfies T <= S, so the reader gets an
// inequality (the hidden cells of a year add up to at least T minus the shown ones) where the solver assumed
// an equation; every alternative table the solver guarantees keeps each column sum, so it also satisfies
// the inequality. T also bounds every cell from above (a nature cannot have more contacts than the year);
// a hidden cell that equals T can still step down, since its partner in the column is at least 1 and the
// column sum stays >= T. A published total below the threshold (1..n-1) is itself shown as "< n"
// (primary); zero is shown. Where the solver hides a column sum as a partner (rare: only when every
// non-zero count of that year is small and they cannot cover each other, say five natures of 1 each),
// the total published in its place is hidden too ("×"): it stands where the solver needed a hidden entry;
// so is that year's number of people, which is close to it (most contacts are one person).
// The distributions are one column each whose total is the year's number of contacts (one form and one
// follow-up per contact), so their rows add up to that number, published in the five-year table. Where
// a distribution's own solve needs its total hidden as a partner (again only when all its non-zero rows
// are small and stuck), that distribution is withheld as a whole (`withheld`: no rows, the page says why)
// rather than hiding a number the other tables show; where the five-year table hides the report year's
// total, both distributions are withheld, since their rows would add up to it. Both happen only in a year
// whose counts are all tiny. A total below the threshold needs none of this: it is "< n" everywhere.
// Entries the solver reports as derivable (no suppression can protect them) stay hidden and the report
// says so (`unprotectable`).
// Activities are not suppressed: they count the advisors' own work (talks, workshops), not visitors.

export type ScopeKind = "organisation" | "group";
export const SCOPE_KINDS = ["organisation", "group"] as const;

/** One published number: `value` is null when it is hidden; `display` is what every output prints. */
export type Figure = { value: number | null; display: string; hidden: "primary" | "secondary" | null };
/** One column and its total; `withheld`: too few contacts to show it safely (no rows, the total hidden). */
export type Distribution = { rows: { code: string; figure: Figure }[]; total: Figure; withheld: boolean };

export type YearlyReport = {
  scope: { type: ScopeKind; id: string; name: string; organisations: { id: string; name: string }[] };
  year: number;
  /** The five years, oldest first: year-4 .. year. */
  years: number[];
  threshold: number;
  /** One row per nature (code, labels), one figure per year. A contact with two natures counts in both rows. */
  natures: { code: string; labelNl: string; labelEn: string; cells: Figure[] }[];
  /** Per year: distinct contacts, and the sum of people — not sums of the nature rows. */
  totals: { contacts: Figure[]; people: Figure[] };
  followUps: Distribution;
  forms: Distribution;
  activities: { rows: { kind: string; count: number; peopleReached: number }[]; total: { count: number; peopleReached: number } };
  texts: { interpretation: string; recommendations: string; updatedAt: string | null; updatedBy: string | null };
  /** Some hidden entries could be worked out whatever else is hidden; they stay hidden, and outputs say so. */
  unprotectable: boolean;
  can: { editTexts: boolean };
  generatedAt: string;
};

export const MIN_YEAR = 2000;
export const currentYear = () => Number(today().slice(0, 4));

const scopeSchema = z.object({
  scope: z.enum(SCOPE_KINDS, { error: "advisorReport.scopeInvalid" }),
  id: z.string({ error: "advisorReport.scopeInvalid" }).trim().min(1, { error: "advisorReport.scopeInvalid" }).max(100, { error: "advisorReport.scopeInvalid" }),
  year: z.preprocess((v) => (typeof v === "string" && /^\s*\d{4}\s*$/.test(v) ? Number(v) : v),
    z.number({ error: "advisorReport.yearInvalid" }).int({ error: "advisorReport.yearInvalid" })
      .min(MIN_YEAR, { error: "advisorReport.yearInvalid" }).max(2100, { error: "advisorReport.yearInvalid" })),
});
export type ReportScopeInput = z.input<typeof scopeSchema>;

const text = z.string({ error: "field.required" }).max(20_000, { error: "field.tooLong" }).transform((v) => v.replace(/\r\n/g, "\n").trim());
const textsSchema = scopeSchema.extend({ interpretation: text, recommendations: text });

// ---- access ------------------------------------------------------------------------------------------

type ResolvedScope = YearlyReport["scope"];

/** The scope when the actor holds the permission for the whole of every organisation in it; otherwise 404. */
async function resolveScope(ctx: Context, actor: Actor, type: ScopeKind, id: string, permission: Permission): Promise<ResolvedScope> {
  const whole = organisationsWith(actor, permission).whole;
  if (type === "organisation") {
    const org = whole.has(id) ? await orgRepo.findOrganisation(ctx.db, [id], id) : undefined;
    if (!org) throw new NotFound();
    return { type, id, name: org.name, organisations: [{ id: org.id, name: org.name }] };
  }
  const group = await orgRepo.findGroup(ctx.db, [id], id);
  const members = group ? await orgRepo.groupMembersOf(ctx.db, id) : [];
  if (!group || !members.length || members.some((m) => !whole.has(m.id))) throw new NotFound();
  return { type, id, name: group.name, organisations: members.map((m) => ({ id: m.id, name: m.name })) };
}

const coversAll = (actor: Actor, permission: Permission, scope: ResolvedScope) => {
  const whole = organisationsWith(actor, permission).whole;
  return scope.organisations.every((o) => whole.has(o.id));
};

/** What the actor may choose on the report page: whole organisations, and groups whose every member they cover. */
export async function reportScopes(ctx: Context, actor: Actor): Promise<{ organisations: { id: string; name: string }[]; groups: { id: string; name: string }[] }> {
  const whole = [...organisationsWith(actor, "advisorStats.view").whole];
  if (!whole.length) return { organisations: [], groups: [] };
  const organisations = (await orgRepo.listOrganisations(ctx.db, whole)).map((o) => ({ id: o.id, name: o.name }));
  const rows = await ctx.db.selectFrom("organisation_group_members as m").innerJoin("organisation_groups as g", "g.id", "m.group_id")
    .select(["g.id", "g.name", "m.organisation_id"])
    .where("m.group_id", "in", (eb) => eb.selectFrom("organisation_group_members").select("group_id").where("organisation_id", "in", whole))
    .orderBy("g.name").orderBy("g.id").execute();
  const groups = new Map<string, { id: string; name: string; covered: boolean }>();
  for (const r of rows) {
    const g = groups.get(r.id) ?? { id: r.id, name: r.name, covered: true };
    g.covered &&= whole.includes(r.organisation_id);
    groups.set(r.id, g);
  }
  return { organisations, groups: [...groups.values()].filter((g) => g.covered).map(({ id, name }) => ({ id, name })) };
}

// ---- the counts (SQL only; no access check here: callers check) ----------------------------------------

export type ReportCounts = {
  /** nature code → year → distinct contacts with that nature. */
  natures: Map<string, Map<number, number>>;
  contacts: Map<number, number>;
  people: Map<number, number>;
  followUps: Map<string, number>;
  forms: Map<string, number>;
  activities: Map<string, { count: number; peopleReached: number }>;
};

const n = (v: unknown) => Number(v ?? 0);

/** The five-year table and the report year's distributions, counted by the database for these organisations. */
export async function countReport(db: Db, organisationIds: string[], year: number): Promise<ReportCounts> {
  const from = `${year - 4}-01-01`, to = `${year}-12-31`, yearFrom = `${year}-01-01`;
  // The same literal text in SELECT and GROUP BY (no bound parameters), so PostgreSQL sees one expression.
  const yearOf = sql<string>`substr(${sql.ref("c.contact_on")}, 1, 4)`;
  const contacts = () => db.selectFrom("advisor_contacts as c").where("c.organisation_id", "in", organisationIds);
  const [natureRows, totalRows, followUpRows, formRows, activityRows] = await Promise.all([
    db.selectFrom("advisor_contact_natures as n").innerJoin("advisor_contacts as c", "c.id", "n.contact_id")
      .select((eb) => ["n.code", yearOf.as("year"), eb.fn.count<string | number>("c.id").distinct().as("contacts")])
      .where("c.organisation_id", "in", organisationIds).where("c.contact_on", ">=", from).where("c.contact_on", "<=", to)
      .groupBy(["n.code", yearOf]).execute(),
    contacts().where("c.contact_on", ">=", from).where("c.contact_on", "<=", to)
      .select((eb) => [yearOf.as("year"), eb.fn.countAll<string | number>().as("contacts"), eb.fn.sum<string | number>("c.people").as("people")])
      .groupBy(yearOf).execute(),
    contacts().where("c.contact_on", ">=", yearFrom).where("c.contact_on", "<=", to)
      .select((eb) => ["c.follow_up as code", eb.fn.countAll<string | number>().as("contacts")]).groupBy("c.follow_up").execute(),
    contacts().where("c.contact_on", ">=", yearFrom).where("c.contact_on", "<=", to)
      .select((eb) => ["c.form as code", eb.fn.countAll<string | number>().as("contacts")]).groupBy("c.form").execute(),
    db.selectFrom("advisor_activities as a").where("a.organisation_id", "in", organisationIds)
      .where("a.activity_on", ">=", yearFrom).where("a.activity_on", "<=", to)
      .select((eb) => ["a.kind", eb.fn.countAll<string | number>().as("count"), eb.fn.sum<string | number>("a.people_reached").as("people")])
      .groupBy("a.kind").execute(),
  ]);
  const natures = new Map<string, Map<number, number>>();
  for (const r of natureRows) {
    const byYear = natures.get(r.code) ?? new Map<number, number>();
    byYear.set(Number(r.year), n(r.contacts));
    natures.set(r.code, byYear);
  }
  return {
    natures,
    contacts: new Map(totalRows.map((r) => [Number(r.year), n(r.contacts)])),
    people: new Map(totalRows.map((r) => [Number(r.year), n(r.people)])),
    followUps: new Map(followUpRows.map((r) => [r.code, n(r.contacts)])),
    forms: new Map(formRows.map((r) => [r.code, n(r.contacts)])),
    activities: new Map(activityRows.map((r) => [r.kind, { count: n(r.count), peopleReached: n(r.people) }])),
  };
}

/** The rows of the nature table: the organisations' lists in order (for a group the first organisation's
 *  label wins; natures are matched by code), inactive natures only when they were counted, and codes that
 *  no list knows any more with the preset's label or the code itself. */
async function natureRows(db: Db, organisations: { id: string }[], counted: Set<string>) {
  const ids = organisations.map((o) => o.id);
  const listed = await db.selectFrom("advisor_natures").select(["organisation_id", "code", "label_nl", "label_en", "position", "active"])
    .where("organisation_id", "in", ids).orderBy("position").orderBy("code").execute();
  const rows = new Map<string, { code: string; labelNl: string; labelEn: string }>();
  const active = new Set(listed.filter((r) => Number(r.active) === 1).map((r) => r.code));
  const lists = listed.length ? ids.flatMap((id) => listed.filter((r) => r.organisation_id === id))
    : NATURE_PRESET.map((p) => ({ code: p.code, label_nl: p.nl, label_en: p.en }));
  if (!listed.length) for (const p of NATURE_PRESET) active.add(p.code);
  for (const r of lists) {
    if (rows.has(r.code) || (!active.has(r.code) && !counted.has(r.code))) continue;
    rows.set(r.code, { code: r.code, labelNl: r.label_nl, labelEn: r.label_en || r.label_nl });
  }
  for (const code of [...counted].sort()) {
    if (rows.has(code)) continue;
    const p = NATURE_PRESET.find((x) => x.code === code);
    rows.set(code, { code, labelNl: p?.nl ?? code, labelEn: p?.en ?? code });
  }
  return [...rows.values()];
}

/** The threshold of a scope: the organisation's, for a group the highest of its members' (default 5). */
async function thresholdOf(db: Db, organisationIds: string[]): Promise<number> {
  const rows = await db.selectFrom("advisor_settings").select("suppression_threshold").where("organisation_id", "in", organisationIds).execute();
  const found = rows.map((r) => Number(r.suppression_threshold));
  // An organisation without settings uses the default; the solver needs at least 3 (settings.ts enforces it too).
  const t = Math.max(...found, ...(found.length < organisationIds.length ? [DEFAULT_THRESHOLD] : []));
  return Math.max(3, t);
}

// ---- the report ----------------------------------------------------------------------------------------

const figureOf = (c: ProtectedCell, threshold: number): Figure =>
  ({ value: c.shown, display: displayValue(c, threshold), hidden: c.reason });

/** A published total outside any solved table: hidden as "< n" when 1..n-1. */
const totalFigure = (v: number, threshold: number): Figure =>
  v >= 1 && v < threshold ? { value: null, display: `< ${threshold}`, hidden: "primary" } : { value: v, display: String(v), hidden: null };

function distribution(codes: readonly string[], counts: Map<string, number>, threshold: number): Distribution & { unprotectable: boolean } {
  const all = [...codes, ...[...counts.keys()].filter((c) => !codes.includes(c)).sort()];
  const table = suppress({ cells: all.map((c) => [counts.get(c) ?? 0]), rowTotals: false, columnTotals: true, grandTotal: false, threshold });
  const total = figureOf(table.columnTotals![0]!, threshold);
  return {
    rows: all.map((code, i) => ({ code, figure: figureOf(table.cells[i]![0]!, threshold) })),
    total, withheld: false, unprotectable: table.derivable.length > 0,
  };
}

/** The yearly report of an organisation or a group, with every small count protected; see the header. */
export async function yearlyReport(ctx: Context, actor: Actor, raw: ReportScopeInput): Promise<YearlyReport> {
  const input = parseInput(scopeSchema, raw);
  const scope = await resolveScope(ctx, actor, input.scope, input.id, "advisorStats.view");
  const ids = scope.organisations.map((o) => o.id);
  const year = input.year;
  const years = [0, 1, 2, 3, 4].map((i) => year - 4 + i);
  const [counts, threshold, texts] = await Promise.all([countReport(ctx.db, ids, year), thresholdOf(ctx.db, ids), readTexts(ctx.db, scope, year)]);
  const rows = await natureRows(ctx.db, scope.organisations, new Set(counts.natures.keys()));

  const table = suppress({
    cells: rows.map((r) => years.map((y) => counts.natures.get(r.code)?.get(y) ?? 0)),
    rowTotals: false, columnTotals: true, grandTotal: false, threshold,
  });
  const followUps = distribution(FOLLOW_UPS, counts.followUps, threshold);
  const forms = distribution(FORMS, counts.forms, threshold);
  const secondary: Figure = { value: null, display: displayValue({ value: 0, shown: null, reason: "secondary" }, threshold), hidden: "secondary" };
  const contacts = years.map((y, i) => {
    const published = totalFigure(counts.contacts.get(y) ?? 0, threshold);
    return !published.hidden && table.columnTotals![i]!.reason === "secondary" ? secondary : published;
  });
  // The report year's total is each distribution's total and the sum of its rows (see the header).
  const reportYearHidden = contacts.at(-1)!.hidden === "secondary";
  for (const d of [followUps, forms]) {
    if (reportYearHidden || d.total.hidden === "secondary") Object.assign(d, { rows: [], total: secondary, withheld: true });
  }
  const people = years.map((y, i) => {
    const published = totalFigure(counts.people.get(y) ?? 0, threshold);
    return !published.hidden && contacts[i]!.hidden === "secondary" ? secondary : published;
  });

  const kinds = [...ACTIVITY_KINDS, ...[...counts.activities.keys()].filter((k) => !(ACTIVITY_KINDS as readonly string[]).includes(k)).sort()];
  const activityRows = kinds.map((kind) => ({ kind, ...(counts.activities.get(kind) ?? { count: 0, peopleReached: 0 }) }));

  return {
    scope, year, years, threshold,
    natures: rows.map((r, i) => ({ ...r, cells: table.cells[i]!.map((c) => figureOf(c, threshold)) })),
    totals: { contacts, people },
    followUps: { rows: followUps.rows, total: followUps.total, withheld: followUps.withheld },
    forms: { rows: forms.rows, total: forms.total, withheld: forms.withheld },
    activities: {
      rows: activityRows,
      total: { count: activityRows.reduce((s, r) => s + r.count, 0), peopleReached: activityRows.reduce((s, r) => s + r.peopleReached, 0) },
    },
    texts,
    unprotectable: table.derivable.length > 0 || followUps.unprotectable || forms.unprotectable,
    can: { editTexts: coversAll(actor, "advisorContact.create", scope) },
    generatedAt: now(),
  };
}

// ---- the advisor's texts -----------------------------------------------------------------------------

async function readTexts(db: Db, scope: ResolvedScope, year: number): Promise<YearlyReport["texts"]> {
  const row = await db.selectFrom("advisor_report_texts as t").leftJoin("accounts as a", "a.id", "t.updated_by")
    .select(["t.interpretation", "t.recommendations", "t.updated_at", "a.display_name"])
    .where("t.scope_type", "=", scope.type).where("t.scope_id", "=", scope.id).where("t.year", "=", year).executeTakeFirst();
  return { interpretation: row?.interpretation ?? "", recommendations: row?.recommendations ?? "", updatedAt: row?.updated_at ?? null, updatedBy: row?.display_name ?? null };
}

/** The (central) advisor's interpretation and recommendations for a scope and year. Only an advisor of the
 *  whole scope writes them (advisorContact.create); others who may read the report get 403. */
export async function saveReportTexts(ctx: Context, actor: Actor, raw: unknown): Promise<void> {
  const input = parseInput(textsSchema, raw);
  const scope = await resolveScope(ctx, actor, input.scope, input.id, "advisorStats.view");
  if (!coversAll(actor, "advisorContact.create", scope)) throw new Forbidden();
  const at = now();
  await inTransaction(ctx, async (trx) => {
    await trx.insertInto("advisor_report_texts").values({
      scope_type: scope.type, scope_id: scope.id, year: input.year, interpretation: input.interpretation,
      recommendations: input.recommendations, updated_by: actor.accountId, updated_at: at,
    }).onConflict((oc) => oc.columns(["scope_type", "scope_id", "year"]).doUpdateSet({
      interpretation: input.interpretation, recommendations: input.recommendations, updated_by: actor.accountId, updated_at: at,
    })).execute();
    // The texts are published with the report; the trail records who changed them, not what they say. A group's
    // texts are recorded in the log of each member organisation, so every member's auditor sees the change.
    for (const o of scope.organisations) {
      await audit.record(ctx, trx, {
        actor: auditActorOf(actor), action: "advisorReport.texts", objectType: "advisorReport", objectId: `${scope.type}:${scope.id}:${input.year}`,
        organisationId: o.id, details: { scopeType: scope.type, scopeId: scope.id, year: input.year },
      });
    }
  });
}
