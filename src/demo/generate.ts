// The demo region as plain rows, built from a seed. Pure: no database, no clock, no secrets. The
// same seed, id factory and reference date give the same rows, so the demo looks alike everywhere.
import type { Role } from "../access/permissions.ts";
import type { ScopeType } from "../access/actor.ts";
import type {
  OrganisationGroupMembersTable, OrganisationGroupsTable, OrganisationsTable, PeopleTable, PositionsTable, UnitsTable,
} from "../db/schema.ts";

export const DEMO_SEED = 20_240_917;
export const DEMO_GROUP_NAME = "Regio Groenhart";

/** A small, fast, well-mixed 32-bit PRNG; plenty for demo data. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export type Rng = () => number;
export const int = (r: Rng, min: number, max: number) => min + Math.floor(r() * (max - min + 1));
export const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
export function shuffle<T>(r: Rng, xs: readonly T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

// ---- catalogue ---------------------------------------------------------------------------------

export type DepartmentSpec = { name: string; required?: boolean; teams: readonly string[]; titles: readonly string[]; staff?: readonly string[] };
export type ClusterSpec = { name: string; required?: boolean; departments: readonly DepartmentSpec[] };

export const MUNICIPAL_CLUSTERS: readonly ClusterSpec[] = [
  { name: "Cluster Ruimte", departments: [
    { name: "Afdeling Vergunningen, Toezicht en Handhaving", teams: ["Team Vergunningen", "Team Toezicht bouw", "Team Handhaving"],
      titles: ["Vergunningverlener", "Toezichthouder bouw", "Handhaver (boa)", "Jurist"] },
    { name: "Afdeling Ruimtelijke Ontwikkeling", teams: ["Team Ruimtelijke Ordening", "Team Projecten", "Team Wonen"],
      titles: ["Beleidsmedewerker ruimtelijke ordening", "Projectleider", "Stedenbouwkundige"] },
    { name: "Afdeling Openbare Ruimte", teams: ["Team Beheer", "Team Uitvoering", "Team Verkeer"],
      titles: ["Medewerker openbare ruimte", "Opzichter", "Beleidsmedewerker verkeer"] },
    { name: "Afdeling Vastgoed en Grondzaken", teams: ["Team Vastgoed", "Team Grondzaken"],
      titles: ["Adviseur vastgoed", "Jurist", "Projectleider"] },
  ] },
  { name: "Cluster Samenleving", departments: [
    { name: "Afdeling Sociaal Domein", teams: ["Team Wmo", "Team Jeugd", "Team Beleid"],
      titles: ["Consulent Wmo", "Beleidsmedewerker sociaal domein", "Jeugdconsulent"] },
    { name: "Afdeling Werk en Inkomen", teams: ["Team Participatie", "Team Inkomen", "Team Handhaving en Fraude"],
      titles: ["Consulent werk en inkomen", "Sociaal rechercheur", "Medewerker schuldhulpverlening"] },
    { name: "Afdeling Onderwijs, Sport en Cultuur", teams: ["Team Onderwijs", "Team Sport en Cultuur"],
      titles: ["Beleidsmedewerker onderwijs", "Subsidieadviseur"] },
    { name: "Afdeling Veiligheid", teams: ["Team Openbare Orde", "Team Crisisbeheersing"],
      titles: ["Adviseur openbare orde en veiligheid", "Handhaver (boa)"] },
  ] },
  { name: "Cluster Bedrijfsvoering", required: true, departments: [
    { name: "Afdeling HR", required: true, teams: ["Team HR-advies", "Team Personeels- en Salarisadministratie"],
      titles: ["HR-adviseur", "Salarisadministrateur"] },
    { name: "Afdeling Financiën", required: true, teams: ["Team Control", "Team Financiële Administratie", "Team Belastingen"],
      titles: ["Financieel adviseur", "Medewerker financiële administratie", "Medewerker belastingen"], staff: ["Concerncontroller"] },
    { name: "Afdeling ICT", required: true, teams: ["Team Servicedesk", "Team Applicatiebeheer", "Team Informatiebeveiliging"],
      titles: ["Functioneel beheerder", "Medewerker servicedesk", "Informatiebeveiligingsadviseur"] },
    { name: "Afdeling Bestuurs- en Concernzaken", required: true, teams: ["Team Juridische Zaken", "Team Inkoop", "Team Bestuursondersteuning"],
      titles: ["Jurist", "Inkoopadviseur", "Bestuursadviseur"], staff: ["Integriteitscoördinator", "Managementassistent"] },
  ] },
  { name: "Cluster Dienstverlening", departments: [
    { name: "Afdeling Burgerzaken", teams: ["Team Publiekszaken", "Team Basisregistratie Personen", "Team Burgerlijke Stand"],
      titles: ["Medewerker burgerzaken", "Medewerker publiekszaken"] },
    { name: "Afdeling Klantcontact", teams: ["Team Klantcontactcentrum", "Team Digitale Dienstverlening"],
      titles: ["Medewerker klantcontactcentrum", "Medewerker publiekszaken"] },
    { name: "Afdeling Informatiebeheer", teams: ["Team Documentaire Informatievoorziening", "Team Archief"],
      titles: ["Documentair informatiebeheerder"] },
  ] },
];

export const SHARED_SERVICE_CLUSTERS: readonly ClusterSpec[] = [
  { name: "Cluster Bedrijfsvoering", required: true, departments: [
    { name: "Afdeling HR", required: true, teams: ["Team HR-advies", "Team Salarisadministratie", "Team Opleiding en Ontwikkeling"],
      titles: ["HR-adviseur", "Salarisadministrateur"] },
    { name: "Afdeling Financiën", required: true, teams: ["Team Control", "Team Financiële Administratie"],
      titles: ["Financieel adviseur", "Medewerker financiële administratie"], staff: ["Concerncontroller"] },
    { name: "Afdeling Inkoop en Juridische Zaken", required: true, teams: ["Team Inkoop", "Team Juridische Zaken"],
      titles: ["Inkoopadviseur", "Jurist"], staff: ["Integriteitscoördinator", "Managementassistent"] },
  ] },
  { name: "Cluster Informatievoorziening", required: true, departments: [
    { name: "Afdeling ICT", required: true, teams: ["Team Servicedesk", "Team Infrastructuur", "Team Applicatiebeheer"],
      titles: ["Functioneel beheerder", "Medewerker servicedesk", "Informatiebeveiligingsadviseur"] },
    { name: "Afdeling Informatiebeheer", teams: ["Team Documentaire Informatievoorziening", "Team Archief"],
      titles: ["Documentair informatiebeheerder"] },
    { name: "Afdeling Gegevensbeheer", teams: ["Team Basisregistraties", "Team Data en Analyse"],
      titles: ["Gegevensbeheerder", "Data-analist"] },
  ] },
  { name: "Cluster Dienstverlening", departments: [
    { name: "Afdeling Belastingen", teams: ["Team Heffen en Invorderen", "Team WOZ"],
      titles: ["Medewerker belastingen", "Taxateur WOZ"] },
    { name: "Afdeling Klantcontact", teams: ["Team Klantcontactcentrum", "Team Digitale Dienstverlening"],
      titles: ["Medewerker klantcontactcentrum"] },
  ] },
];

export const LEADER_TITLES = ["Gemeentesecretaris", "Directeur werkorganisatie", "Clustermanager", "Afdelingshoofd", "Teamleider"] as const;
const EXTRA_TITLES = ["Vertrouwenspersoon integriteit", "Stagiair"] as const;

export const GIVEN_NAMES = [
  "Anna", "Sanne", "Lotte", "Emma", "Fleur", "Iris", "Lisa", "Eva", "Femke", "Marieke", "Anouk", "Esther", "Ingrid", "Karin",
  "Linda", "Monique", "Petra", "Sandra", "Wendy", "Yvonne", "Nicole", "Saskia", "Mirjam", "Hanneke", "Judith", "Annemarie",
  "Ilse", "Noor", "Sophie", "Julia", "Fatima", "Samira", "Yasmina", "Naima", "Ayşe", "Elif", "Priya", "Chantal", "Astrid",
  "Jan", "Pieter", "Kees", "Bram", "Daan", "Thijs", "Lars", "Ruben", "Sander", "Jeroen", "Martijn", "Bas", "Erik", "Frank",
  "Gerard", "Henk", "Joost", "Koen", "Marco", "Niels", "Paul", "Rob", "Stefan", "Tom", "Wouter", "Dirk", "Hans", "Arjen",
  "Mohamed", "Youssef", "Ahmed", "Mehmet", "Emre", "Rachid", "Kevin", "Jesse", "Sem", "Luuk", "Gijs", "Maarten", "René",
  "Michiel", "Vincent", "Jasper", "Roel", "Hüseyin", "Sjoerd",
] as const;

export const FAMILY_NAMES = [
  "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Vos", "Peters", "Hendriks", "Dekker", "Brouwer",
  "Dijkstra", "Kok", "Jacobs", "Vermeulen", "Willems", "Schouten", "Hoekstra", "Koster", "Prins", "Huisman", "Kuipers",
  "Postma", "Peeters", "Verhoeven", "Kramer", "Timmermans", "Groen", "Sluiter", "Wouters", "Maas", "Verbeek", "Lammers",
  "Claassen", "Hoogendoorn", "Koopman", "Zwart", "Scholten", "Willemsen", "Boer", "Bulut", "Yılmaz", "El Amrani",
  "Bouzid", "Öztürk", "Pinas", "Ramdin", "Tromp", "Nijhuis",
  "van Dijk", "de Jong", "de Vries", "van den Berg", "van der Meer", "de Boer", "van Leeuwen", "de Graaf", "van der Linden",
  "van Beek", "de Wit", "van der Heijden", "de Haan", "van Vliet", "de Groot", "van Wijk", "van Dam", "van der Wal",
  "van Rijn", "de Bruijn", "van Os", "ter Horst", "van 't Hof", "den Hartog", "van Es", "in 't Veld", "de Lange", "van Zanten",
] as const;

// ---- output types -----------------------------------------------------------------------------

export type DemoGrant = { role: Role; scopeType: ScopeType; scopeId: string; organisationId: string | null };
export type DemoAccount = {
  id: string; email: string; displayName: string; personId: string | null;
  /** The organisation (or the group) the account is shown under. */
  organisationName: string;
  grants: DemoGrant[];
};
export type DemoData = {
  group: OrganisationGroupsTable;
  groupMembers: OrganisationGroupMembersTable[];
  organisations: OrganisationsTable[];
  units: UnitsTable[];
  positions: PositionsTable[];
  people: PeopleTable[];
  accounts: DemoAccount[];
};

export type GenerateOptions = {
  seed?: number;
  /** Where ids come from: crypto.randomUUID in the loader, something predictable in a test. */
  newId: () => string;
  /** The timestamp written into created_at / updated_at. */
  at: string;
  /** The reference date for start and end dates (YYYY-MM-DD). */
  today: string;
  /** People in the whole region; spread over the organisations. */
  totalPeople?: number;
};

type OrgSpec = { name: string; slug: string; kind: "municipality" | "shared_service"; share: number; clusters: readonly ClusterSpec[] };
export const DEMO_ORGANISATIONS: readonly OrgSpec[] = [
  { name: "Gemeente Duinrand", slug: "duinrand", kind: "municipality", share: 0.29, clusters: MUNICIPAL_CLUSTERS },
  { name: "Gemeente Polderwijk", slug: "polderwijk", kind: "municipality", share: 0.25, clusters: MUNICIPAL_CLUSTERS },
  { name: "Gemeente Maasoever", slug: "maasoever", kind: "municipality", share: 0.22, clusters: MUNICIPAL_CLUSTERS },
  { name: "Werkorganisatie Groenhart", slug: "groenhart", kind: "shared_service", share: 0.24, clusters: SHARED_SERVICE_CLUSTERS },
];
export const DEMO_SLUGS = DEMO_ORGANISATIONS.map((o) => o.slug);

/** The demo accounts' addresses, known before generation so a second run can be refused up front. */
export const DEMO_ACCOUNT_EMAILS = {
  employee: "medewerker@duinrand.example",
  manager: "leidinggevende@duinrand.example",
  advisor: "vertrouwenspersoon@duinrand.example",
  coordinator: "integriteit@duinrand.example",
  investigator: "onderzoeker@duinrand.example",
  secretary: "gemeentesecretaris@duinrand.example",
  hr: "hr@duinrand.example",
  admin: "beheerder@duinrand.example",
  auditor: "controleur@duinrand.example",
} as const satisfies Record<Role, string>;
/** Accounts with a grant on the demo group: a regional administrator and coordinator, and an advisors' pool of
 *  one — a confidential advisor who serves every organisation of the region (a group grant is a pool). */
export const DEMO_GROUP_ACCOUNT_EMAILS = {
  admin: "regio.beheerder@groenhart.example",
  coordinator: "regio.integriteit@groenhart.example",
  advisor: "regio.vertrouwenspersoon@groenhart.example",
} as const;
export const ALL_DEMO_EMAILS: string[] = [...Object.values(DEMO_ACCOUNT_EMAILS), ...Object.values(DEMO_GROUP_ACCOUNT_EMAILS)];

// ---- helpers ------------------------------------------------------------------------------------

/** "van der Meer" → "vandermeer", "Ayşe" → "ayse": the local part of an address. */
export function mailPart(s: string): string {
  return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/ı/g, "i").toLowerCase().replace(/[^a-z0-9]+/g, "");
}

const DAY = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

type Slot = { unit: UnitsTable; title: string; managerId: string | null; leader: boolean };

// ---- the generator ------------------------------------------------------------------------------

export function generateDemo(opts: GenerateOptions): DemoData {
  const r = mulberry32(opts.seed ?? DEMO_SEED);
  const { at, newId } = opts;
  const todayMs = Date.parse(`${opts.today}T00:00:00Z`);
  if (Number.isNaN(todayMs)) throw new Error(`Not a date: ${opts.today}`);
  const total = opts.totalPeople ?? 600;

  const group: OrganisationGroupsTable = { id: newId(), name: DEMO_GROUP_NAME, kind: "region", created_at: at };
  const organisations: OrganisationsTable[] = [];
  const groupMembers: OrganisationGroupMembersTable[] = [];
  const units: UnitsTable[] = [];
  const positions: PositionsTable[] = [];
  const people: PeopleTable[] = [];
  const accounts: DemoAccount[] = [];

  // Remainders go to the first organisation so the total is exact.
  const sizes = DEMO_ORGANISATIONS.map((o) => Math.floor(total * o.share));
  sizes[0]! += total - sizes.reduce((a, b) => a + b, 0);

  const orgPeople = new Map<string, PeopleTable[]>();
  const titleOf = new Map<string, string>(); // person id → position title
  const departmentsOf = new Map<string, UnitsTable[]>();

  DEMO_ORGANISATIONS.forEach((spec, orgIndex) => {
    const org: OrganisationsTable = {
      id: newId(), name: spec.name, slug: spec.slug, kind: spec.kind, totp_required: 1, created_at: at, updated_at: at,
    };
    organisations.push(org);
    groupMembers.push({ group_id: group.id, organisation_id: org.id });

    // Unit tree: 2–4 clusters → 2–4 departments → 1–3 teams. Required parts are always there.
    const clusterCount = Math.min(spec.clusters.length, int(r, 2, 4));
    const clusters = chooseWithRequired(r, spec.clusters, clusterCount);
    const plan: { cluster: UnitsTable; departments: { unit: UnitsTable; spec: DepartmentSpec; teams: UnitsTable[] }[] }[] = [];
    for (const c of clusters) {
      const cluster = unit(org.id, null, c.name, "cluster");
      const depCount = Math.min(c.departments.length, int(r, 2, 4));
      const deps = chooseWithRequired(r, c.departments, depCount).map((d) => {
        const dep = unit(org.id, cluster, d.name, "department");
        const teams = d.teams.slice(0, Math.min(d.teams.length, int(r, 1, 3))).map((t) => unit(org.id, dep, t, "team"));
        return { unit: dep, spec: d, teams };
      });
      plan.push({ cluster, departments: deps });
    }
    departmentsOf.set(org.id, plan.flatMap((p) => p.departments.map((d) => d.unit)));

    // Positions: the titles of the departments this organisation has, plus the leaders and a few general ones.
    const titles = new Set<string>();
    const top = spec.kind === "municipality" ? "Gemeentesecretaris" : "Directeur werkorganisatie";
    for (const t of LEADER_TITLES) if (t === top || !["Gemeentesecretaris", "Directeur werkorganisatie"].includes(t)) titles.add(t);
    for (const p of plan) for (const d of p.departments) for (const t of [...d.spec.titles, ...(d.spec.staff ?? [])]) titles.add(t);
    for (const t of EXTRA_TITLES) titles.add(t);
    const positionId = new Map<string, string>();
    [...titles].sort((a, b) => a.localeCompare(b, "nl")).forEach((title, i) => {
      const id = newId();
      positionId.set(title, id);
      positions.push({ id, organisation_id: org.id, title, code: `F${String(orgIndex + 1)}${String(i + 1).padStart(3, "0")}`, created_at: at });
    });

    // Slots in tree order, so every manager is created (and inserted) before their reports.
    const list: PeopleTable[] = [];
    orgPeople.set(org.id, list);
    const usedEmails = new Set<string>();
    let employeeNumber = 10_000 + int(r, 0, 900);
    const person = (slot: Omit<Slot, "unit"> & { unit: UnitsTable | null }): PeopleTable => {
      const given = pick(r, GIVEN_NAMES);
      const family = pick(r, FAMILY_NAMES);
      const base = `${mailPart(given)}.${mailPart(family)}`;
      let local = base;
      for (let n = 2; usedEmails.has(local); n++) local = `${base}${n}`;
      usedEmails.add(local);
      employeeNumber += int(r, 1, 9);
      const roll = r();
      const employment = slot.leader || slot.title === "Integriteitscoördinator" ? "employee"
        : slot.title === "Stagiair" ? "intern" : roll < 0.85 ? "employee" : roll < 0.95 ? "hired" : "intern";
      const title = employment === "intern" ? "Stagiair" : slot.title;
      // Start dates over 25 years; leaders have been around longer, hired staff and interns are recent.
      const ageDays = employment === "intern" ? int(r, 10, 300) : employment === "hired" ? int(r, 30, 3 * 365)
        : slot.leader ? int(r, 3 * 365, 25 * 365) : Math.floor(Math.pow(r(), 1.3) * 25 * 365) + 14;
      const start = todayMs - ageDays * DAY;
      let end: string | null = null;
      if (employment === "intern") end = isoDate(start + int(r, 120, 300) * DAY); // an internship runs a few months
      else if (employment === "hired" && r() < 0.3) end = isoDate(todayMs + int(r, 30, 365) * DAY); // contract end
      else if (!slot.leader && r() < 0.02) end = isoDate(todayMs - int(r, 10, 400) * DAY); // left the organisation
      const row: PeopleTable = {
        id: newId(), organisation_id: org.id, employee_number: String(employeeNumber), given_name: given, family_name: family,
        email: `${local}@${spec.slug}.example`, unit_id: slot.unit?.id ?? null, position_id: positionId.get(title) ?? null,
        manager_id: slot.managerId, employment_type: employment, start_date: isoDate(start), end_date: end, created_at: at, updated_at: at,
      };
      list.push(row);
      titleOf.set(row.id, title);
      return row;
    };

    // The secretary (or director) stands above the clusters and belongs to no unit.
    const head = person({ unit: null, title: top, managerId: null, leader: true });
    const teamSlots: { team: UnitsTable; leader: PeopleTable; titles: readonly string[] }[] = [];
    for (const p of plan) {
      const cm = person({ unit: p.cluster, title: "Clustermanager", managerId: head.id, leader: true });
      for (const d of p.departments) {
        const dh = person({ unit: d.unit, title: "Afdelingshoofd", managerId: cm.id, leader: true });
        for (const s of d.spec.staff ?? []) person({ unit: d.unit, title: s, managerId: dh.id, leader: false });
        for (const t of d.teams) {
          const tl = person({ unit: t, title: "Teamleider", managerId: dh.id, leader: true });
          teamSlots.push({ team: t, leader: tl, titles: d.spec.titles });
        }
      }
    }
    // The rest of the organisation's people fill the teams, with teams of different sizes.
    const remaining = Math.max(0, sizes[orgIndex]! - list.length);
    const weights = teamSlots.map(() => 0.5 + r());
    const sum = weights.reduce((a, b) => a + b, 0);
    const exact = weights.map((w) => (w / sum) * remaining);
    const counts = exact.map(Math.floor);
    let left = remaining - counts.reduce((a, b) => a + b, 0);
    for (const i of exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0]).map(([, i]) => i)) {
      if (left-- <= 0) break;
      counts[i]! += 1;
    }
    teamSlots.forEach((slot, i) => {
      for (let k = 0; k < counts[i]!; k++) {
        // The first member of a team has the team's main title; the rest vary.
        const title = k === 0 ? slot.titles[0]! : pick(r, slot.titles);
        person({ unit: slot.team, title, managerId: slot.leader.id, leader: false });
      }
    });
    // One internal confidential advisor per organisation: an experienced employee with a second hat.
    const candidates = list.filter((p) => !isLeaderTitle(titleOf.get(p.id)!) && p.employment_type === "employee" && !p.end_date
      && titleOf.get(p.id) !== "Integriteitscoördinator");
    const vp = pick(r, candidates);
    vp.position_id = positionId.get("Vertrouwenspersoon integriteit")!;
    titleOf.set(vp.id, "Vertrouwenspersoon integriteit");
  });

  // ---- accounts: one per role in Duinrand, and three regional ones on the group ----------------
  const duinrand = organisations[0]!;
  const regional = organisations[3]!;
  const pd = orgPeople.get(duinrand.id)!;
  const pr = orgPeople.get(regional.id)!;
  const used = new Set<string>();
  const find = (list: PeopleTable[], title: string) => {
    const p = list.find((x) => titleOf.get(x.id) === title && !x.end_date && !used.has(x.id));
    if (p) used.add(p.id);
    return p ?? null;
  };
  const fullName = (p: PeopleTable) => `${p.given_name} ${p.family_name}`;
  const orgGrant = (role: Role): DemoGrant => ({ role, scopeType: "organisation", scopeId: duinrand.id, organisationId: duinrand.id });

  const secretary = find(pd, "Gemeentesecretaris");
  const coordinator = find(pd, "Integriteitscoördinator");
  const advisor = find(pd, "Vertrouwenspersoon integriteit");
  const hr = find(pd, "HR-adviseur");
  const admin = find(pd, "Functioneel beheerder");
  const auditor = find(pd, "Concerncontroller");
  const investigator = find(pd, "Jurist");
  // The manager heads a department, and is granted on that department's subtree.
  const departments = departmentsOf.get(duinrand.id)!;
  const managed = departments.find((d) => d.name === "Afdeling Burgerzaken") ?? departments.find((d) => d.name !== "Afdeling HR") ?? departments[0]!;
  const manager = pd.find((p) => p.unit_id === managed.id && titleOf.get(p.id) === "Afdelingshoofd") ?? null;
  if (manager) used.add(manager.id);
  // The employee works in a team of that department, so the manager has someone to manage.
  const employee = pd.find((p) => p.manager_id && !used.has(p.id) && titleOf.get(p.id) !== "Teamleider" && !p.end_date
    && p.employment_type === "employee" && units.find((u) => u.id === p.unit_id)?.parent_id === managed.id)
    ?? pd.find((p) => !used.has(p.id) && p.employment_type === "employee" && !p.end_date && !isLeaderTitle(titleOf.get(p.id)!))!;
  used.add(employee.id);

  const add = (email: string, label: string, p: PeopleTable | null, grants: DemoGrant[], organisationName = duinrand.name) =>
    accounts.push({ id: newId(), email, displayName: p ? fullName(p) : label, personId: p?.id ?? null, organisationName, grants });
  const E = DEMO_ACCOUNT_EMAILS;
  add(E.employee, "Medewerker Duinrand", employee, [orgGrant("employee")]);
  add(E.manager, "Leidinggevende Duinrand", manager, [{ role: "manager", scopeType: "unit", scopeId: managed.id, organisationId: duinrand.id }]);
  add(E.advisor, "Vertrouwenspersoon Duinrand", advisor, [orgGrant("advisor")]);
  add(E.coordinator, "Integriteitscoördinator Duinrand", coordinator, [orgGrant("coordinator")]);
  add(E.investigator, "Integriteitsonderzoeker Duinrand", investigator, [orgGrant("investigator")]);
  add(E.secretary, "Gemeentesecretaris Duinrand", secretary, [orgGrant("secretary")]);
  add(E.hr, "HR Duinrand", hr, [orgGrant("hr")]);
  add(E.admin, "Beheerder Duinrand", admin, [orgGrant("admin")]);
  add(E.auditor, "Controleur Duinrand", auditor, [orgGrant("auditor")]);
  const groupGrant = (role: Role): DemoGrant => ({ role, scopeType: "group", scopeId: group.id, organisationId: null });
  add(DEMO_GROUP_ACCOUNT_EMAILS.admin, "Regionaal beheerder", find(pr, "Functioneel beheerder"), [groupGrant("admin")], group.name);
  const regio = find(pr, "Integriteitscoördinator");
  add(DEMO_GROUP_ACCOUNT_EMAILS.coordinator, "Regionale integriteitscoördinator", regio, [groupGrant("coordinator")], group.name);
  if (regio) accounts[accounts.length - 1]!.displayName = `${fullName(regio)} (regionale integriteitscoördinator)`;
  // The regional advisor is Groenhart's internal confidential advisor, who serves the whole region as its pool.
  const poolAdvisor = find(pr, "Vertrouwenspersoon integriteit");
  add(DEMO_GROUP_ACCOUNT_EMAILS.advisor, "Regionale vertrouwenspersoon", poolAdvisor, [groupGrant("advisor")], group.name);
  if (poolAdvisor) accounts[accounts.length - 1]!.displayName = `${fullName(poolAdvisor)} (regionale vertrouwenspersoon)`;

  for (const o of organisations) people.push(...orgPeople.get(o.id)!);
  return { group, groupMembers, organisations, units, positions, people, accounts };

  function unit(organisationId: string, parent: UnitsTable | null, name: string, kind: "cluster" | "department" | "team"): UnitsTable {
    const id = newId();
    const row: UnitsTable = { id, organisation_id: organisationId, parent_id: parent?.id ?? null, name, kind, path: `${parent?.path ?? "/"}${id}/`, created_at: at };
    units.push(row);
    return row;
  }
}

const isLeaderTitle = (t: string) => (LEADER_TITLES as readonly string[]).includes(t);

/** n items from the list: all required ones, then a random choice of the others, in catalogue order. */
function chooseWithRequired<T extends { required?: boolean }>(r: Rng, xs: readonly T[], n: number): T[] {
  const required = xs.filter((x) => x.required);
  const optional = shuffle(r, xs.filter((x) => !x.required));
  const chosen = new Set<T>([...required, ...optional].slice(0, Math.max(n, required.length)));
  return xs.filter((x) => chosen.has(x));
}
