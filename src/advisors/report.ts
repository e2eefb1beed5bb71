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
import { DomainError, Forbidden, Invalid, NotFound } from "../http/errors.ts";
import { parseInput } from "../http/validation.ts";
import * as orgRepo from "../organisations/repository.ts";
import { today } from "../reports/deadlines.ts";
import { NATURE_PRESET } from "./presets.ts";
import { DEFAULT_THRESHOLD, displayValue, SECONDARY_MARKER, suppress, type ProtectedCell } from "./suppression.ts";
import { ACTIVITY_KINDS, FOLLOW_UPS, FORMS } from "./vocabulary.ts";

// The confidential advisors' yearly report (issue 4; DOMAIN.md §3.2, §3.7): per organisation or per group,
// contacts by nature for five years side by side with the totals of contacts and of people (Rotterdam's
// table), the follow-up and form distributions and the activities of the report year, and the (central)
// advisor's interpretation and recommendations. Coordinators, the secretary and auditors see only these
// aggregates: every query here counts or sums, none returns a contact. ADR 0012 explains the rules below.
//
// Scope: "organisation", or "group" (a samenwerkingsverband). A pool is an advisor's group grant, so the
// report per pool is the report per group. A group report needs advisorStats.view for the whole of every
// member organisation; anything less answers 404, as if the group did not exist.
//
// Aggregation is SQL only (GROUP BY in the database, portable: substr(contact_on, 1, 4) is the year on
// SQLite and PostgreSQL alike), so the cost does not grow with the number of rows sent to Node.
//
// An organisation's report. One contact can carry several natures, so a year's number of contacts is not the
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
// so is that year's number of people, which is close to it (most contacts are one person). The same where the
// total would pin a hidden cell, which the solver (working with the sums) cannot see: every cell is at most the
// total, so a "×" (n or more) under a total of n is n (`pinsHiddenCell`).
//
// Publication closes a year: no contact or activity can be dated in it any more (service.ts, activities.ts), and
// every later report shows that year's column as the first publication showed it (`withPublishedColumns`).
// The distributions are one column each whose total is the year's number of contacts (one form and one
// follow-up per contact), so their rows add up to that number, published in the five-year table. Where
// a distribution's own solve needs its total hidden as a partner (again only when all its non-zero rows
// are small and stuck), that distribution is withheld as a whole (`withheld`: no rows, the page says why)
// rather than hiding a number the other tables show; where the five-year table hides the report year's
// total, both distributions are withheld, since their rows would add up to it.
// Entries the solver reports as derivable (no suppression can protect them) stay hidden and the report
// says so (`unprotectable`).
//
// What a column says about one person. Hiding small counts protects the counts, not what they are about:
// two contacts in a year, both about sexual harassment, show "< 5" there and 0 everywhere else, and whoever
// knows a colleague saw the advisor that year learns what it was about. So a year whose non-zero count sits
// in at most one row, that row hidden, or whose number of contacts is 1..n-1, is withheld as a column: every
// entry of it "×", its zeros and its totals of contacts and people too (`withheldYears`). A distribution whose
// non-zero count sits in one hidden row is withheld as well (and with the report year's column, both are).
//
// A group's report is derived from what its members' reports publish, never from the counts: anyone who may
// open a group report may open each member's, and two reports suppressed each on its own give small counts
// away by difference (the group's 7 minus the member's shown 6). An entry of the group — a nature × year
// cell, a year's total of contacts or people, a distribution's row or total — is the sum of the members'
// entries when every member shows it, and hidden ("×", whatever its size) when any member hides it; a
// member's column or distribution withheld is withheld in the group too. So the group adds nothing to what
// its members publish, and each of its hidden entries includes a member's hidden entry that no reader can pin,
// so none of the group's can be pinned either (ADR 0012 gives the argument). A member's report is the same
// whether or not it belongs to a group. The group's threshold is the lowest of its members': every count it
// shows is 0 or at least that. Activities are not suppressed: they count the advisors' own work (talks,
// workshops), not visitors; a group's are the members' added up.
//
// Publication. The live report changes with every entry (a late one into last year too), and two versions
// side by side show one contact's nature, form and follow-up. So readers who are not the scope's advisors —
// coordinators, the secretary, auditors (advisorStats.view without advisorContact.create) — read only what
// an advisor published for a completed year (`advisor_report_snapshots`: the shown values, never a hidden
// count). Advisors see the live report as a draft. A group's published report is derived from its members'
// published reports (available once each member's is published), with the group's own texts from the
// group's publication.

export type ScopeKind = "organisation" | "group";
export const SCOPE_KINDS = ["organisation", "group"] as const;

/** One published number: `value` is null when it is hidden; `display` is what every output prints. */
export type Figure = { value: number | null; display: string; hidden: "primary" | "secondary" | null };
/** One column and its total; `withheld`: too few contacts to show it safely (no rows, the total hidden). */
export type Distribution = { rows: { code: string; figure: Figure }[]; total: Figure; withheld: boolean };
/** When and by whom (display name) a report was published. */
export type Publication = { at: string; by: string | null };

export type YearlyReport = {
  scope: { type: ScopeKind; id: string; name: string; organisations: { id: string; name: string }[] };
  year: number;
  /** The five years, oldest first: year-4 .. year. */
  years: number[];
  /** Counts from 1 to threshold-1 are never shown (a group: the lowest of its members' thresholds). */
  threshold: number;
  /** One row per nature (code, labels), one figure per year. A contact with two natures counts in both rows. */
  natures: { code: string; labelNl: string; labelEn: string; cells: Figure[] }[];
  /** Per year: distinct contacts, and the sum of people — not sums of the nature rows. */
  totals: { contacts: Figure[]; people: Figure[] };
  followUps: Distribution;
  forms: Distribution;
  activities: { rows: { kind: string; count: number; peopleReached: number }[]; total: { count: number; peopleReached: number } };
  /** Years whose column is hidden whole (zeros and totals too): too few contacts to show what they were about. */
  withheldYears: number[];
  texts: { interpretation: string; recommendations: string; updatedAt: string | null; updatedBy: string | null };
  /** Some hidden entries could be worked out whatever else is hidden; they stay hidden, and outputs say so. */
  unprotectable: boolean;
  /** The publication this report is (or, for a draft, the scope's current publication), null if none. */
  published: Publication | null;
  /** The live report an advisor works on: not what coordinators, the secretary and auditors read. */
  draft: boolean;
  /** For a group: the members whose report over this year is not published yet (names); the group's is not available until then. */
  unpublishedMembers: string[];
  can: { editTexts: boolean; publish: boolean };
  generatedAt: string;
};

export const MIN_YEAR = 2000;
export const currentYear = () => Number(today().slice(0, 4));

/** A report year: 2000 up to and including this year (the check runs at each parse, so it follows the calendar). */
const yearSchema = z.preprocess((v) => (typeof v === "string" && /^\s*\d{4}\s*$/.test(v) ? Number(v) : v),
  z.number({ error: "advisorReport.yearInvalid" }).int({ error: "advisorReport.yearInvalid" })
    .min(MIN_YEAR, { error: "advisorReport.yearInvalid" }).refine((y) => y <= currentYear(), { error: "advisorReport.yearInvalid" }));

const scopeSchema = z.object({
  scope: z.enum(SCOPE_KINDS, { error: "advisorReport.scopeInvalid" }),
  id: z.string({ error: "advisorReport.scopeInvalid" }).trim().min(1, { error: "advisorReport.scopeInvalid" }).max(100, { error: "advisorReport.scopeInvalid" }),
  year: yearSchema,
});
export type ReportScopeInput = z.input<typeof scopeSchema>;

const text = z.string({ error: "field.required" }).max(20_000, { error: "field.tooLong" }).transform((v) => v.replace(/\r\n/g, "\n").trim());
const textsSchema = scopeSchema.extend({ interpretation: text, recommendations: text });

/** A reader who is not the scope's advisor asked for a year nobody published yet (for a group: `missing` names
 *  the members whose report is not published). 404: there is no published report. */
export class NotPublished extends DomainError {
  constructor(readonly scope: YearlyReport["scope"], readonly year: number, readonly missing: string[] = []) {
    super(404, "not_published", "advisorReport.notPublished.title",
      missing.length ? { id: "advisorReport.notPublished.members" } : { year: "advisorReport.notPublished.year" });
    this.params = { year, names: missing.join(", ") };
  }
}

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

/** The threshold of an organisation (default 5); of several, the highest. */
async function thresholdOf(db: Db, organisationIds: string[]): Promise<number> {
  const rows = await db.selectFrom("advisor_settings").select("suppression_threshold").where("organisation_id", "in", organisationIds).execute();
  const found = rows.map((r) => Number(r.suppression_threshold));
  // An organisation without settings uses the default; the solver needs at least 3 (settings.ts enforces it too).
  const t = Math.max(...found, ...(found.length < organisationIds.length ? [DEFAULT_THRESHOLD] : []));
  return Math.max(3, t);
}

// ---- one organisation's report, from the counts -------------------------------------------------------

/** The tables of a report: what an organisation's counts give, what a group derives from its members', and
 *  what a publication stores. */
export type Tables = Pick<YearlyReport, "threshold" | "natures" | "totals" | "followUps" | "forms" | "activities" | "withheldYears" | "unprotectable">;

const figureOf = (c: ProtectedCell, threshold: number): Figure =>
  ({ value: c.shown, display: displayValue(c, threshold), hidden: c.reason });
const shown = (v: number): Figure => ({ value: v, display: String(v), hidden: null });
/** A hidden entry that says nothing about its size: a partner, an entry of a withheld column, a group's entry. */
const HIDDEN: Figure = { value: null, display: SECONDARY_MARKER, hidden: "secondary" };
const withheldDistribution = (): Distribution => ({ rows: [], total: HIDDEN, withheld: true });

/** A published total outside any solved table: hidden as "< n" when 1..n-1. */
const totalFigure = (v: number, threshold: number): Figure =>
  v >= 1 && v < threshold ? { value: null, display: `< ${threshold}`, hidden: "primary" } : shown(v);

/** One distribution of an organisation's report year (follow-up or form), protected; withheld where showing it
 *  would give a count away or say what every contact was (all of its count in one hidden row). */
export function protectDistribution(codes: readonly string[], counts: Map<string, number>, threshold: number): Distribution & { unprotectable: boolean } {
  const all = [...codes, ...[...counts.keys()].filter((c) => !codes.includes(c)).sort()];
  const table = suppress({ cells: all.map((c) => [counts.get(c) ?? 0]), rowTotals: false, columnTotals: true, grandTotal: false, threshold });
  const rows = all.map((code, i) => ({ code, figure: figureOf(table.cells[i]![0]!, threshold) }));
  // All its non-zero count in one hidden row: the distribution says what every contact of the year was.
  const nonZero = table.cells.filter((r) => r[0]!.value > 0);
  const concentrated = nonZero.length === 1 && nonZero[0]![0]!.reason !== null;
  const total = figureOf(table.columnTotals![0]!, threshold);
  if (concentrated || total.hidden === "secondary") return { ...withheldDistribution(), unprotectable: false };
  return { rows, total, withheld: false, unprotectable: table.derivable.length > 0 };
}

const activityTables = (byKind: Map<string, { count: number; peopleReached: number }>): Tables["activities"] => {
  const kinds = [...ACTIVITY_KINDS, ...[...byKind.keys()].filter((k) => !(ACTIVITY_KINDS as readonly string[]).includes(k)).sort()];
  const rows = kinds.map((kind) => ({ kind, ...(byKind.get(kind) ?? { count: 0, peopleReached: 0 }) }));
  return { rows, total: { count: rows.reduce((s, r) => s + r.count, 0), peopleReached: rows.reduce((s, r) => s + r.peopleReached, 0) } };
};

export const fiveYears = (year: number) => [0, 1, 2, 3, 4].map((i) => year - 4 + i);

/** The tables of one organisation's report over `year`, from the live register, every small count protected.
 *  Depends on this organisation only, never on the groups it belongs to. */
async function organisationTables(db: Db, organisation: { id: string }, year: number): Promise<Tables> {
  const years = fiveYears(year);
  const [counts, threshold] = await Promise.all([countReport(db, [organisation.id], year), thresholdOf(db, [organisation.id])]);
  const rows = await natureRows(db, [organisation], new Set(counts.natures.keys()));
  const { tables, unprotectableYears, distributionsUnprotectable } = protectCounts(counts, rows, threshold, years);
  const earlier = await publishedColumns(db, organisation.id, year, years);
  const fixed = withPublishedColumns(tables, years, earlier);
  // The report year's column taken from a later publication: its total still decides the distributions (see the header).
  if (fixed.totals.contacts.at(-1)!.hidden === "secondary") {
    fixed.followUps = withheldDistribution();
    fixed.forms = withheldDistribution();
  }
  fixed.unprotectable = unprotectableYears.some((y) => !earlier.has(y)) || (distributionsUnprotectable && !fixed.followUps.withheld);
  return fixed;
}

export type NatureRow = { code: string; labelNl: string; labelEn: string };

/**
 * Whether a year's number of contacts, shown next to its nature column, would pin a hidden cell to one value. The
 * strictest reader knows "< n" is 1..n-1 and "×" at least n, and that every cell is at most the total (a nature has
 * no more contacts than the year) and the column adds up to at least it (every contact has a nature). The solver
 * works with the column's sum, not with this total, so it cannot see this: three contacts, all about bullying and
 * two of them also about aggression, threshold 3 — bullying "×" (3 or more) under a total of 3 is exactly 3.
 */
export function pinsHiddenCell(column: Figure[], total: number, threshold: number): boolean {
  const shownSum = column.reduce((s, f) => s + (f.value ?? 0), 0);
  const range = (f: Figure): [number, number] => (f.hidden === "primary" ? [1, Math.min(threshold - 1, total)] : [threshold, total]);
  const hidden = column.filter((f) => f.value === null);
  const highs = hidden.reduce((s, f) => s + range(f)[1], 0);
  return hidden.some((f) => {
    const [lo, hi] = range(f);
    return Math.max(lo, total - shownSum - (highs - hi)) >= hi;
  });
}

/**
 * An organisation's published tables from its counts: the nature × year table protected, the real totals of
 * contacts and people, the withheld years, the report year's distributions, the activities. Pure (the property
 * test in test/unit/advisor-report-tables.test.ts reads its output as a reader would). `unprotectableYears`: years
 * with an entry no suppression protects (outside withheld years); `distributionsUnprotectable` likewise.
 */
export function protectCounts(counts: ReportCounts, rows: NatureRow[], threshold: number, years: number[]): {
  tables: Tables; unprotectableYears: number[]; distributionsUnprotectable: boolean;
} {
  const table = suppress({
    cells: rows.map((r) => years.map((y) => counts.natures.get(r.code)?.get(y) ?? 0)),
    rowTotals: false, columnTotals: true, grandTotal: false, threshold,
  });
  // A year whose non-zero count sits in at most one row, that row hidden, or with 1..n-1 contacts: withheld whole.
  const withheld = years.map((y, j) => {
    const total = counts.contacts.get(y) ?? 0;
    const nonZero = table.cells.filter((r) => r[j]!.value > 0);
    return (total >= 1 && total < threshold) || (nonZero.length === 1 && nonZero[0]![j]!.reason !== null);
  });
  const cellFigures = table.cells.map((r) => r.map((c) => figureOf(c, threshold)));
  const contacts = years.map((y, j) => {
    if (withheld[j]) return HIDDEN;
    const published = totalFigure(counts.contacts.get(y) ?? 0, threshold);
    if (published.hidden) return published;
    // Hidden where the solver needed the column sum hidden, and where the total would pin a hidden cell (each cell is
    // at most the total: a "×" equal to it says that every contact of the year was about that).
    return table.columnTotals![j]!.reason === "secondary" || pinsHiddenCell(cellFigures.map((r) => r[j]!), published.value!, threshold) ? HIDDEN : published;
  });
  const people = years.map((y, j) => {
    if (withheld[j]) return HIDDEN;
    const published = totalFigure(counts.people.get(y) ?? 0, threshold);
    return !published.hidden && contacts[j]!.hidden === "secondary" ? HIDDEN : published;
  });
  let followUps = protectDistribution(FOLLOW_UPS, counts.followUps, threshold);
  let forms = protectDistribution(FORMS, counts.forms, threshold);
  // The report year's total is each distribution's total and the sum of its rows (see the header).
  if (contacts.at(-1)!.hidden === "secondary") {
    followUps = { ...withheldDistribution(), unprotectable: false };
    forms = { ...withheldDistribution(), unprotectable: false };
  }
  const unprotectableYears = [...new Set(table.derivable.flatMap((p) => ((p.kind === "cell" || p.kind === "columnTotal") && !withheld[p.column] ? [years[p.column]!] : [])))];
  const tables: Tables = {
    threshold,
    natures: rows.map((r, i) => ({ ...r, cells: cellFigures[i]!.map((f, j) => (withheld[j] ? HIDDEN : f)) })),
    totals: { contacts, people },
    followUps: { rows: followUps.rows, total: followUps.total, withheld: followUps.withheld },
    forms: { rows: forms.rows, total: forms.total, withheld: forms.withheld },
    activities: activityTables(counts.activities),
    withheldYears: years.filter((_, j) => withheld[j]),
    unprotectable: false,
  };
  const distributionsUnprotectable = followUps.unprotectable || forms.unprotectable;
  tables.unprotectable = unprotectableYears.length > 0 || distributionsUnprotectable;
  return { tables, unprotectableYears, distributionsUnprotectable };
}

// ---- columns as they were first published -------------------------------------------------------------

type PublishedColumn = Pick<Stored, "years" | "natures" | "totals" | "withheldYears">;

/**
 * For each of the years, the organisation's report that published that year's column first (a column appears in
 * the reports over its own year and the four after it), other than the report over `year` itself; years no other
 * publication shows are missing. A republication of `year` is thus free in what no other publication shows.
 */
async function publishedColumns(db: Db, organisationId: string, year: number, years: number[]): Promise<Map<number, PublishedColumn>> {
  const rows = await db.selectFrom("advisor_report_snapshots").select(["year", "data", "published_at"])
    .where("scope_type", "=", "organisation").where("scope_id", "=", organisationId)
    .where("year", ">=", years[0]!).where("year", "<=", years.at(-1)! + 4).where("year", "<>", year)
    .orderBy("published_at").orderBy("year").execute();
  const out = new Map<number, PublishedColumn>();
  for (const y of years) {
    const first = rows.find((r) => Number(r.year) >= y && Number(r.year) <= y + 4);
    if (first) out.set(y, JSON.parse(first.data) as Stored);
  }
  return out;
}

/**
 * The report's columns replaced by the same years' columns as already published. A column shown in two reports
 * must be shown the same in both: otherwise the difference between them (a cell hidden in one and shown in the
 * other, a count that moved) gives away what one of them hid, or a late entry. Registering into a published year
 * is refused (`reportPublishedFor`), so the counts no longer move, but the solver's choice of partners (it sees
 * other years), the threshold and the list of natures still may. Every publication takes a column from the one
 * that published it first, so all publications agree on it. Pure.
 */
export function withPublishedColumns(tables: Tables, years: number[], published: Map<number, PublishedColumn>): Tables {
  if (!years.some((y) => published.has(y))) return tables;
  const out: Tables = { ...tables, natures: tables.natures.map((n) => ({ ...n, cells: [...n.cells] })), totals: { contacts: [...tables.totals.contacts], people: [...tables.totals.people] } };
  const withheld = new Set(tables.withheldYears);
  years.forEach((y, j) => {
    const s = published.get(y);
    const k = s ? s.years.indexOf(y) : -1;
    if (!s || k < 0) return;
    // A nature the published report listed and this one does not: its row, 0 in the other years (none counted).
    for (const n of s.natures) {
      if (!out.natures.some((r) => r.code === n.code)) out.natures.push({ code: n.code, labelNl: n.labelNl, labelEn: n.labelEn, cells: years.map(() => ZERO) });
    }
    // A nature the published report did not list had no contact in its five years (it lists every code it counted).
    for (const r of out.natures) r.cells[j] = s.natures.find((n) => n.code === r.code)?.cells[k] ?? ZERO;
    out.totals.contacts[j] = s.totals.contacts[k]!;
    out.totals.people[j] = s.totals.people[k]!;
    if (s.withheldYears.includes(y)) withheld.add(y); else withheld.delete(y);
  });
  out.withheldYears = years.filter((y) => withheld.has(y));
  return out;
}

/** The year of `day` when the yearly report over it is published for the organisation or for a group it is a
 *  member of; null otherwise. A contact or an activity dated in such a year would change, between that report and
 *  the next (which shows the year again), a column readers already have: the difference is the late entry. */
export async function reportPublishedFor(db: Db, organisationId: string, day: string): Promise<number | null> {
  const year = Number(day.slice(0, 4));
  const row = await db.selectFrom("advisor_report_snapshots").select("year").where("year", "=", year)
    .where((eb) => eb.or([
      eb.and([eb("scope_type", "=", "organisation"), eb("scope_id", "=", organisationId)]),
      eb.and([eb("scope_type", "=", "group"), eb("scope_id", "in", eb.selectFrom("organisation_group_members").select("group_id").where("organisation_id", "=", organisationId))]),
    ])).limit(1).executeTakeFirst();
  return row ? year : null;
}

// ---- a group's report, from its members' published tables --------------------------------------------

/** The group's entry: the members' sum when every member shows its entry, else hidden. */
const combined = (figures: Figure[]): Figure =>
  figures.every((f) => f.value !== null) ? shown(figures.reduce((s, f) => s + f.value!, 0)) : HIDDEN;
const ZERO = shown(0);

function combinedDistribution(members: Distribution[]): Distribution {
  if (members.some((d) => d.withheld)) return withheldDistribution();
  const codes = [...new Set(members.flatMap((d) => d.rows.map((r) => r.code)))];
  // A member without a row for a code has none of it: it lists every code it counted.
  const rows = codes.map((code) => ({ code, figure: combined(members.map((d) => d.rows.find((r) => r.code === code)?.figure ?? ZERO)) }));
  const total = combined(members.map((d) => d.total));
  // Defence in depth (members' protection already rules it out): never one hidden row holding all the count.
  const live = rows.filter((r) => r.figure.hidden || r.figure.value! > 0);
  if (live.length === 1 && live[0]!.figure.hidden) return withheldDistribution();
  return { rows, total, withheld: false };
}

/**
 * A group's tables from its members' tables as published — the only input, so that the group can show nothing
 * that its members' reports do not. Pure; also used for published groups (from the members' snapshots).
 */
export function groupTables(members: Tables[], years: number[]): Tables {
  const natures = new Map<string, { code: string; labelNl: string; labelEn: string }>();
  for (const m of members) for (const n of m.natures) if (!natures.has(n.code)) natures.set(n.code, { code: n.code, labelNl: n.labelNl, labelEn: n.labelEn });
  // A member withholds a year: so does the group, whole (its rows there are the member's too).
  const withheld = years.map((y) => members.some((m) => m.withheldYears.includes(y)));
  // A member without a row for a nature counted none of it in these five years (its report lists every code it counted).
  const cellOf = (m: Tables, code: string, j: number) => m.natures.find((n) => n.code === code)?.cells[j] ?? ZERO;
  const rows = [...natures.values()].map((r) => ({ ...r, cells: years.map((_, j) => combined(members.map((m) => cellOf(m, r.code, j)))) }));
  // Defence in depth, as in a member's report: a column whose only non-zero entry is hidden is withheld whole.
  years.forEach((_, j) => {
    const live = rows.filter((r) => r.cells[j]!.hidden || r.cells[j]!.value! > 0);
    if (live.length === 1 && live[0]!.cells[j]!.hidden) withheld[j] = true;
  });
  for (const r of rows) r.cells = r.cells.map((c, j) => (withheld[j] ? HIDDEN : c));
  const contacts = years.map((_, j) => (withheld[j] ? HIDDEN : combined(members.map((m) => m.totals.contacts[j]!))));
  const people = years.map((_, j) => (withheld[j] ? HIDDEN : combined(members.map((m) => m.totals.people[j]!))));
  const reportYearHidden = contacts.at(-1)!.hidden !== null;
  const activities = new Map<string, { count: number; peopleReached: number }>();
  for (const m of members) {
    for (const a of m.activities.rows) {
      const sum = activities.get(a.kind) ?? { count: 0, peopleReached: 0 };
      activities.set(a.kind, { count: sum.count + a.count, peopleReached: sum.peopleReached + a.peopleReached });
    }
  }
  return {
    threshold: Math.min(...members.map((m) => m.threshold)),
    natures: rows,
    totals: { contacts, people },
    followUps: reportYearHidden ? withheldDistribution() : combinedDistribution(members.map((m) => m.followUps)),
    forms: reportYearHidden ? withheldDistribution() : combinedDistribution(members.map((m) => m.forms)),
    activities: activityTables(activities),
    withheldYears: years.filter((_, j) => withheld[j]),
    unprotectable: members.some((m) => m.unprotectable),
  };
}

// ---- the live report (advisors) --------------------------------------------------------------------

const isAdvisorOf = (actor: Actor, scope: ResolvedScope) => coversAll(actor, "advisorContact.create", scope);

/** The live tables of a scope: an organisation's from its counts, a group's from its members' live tables. */
async function liveTables(db: Db, scope: ResolvedScope, year: number): Promise<Tables> {
  if (scope.type === "organisation") return organisationTables(db, scope, year);
  return groupTables(await Promise.all(scope.organisations.map((o) => organisationTables(db, o, year))), fiveYears(year));
}

async function live(ctx: Context, actor: Actor, scope: ResolvedScope, year: number): Promise<YearlyReport> {
  const [tables, texts, state] = await Promise.all([liveTables(ctx.db, scope, year), readTexts(ctx.db, scope, year), publicationState(ctx.db, scope, year)]);
  const editTexts = isAdvisorOf(actor, scope);
  return {
    scope, year, years: fiveYears(year), ...tables, texts,
    published: state.published, draft: true, unpublishedMembers: state.missing,
    can: { editTexts, publish: editTexts && year < currentYear() },
    generatedAt: now(),
  };
}

/**
 * The live report of a scope — a draft, what the scope's advisors work on — with every small count protected.
 * Access: advisorStats.view for the whole scope (404 otherwise). Pages, exports and the API never hand it to a
 * reader who is not an advisor of the whole scope: they call `reportFor`, which gives such readers the
 * published report. (The benchmark measures this computation.)
 */
export async function yearlyReport(ctx: Context, actor: Actor, raw: ReportScopeInput): Promise<YearlyReport> {
  const input = parseInput(scopeSchema, raw);
  const scope = await resolveScope(ctx, actor, input.scope, input.id, "advisorStats.view");
  return live(ctx, actor, scope, input.year);
}

/**
 * The report as this reader may see it: the scope's advisors (advisorContact.create for the whole scope) the
 * live draft; everyone else with advisorStats.view the published report, or NotPublished (404) when there is none.
 */
export async function reportFor(ctx: Context, actor: Actor, raw: ReportScopeInput): Promise<YearlyReport> {
  const input = parseInput(scopeSchema, raw);
  const scope = await resolveScope(ctx, actor, input.scope, input.id, "advisorStats.view");
  if (isAdvisorOf(actor, scope)) return live(ctx, actor, scope, input.year);
  return published(ctx, scope, input.year);
}

// ---- publication ---------------------------------------------------------------------------------------

/** What a publication stores: the report's shown values and texts, nothing about the reader, no hidden count. */
type Stored = Tables & Pick<YearlyReport, "year" | "years" | "texts" | "generatedAt"> & { scope: Pick<YearlyReport["scope"], "type" | "id" | "name"> };
type SnapshotRow = { scope_id: string; data: string; published_at: string; by: string | null };

async function snapshotRows(db: Db, type: ScopeKind, ids: string[], year: number): Promise<Map<string, SnapshotRow>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom("advisor_report_snapshots as s").leftJoin("accounts as a", "a.id", "s.published_by")
    .select(["s.scope_id", "s.data", "s.published_at", "a.display_name as by"])
    .where("s.scope_type", "=", type).where("s.scope_id", "in", ids).where("s.year", "=", year).execute();
  return new Map(rows.map((r) => [r.scope_id, r]));
}

const storedOf = (row: SnapshotRow) => JSON.parse(row.data) as Stored;
const tablesOf = (s: Stored): Tables => ({
  threshold: s.threshold, natures: s.natures, totals: s.totals, followUps: s.followUps, forms: s.forms,
  activities: s.activities, withheldYears: s.withheldYears, unprotectable: s.unprotectable,
});
const publicationOf = (row: SnapshotRow): Publication => ({ at: row.published_at, by: row.by });

type PublicationState = {
  /** The scope's published report as a reader gets it; null when there is none. */
  published: Publication | null;
  /** Group members without a published report over the year (names). */
  missing: string[];
  own: SnapshotRow | undefined;
  members: Stored[];
};

/** An organisation is published when it has a snapshot; a group when each member has one (its own snapshot adds
 *  the group's texts). A group's publication is then the latest of those it is made of. */
async function publicationState(db: Db, scope: ResolvedScope, year: number): Promise<PublicationState> {
  const own = (await snapshotRows(db, scope.type, [scope.id], year)).get(scope.id);
  if (scope.type === "organisation") return { own, missing: [], members: own ? [storedOf(own)] : [], published: own ? publicationOf(own) : null };
  const rows = await snapshotRows(db, "organisation", scope.organisations.map((o) => o.id), year);
  const missing = scope.organisations.filter((o) => !rows.has(o.id)).map((o) => o.name);
  if (missing.length) return { own, missing, members: [], published: null };
  const all = [...scope.organisations.map((o) => rows.get(o.id)!), ...(own ? [own] : [])];
  const latest = all.reduce((a, b) => (b.published_at > a.published_at ? b : a));
  return { own, missing, members: scope.organisations.map((o) => storedOf(rows.get(o.id)!)), published: publicationOf(latest) };
}

const NO_TEXTS: YearlyReport["texts"] = { interpretation: "", recommendations: "", updatedAt: null, updatedBy: null };

/** The published report for a reader who is not the scope's advisor. */
async function published(ctx: Context, scope: ResolvedScope, year: number): Promise<YearlyReport> {
  const state = await publicationState(ctx.db, scope, year);
  if (!state.published) throw new NotPublished(scope, year, state.missing);
  const years = fiveYears(year);
  const own = state.own ? storedOf(state.own) : undefined;
  const tables = scope.type === "organisation" ? tablesOf(own!) : groupTables(state.members.map(tablesOf), years);
  return {
    scope, year, years, ...tables,
    texts: own?.texts ?? NO_TEXTS,
    published: state.published, draft: false, unpublishedMembers: [],
    can: { editTexts: false, publish: false },
    generatedAt: own && scope.type === "organisation" ? own.generatedAt : state.published.at,
  };
}

/**
 * Publish ("vaststellen") the report of a scope over a completed year: an advisor of the whole scope only
 * (403 otherwise), for a year before this one. An organisation's report is taken from the live register; a
 * group's is derived from its members' published reports (each must have one) and carries the group's texts.
 * Publishing again replaces the publication. Audited in the log of every organisation in the scope.
 */
export async function publishReport(ctx: Context, actor: Actor, raw: unknown): Promise<Publication> {
  const input = parseInput(scopeSchema, raw);
  const scope = await resolveScope(ctx, actor, input.scope, input.id, "advisorStats.view");
  if (!isAdvisorOf(actor, scope)) throw new Forbidden();
  if (input.year >= currentYear()) throw new Invalid({ year: "advisorReport.publish.yearOpen" });
  const year = input.year, years = fiveYears(year);
  let tables: Tables;
  if (scope.type === "organisation") tables = await organisationTables(ctx.db, scope, year);
  else {
    const state = await publicationState(ctx.db, scope, year);
    if (state.missing.length) {
      const e = new Invalid({ id: "advisorReport.publish.membersMissing" });
      e.params = { names: state.missing.join(", ") };
      throw e;
    }
    tables = groupTables(state.members.map(tablesOf), years);
  }
  const at = now();
  const stored: Stored = {
    scope: { type: scope.type, id: scope.id, name: scope.name }, year, years, ...tables,
    texts: await readTexts(ctx.db, scope, year), generatedAt: at,
  };
  const data = JSON.stringify(stored);
  await inTransaction(ctx, async (trx) => {
    const before = await trx.selectFrom("advisor_report_snapshots").select("published_at")
      .where("scope_type", "=", scope.type).where("scope_id", "=", scope.id).where("year", "=", year).executeTakeFirst();
    await trx.insertInto("advisor_report_snapshots").values({
      scope_type: scope.type, scope_id: scope.id, year, data, published_by: actor.accountId, published_at: at,
    }).onConflict((oc) => oc.columns(["scope_type", "scope_id", "year"]).doUpdateSet({ data, published_by: actor.accountId, published_at: at })).execute();
    for (const o of scope.organisations) {
      await audit.record(ctx, trx, {
        actor: auditActorOf(actor), action: "advisorReport.publish", objectType: "advisorReport", objectId: `${scope.type}:${scope.id}:${year}`,
        organisationId: o.id, details: { scopeType: scope.type, scopeId: scope.id, year, republished: Boolean(before) },
      });
    }
  });
  return { at, by: actor.displayName };
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
