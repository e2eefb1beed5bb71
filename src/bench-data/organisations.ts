// The country of the data set: regions of organisations (nine municipalities and one shared-service
// organisation each), a provider's pool of organisations served by one team of confidential advisors, and per
// organisation a unit tree and its people — the demo's catalogue of clusters, titles and names (demo/generate.ts).
import type { Trx } from "../db/database.ts";
import type { OrganisationsTable, PeopleRowTable, PositionsTable, UnitsTable } from "../db/schema.ts";
import {
  FAMILY_NAMES, GIVEN_NAMES, MUNICIPAL_CLUSTERS, SHARED_SERVICE_CLUSTERS, mailPart, type ClusterSpec,
} from "../demo/generate.ts";
import { searchKey } from "../people/search-key.ts";
import { addDays } from "./calendar.ts";
import { insertRows } from "./bulk.ts";
import { idStream, int, pick, shuffle, spread, stream, weighted } from "./random.ts";
import type { ScaleSpec } from "./scales.ts";

const HEADS = ["Noord", "Zuid", "Oost", "West", "Duin", "Polder", "Maas", "Groen", "Hoog", "Laag", "Beek", "Veen", "Berg",
  "Water", "Linde", "Eiken", "Zand", "Klei", "Heide", "Molen"] as const;
const TAILS = ["rand", "wijk", "oever", "dam", "horst", "veld", "broek", "hoven", "dorp", "meer", "burg", "stein", "zande", "lo",
  "donk", "haven", "kerk", "bergen", "sloot", "waard"] as const;

export type OrgPlan = {
  index: number; id: string; name: string; slug: string; kind: "municipality" | "shared_service";
  regionIndex: number; inPool: boolean; people: number; reports: number; contacts: number;
};
export type GroupPlan = { id: string; name: string; kind: string; organisations: OrgPlan[] };
export type Country = { seed: number; regions: GroupPlan[]; pool: GroupPlan; organisations: OrgPlan[] };

/** Names, sizes and groups of every organisation; no rows yet. */
export function planCountry(spec: ScaleSpec, seed: number): Country {
  const r = stream(seed, "country");
  const ids = idStream(seed, "country");
  const count = spec.regions * spec.organisationsPerRegion;
  const names = shuffle(r, HEADS.flatMap((h) => TAILS.map((t) => h + t)));
  if (count > names.length) throw new Error(`At most ${names.length} organisations`);
  // Sizes differ as municipalities do: a few large ones, many small (a Pareto-like spread, min 0.3, max ~6 × the mean).
  const weights = Array.from({ length: count }, () => Math.min(6, 0.3 + Math.pow(r(), 3) * 8));
  const split = (total: number) => {
    const sum = weights.reduce((a, b) => a + b, 0);
    const parts = weights.map((w) => Math.floor((w / sum) * total));
    let left = total - parts.reduce((a, b) => a + b, 0);
    for (let i = 0; left > 0; i = (i + 1) % count, left--) parts[i]! += 1;
    return parts;
  };
  const people = split(spec.people), reports = split(spec.reports), contacts = split(spec.contacts);
  const organisations: OrgPlan[] = [];
  const regions: GroupPlan[] = [];
  for (let g = 0; g < spec.regions; g++) {
    // A region is called after its first organisation, as the Leidse regio is after Leiden.
    const region: GroupPlan = { id: ids(), name: `Regio ${names[g * spec.organisationsPerRegion]!}`, kind: "region", organisations: [] };
    regions.push(region);
    for (let k = 0; k < spec.organisationsPerRegion; k++) {
      const index = organisations.length;
      const base = names[index]!;
      const shared = k === spec.organisationsPerRegion - 1 && spec.organisationsPerRegion > 2;
      const org: OrgPlan = {
        index, id: ids(), name: shared ? `Werkorganisatie ${base}` : `Gemeente ${base}`, slug: mailPart(base),
        kind: shared ? "shared_service" : "municipality", regionIndex: g, inPool: index < spec.poolSize,
        people: people[index]!, reports: reports[index]!, contacts: contacts[index]!,
      };
      organisations.push(org);
      region.organisations.push(org);
    }
  }
  const pool: GroupPlan = { id: ids(), name: "Vertrouwenspersonen Samen (pool)", kind: "provider", organisations: organisations.filter((o) => o.inPool) };
  return { seed, regions, pool, organisations };
}

export async function writeRegions(trx: Trx, country: Country, day: string): Promise<{ groups: number; organisations: number }> {
  const at = `${day}T06:00:00.000Z`;
  const groups = [...country.regions, country.pool];
  await insertRows(trx, "organisation_groups", groups.map((g) => ({ id: g.id, name: g.name, kind: g.kind, created_at: at })));
  // Sign-in by password alone: the benchmark signs in many times a minute and has no authenticator app.
  await insertRows(trx, "organisations", country.organisations.map((o): OrganisationsTable => ({
    id: o.id, name: o.name, slug: o.slug, kind: o.kind, totp_required: 0, created_at: at, updated_at: at,
  })));
  await insertRows(trx, "organisation_group_members", groups.flatMap((g) => g.organisations.map((o) => ({ group_id: g.id, organisation_id: o.id }))));
  return { groups: groups.length, organisations: country.organisations.length };
}

/** What an organisation got: its units (for cases and contacts) and counts. */
export type OrgMade = { units: number; positions: number; people: number; unitIds: string[] };

/** One organisation's unit tree, positions and people, written in batches. */
export async function writeOrganisation(trx: Trx, country: Country, org: OrgPlan, seed: number, day: string): Promise<OrgMade> {
  const r = stream(seed, "organisation", org.index);
  const newId = idStream(seed, "organisation", org.index);
  const at = `${day}T06:00:00.000Z`;
  const catalogue: readonly ClusterSpec[] = org.kind === "municipality" ? MUNICIPAL_CLUSTERS : SHARED_SERVICE_CLUSTERS;
  const units: UnitsTable[] = [];
  const teams: { unit: UnitsTable; titles: readonly string[] }[] = [];
  const titles = new Set<string>(["Gemeentesecretaris", "Clustermanager", "Afdelingshoofd", "Teamleider", "Integriteitscoördinator", "Vertrouwenspersoon integriteit", "Stagiair"]);
  const unit = (parent: UnitsTable | null, name: string, kind: string) => {
    const id = newId();
    const row: UnitsTable = { id, organisation_id: org.id, parent_id: parent?.id ?? null, name, kind, path: `${parent?.path ?? "/"}${id}/`, created_at: at };
    units.push(row);
    return row;
  };
  // Larger organisations have every cluster and team of the catalogue; small ones fewer teams.
  const teamsPerDepartment = org.people > 1_500 ? 3 : org.people > 400 ? 2 : 1;
  for (const c of catalogue) {
    const cluster = unit(null, c.name, "cluster");
    for (const d of c.departments) {
      const dep = unit(cluster, d.name, "department");
      for (const t of [...d.titles, ...(d.staff ?? [])]) titles.add(t);
      for (const t of d.teams.slice(0, teamsPerDepartment)) teams.push({ unit: unit(dep, t, "team"), titles: d.titles });
    }
  }
  const positionId = new Map<string, string>();
  const positions: PositionsTable[] = [...titles].sort().map((title, i) => {
    const id = newId();
    positionId.set(title, id);
    return { id, organisation_id: org.id, title, code: `B${org.index + 1}-${String(i + 1).padStart(3, "0")}`, created_at: at };
  });

  const people: PeopleRowTable[] = [];
  const usedEmails = new Set<string>();
  let number = 100_000;
  const dayMs = Date.parse(`${day}T00:00:00Z`);
  const person = (unitId: string | null, title: string, managerId: string | null): PeopleRowTable => {
    const given = pick(r, GIVEN_NAMES), family = pick(r, FAMILY_NAMES);
    const base = `${mailPart(given)}.${mailPart(family)}`;
    let local = base;
    for (let n = 2; usedEmails.has(local); n++) local = `${base}${n}`;
    usedEmails.add(local);
    number += int(r, 1, 7);
    const employment = weighted(r, [["employee", 85], ["hired", 10], ["intern", 5]] as const);
    const ageDays = employment === "intern" ? int(r, 10, 300) : employment === "hired" ? int(r, 30, 1_000) : Math.floor(Math.pow(r(), 1.3) * 9_000) + 14;
    const start = new Date(dayMs - ageDays * 86_400_000).toISOString().slice(0, 10);
    const end = employment === "intern" ? addDays(start, int(r, 120, 300)) : employment === "hired" && r() < 0.3 ? addDays(day, int(r, 30, 365)) : null;
    const row: PeopleRowTable = {
      id: newId(), organisation_id: org.id, employee_number: String(number), given_name: given, family_name: family,
      email: `${local}@${org.slug}.example`, unit_id: unitId, position_id: positionId.get(employment === "intern" ? "Stagiair" : title) ?? positionId.get(title) ?? null,
      manager_id: managerId, employment_type: employment, start_date: start, end_date: end, created_at: at, updated_at: at, search_key: null,
    };
    row.search_key = searchKey(row);
    people.push(row);
    return row;
  };
  const head = person(null, "Gemeentesecretaris", null);
  const leaders = teams.map((t) => person(t.unit.id, "Teamleider", head.id));
  const sizes = spread(r, Math.max(0, org.people - people.length), teams.length);
  teams.forEach((t, i) => {
    for (let k = 0; k < sizes[i]!; k++) person(t.unit.id, pick(r, t.titles), leaders[i]!.id);
  });
  await insertRows(trx, "units", units);
  await insertRows(trx, "positions", positions);
  await insertRows(trx, "people", people);
  return { units: units.length, positions: positions.length, people: people.length, unitIds: units.map((u) => u.id) };
}
