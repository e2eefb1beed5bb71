// Five years of confidential advisors' contacts and activities per organisation, counted as the register counts
// them (advisors/vocabulary.ts, the Rotterdam natures of advisors/presets.ts): bullying and aggression most, a
// quarter with a second nature, most closed within weeks. Contacts closed long enough ago have had their notes
// and key destroyed by the retention job (advisors/retention.ts); the others have a key sealed with the instance
// key, as createContact makes it.
import crypto from "node:crypto";
import type { Context } from "../context.ts";
import { seal } from "../crypto/seal.ts";
import type { Trx } from "../db/database.ts";
import type { AdvisorActivitiesTable, AdvisorContactKeysTable, AdvisorContactNaturesTable, AdvisorContactsTable, AdvisorNaturesTable } from "../db/schema.ts";
import { NATURE_PRESET } from "../advisors/presets.ts";
import { ACTIVITY_KINDS, type FollowUp, type Form, type Relation } from "../advisors/vocabulary.ts";
import { addDays, addMonths } from "./calendar.ts";
import type { Accounts } from "./accounts.ts";
import { insertRows } from "./bulk.ts";
import type { Country, OrgMade, OrgPlan } from "./organisations.ts";
import { chance, idStream, int, pick, stream, weighted } from "./random.ts";
import type { ScaleSpec } from "./scales.ts";

const NOTES_RETENTION_MONTHS = 12;
const NATURE_WEIGHTS: Record<string, number> = { bullying: 24, sexual_harassment: 9, aggression: 22, discrimination: 8, integrity: 10, work_situation: 17, other: 10 };
const RELATION_WEIGHTS = [["employee", 72], ["manager", 9], ["hired", 8], ["intern", 3], ["former_employee", 5], ["other", 3]] as const satisfies readonly (readonly [Relation, number])[];
const FOLLOW_UP_WEIGHTS = [["listening_advice", 45], ["informal_solution", 14], ["mediation", 5], ["referral_company_doctor", 6], ["referral_hr", 8],
  ["referral_social_work", 4], ["referral_other_helpline", 3], ["formal_complaint_or_report", 7], ["none", 8]] as const satisfies readonly (readonly [FollowUp, number])[];
const FORM_WEIGHTS = [["in_person", 55], ["phone", 25], ["video", 14], ["email", 6]] as const satisfies readonly (readonly [Form, number])[];

export async function writeAdvisors(ctx: Context, trx: Trx, country: Country, accounts: Accounts, org: OrgPlan, made: OrgMade,
  spec: ScaleSpec, seed: number, day: string): Promise<{ contacts: number; activities: number }> {
  const r = stream(seed, "advisors", org.index);
  const newId = idStream(seed, "advisors", org.index);
  const at = `${day}T06:00:00.000Z`;
  await trx.insertInto("advisor_settings").values({
    organisation_id: org.id, notes_retention_months: NOTES_RETENTION_MONTHS, suppression_threshold: 5, created_at: at, updated_at: at,
  }).execute();
  const natures = NATURE_PRESET.map((n, i): AdvisorNaturesTable => ({
    id: newId(), organisation_id: org.id, code: n.code, label_nl: n.nl, label_en: n.en, position: i + 1, active: 1, created_at: at,
  }));
  await insertRows(trx, "advisor_natures", natures);
  const natureTable = natures.map((n) => [n.code, NATURE_WEIGHTS[n.code] ?? 5] as const);
  const advisors = accounts.advisorsOf(org.index);
  const first = `${Number(day.slice(0, 4)) - 5}-01-01`;
  const span = Math.round((Date.parse(day) - Date.parse(first)) / 86_400_000);
  // Every day of the five years, once (calendar arithmetic through luxon is the slow part of a contact).
  const days = Array.from({ length: span + 1 }, (_, i) => addDays(first, i));

  const contacts: AdvisorContactsTable[] = [], natureRows: AdvisorContactNaturesTable[] = [], keys: AdvisorContactKeysTable[] = [];
  let total = 0;
  const flush = async () => {
    await insertRows(trx, "advisor_contacts", contacts);
    await insertRows(trx, "advisor_contact_natures", natureRows);
    await insertRows(trx, "advisor_contact_keys", keys);
    total += contacts.length;
    contacts.length = 0; natureRows.length = 0; keys.length = 0;
  };
  for (let i = 0; i < org.contacts; i++) {
    const index = int(r, 0, span);
    const contactOn = days[index]!;
    const age = span - index;
    const closed = age > 120 || (age > 14 && chance(r, 0.6));
    const closedOn = closed ? days[Math.min(span, index + int(r, 0, Math.min(90, age)))]! : null;
    const destroyOn = closedOn ? addMonths(closedOn, NOTES_RETENTION_MONTHS) : null;
    const destroyed = !!destroyOn && destroyOn <= day;
    const id = newId();
    contacts.push({
      id, organisation_id: org.id, unit_id: chance(r, 0.4) ? pick(r, made.unitIds) : null, advisor_account_id: pick(r, advisors),
      successor_account_id: null, contact_on: contactOn, relation: weighted(r, RELATION_WEIGHTS), form: weighted(r, FORM_WEIGHTS),
      people: chance(r, 0.08) ? 2 : 1, conversations: int(r, 1, 4), minutes: 30 + 15 * int(r, 0, 6), follow_up: weighted(r, FOLLOW_UP_WEIGHTS),
      report_id: null, consent_on: null, status: closed ? "closed" : "open", closed_on: closedOn, notes_destroy_on: destroyOn,
      notes_destroyed_at: destroyed ? `${destroyOn}T03:00:00.000Z` : null, version: closed ? 2 : 1,
      created_at: `${contactOn}T10:00:00.000Z`, updated_at: `${closedOn ?? contactOn}T16:00:00.000Z`,
    });
    const codes = new Set([weighted(r, natureTable)]);
    if (chance(r, 0.25)) codes.add(weighted(r, natureTable));
    for (const code of codes) natureRows.push({ contact_id: id, code });
    if (!destroyed) {
      keys.push({ contact_id: id, holder_type: "instance", holder_id: "", wrapped_key: seal(ctx.masterKey, crypto.randomBytes(32), `advisor-key:${id}:instance`),
        created_at: `${contactOn}T10:00:00.000Z` });
    }
    if (contacts.length >= 1_000) await flush();
  }
  await flush();

  // Activities: each advisor's talks and workshops, spread over the organisations they serve.
  const activities: AdvisorActivitiesTable[] = [];
  const share = Math.max(1, Math.round(spec.activitiesPerYear / (org.inPool ? country.pool.organisations.length : country.regions[org.regionIndex]!.organisations.length)));
  for (let y = 0; y <= 5; y++) {
    const year = Number(day.slice(0, 4)) - 5 + y;
    for (let k = 0; k < share; k++) {
      const activityOn = days[Math.min(span, Math.max(0, (year - Number(first.slice(0, 4))) * 365 + int(r, 0, 364)))]!;
      if (activityOn.slice(0, 4) !== String(year)) continue;
      activities.push({
        id: newId(), organisation_id: org.id, unit_id: chance(r, 0.5) ? pick(r, made.unitIds) : null, advisor_account_id: pick(r, advisors),
        activity_on: activityOn, kind: pick(r, ACTIVITY_KINDS), people_reached: chance(r, 0.1) ? 0 : int(r, 5, 40), created_at: `${activityOn}T12:00:00.000Z`,
      });
    }
  }
  await insertRows(trx, "advisor_activities", activities);
  return { contacts: total, activities: activities.length };
}

