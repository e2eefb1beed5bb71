// Five years of cases on every desk, as the workflow makes them (reports/workflow.ts): each case walks the steps
// with realistic durations from the day it came in, and stops where the reference day falls — so old cases are
// closed and recent ones sit in every status, with their deadlines met, due or overdue. Every case has its data key
// wrapped for the instance and its timeline sealed entry by entry with the schemas the application opens them with
// (sealing.ts, entries.ts), so any case opens on its page. A fixed set gets a real receipt (Argon2id, as at the
// intake); the other anonymous cases get a random hash that no receipt opens — hashing 100 000 receipts would take hours.
import crypto from "node:crypto";
import type { Context } from "../context.ts";
import type { Trx } from "../db/database.ts";
import type { ReportCategoriesTable, ReportEntriesTable, ReportKeysTable, ReportMeasuresTable, ReportSettingsTable, ReportsTable } from "../db/schema.ts";
import { SCENARIOS } from "../demo/reports.ts";
import { ENTRY_SCHEMAS, type EntryKind } from "../reports/entries.ts";
import { newReceipt, receiptHash } from "../reports/intake.ts";
import { CATEGORY_PRESET, MEASURE_PRESET } from "../reports/presets.ts";
import { INSTANCE_HOLDER, newDataKey, sealEntry, wrapForInstance } from "../reports/sealing.ts";
import { translator } from "../ui/messages.ts";
import { ackDueOn, dayOf, feedbackDueOn, longDate, retainOn } from "./calendar.ts";
import type { Channel, Mode, Status } from "../reports/workflow.ts";
import type { Accounts } from "./accounts.ts";
import { insertRows } from "./bulk.ts";
import type { BenchFixture } from "./fixture.ts";
import type { Country, OrgMade, OrgPlan } from "./organisations.ts";
import { chance, idStream, int, pick, stream, weighted, type Rng } from "./random.ts";
import type { ScaleSpec } from "./scales.ts";

const DAY = 86_400_000;
/** The preset retention (reports/intake.ts ensureSettings); calendar.ts's retainOn uses the same. */
const RETENTION_YEARS = 5;
export const LONG_CASE = { entries: 50, messages: 20 } as const;

const QUESTIONS = [
  "Dank voor uw melding. Weet u sinds wanneer dit speelt?", "Kunt u aangeven of er meer collega's van op de hoogte zijn?",
  "Heeft u hier al eerder met iemand over gesproken?", "Zijn er documenten of berichten waaruit dit blijkt?",
] as const;
const ANSWERS = [
  "Ik denk sinds het begin van dit jaar.", "Ja, twee collega's van mijn team weten ervan.", "Nee, ik wilde eerst weten wat de mogelijkheden zijn.",
  "Ik heb een paar e-mails bewaard; kan ik die sturen?",
] as const;
const NOTES = ["Gesproken met de leidinggevende; die herkent het beeld.", "Dossier opgevraagd bij HR.", "Afspraak gemaakt met de onderzoeker.",
  "Stukken ontvangen en doorgenomen."] as const;
const FEEDBACK = "Wij hebben uw melding beoordeeld en laten u weten wat er mee gebeurt. Hartelijk dank voor uw melding.";

/** The acknowledgement as the service words it (acknowledgementText in reports/service.ts: the same message), with the
 *  dates formatted once per day. */
const ackText = (reference: string, receivedOn: string, dueOn: string) =>
  translator("nl")("report.ackText", { reference, received: longDate(receivedOn), due: longDate(dueOn) });

type Settings = { salt: string; known: { receipt: string; hash: string }[] };
export type DeskPlan = {
  settingsOf(org: OrgPlan): Settings;
  longCases(): BenchFixture["longCases"];
  receipts(): BenchFixture["receipts"];
  /** How many long cases the pool's first organisation gets. */
  longCount: number;
  /** What was made, for the fixture (filled while writing). */
  _long: BenchFixture["longCases"]; _receipts: BenchFixture["receipts"];
};

/** Salts for every desk, and the known receipts hashed (Argon2id, before the transaction). */
export async function prepareDesk(ctx: Context, country: Country, spec: ScaleSpec): Promise<DeskPlan> {
  const settings = new Map<string, Settings>();
  for (const o of country.organisations) settings.set(o.id, { salt: crypto.randomBytes(16).toString("base64"), known: [] });
  const pool = country.pool.organisations;
  await Promise.all(Array.from({ length: spec.receipts }, async (_, i) => {
    const org = pool[i % pool.length]!;
    const s = settings.get(org.id)!;
    const receipt = newReceipt();
    const hash = await receiptHash(ctx, { receipt_salt: s.salt } as ReportSettingsTable, receipt); // as the intake hashes an unknown organisation
    s.known.push({ receipt, hash });
  }));
  const plan: DeskPlan = {
    settingsOf: (org) => settings.get(org.id)!,
    longCount: spec.longCases, _long: [], _receipts: [],
    longCases: () => plan._long, receipts: () => plan._receipts,
  };
  return plan;
}

type Entry = { at: number; kind: EntryKind; author: "reporter" | "account" | "system"; visible: boolean; meta: Record<string, unknown>; sealed: unknown };

/** One organisation's desk: settings, categories, measures, cases with keys and timelines, reference counters. */
export async function writeDesk(ctx: Context, trx: Trx, country: Country, desk: DeskPlan, org: OrgPlan, made: OrgMade, seed: number, day: string,
  accounts: Accounts): Promise<{ reports: number; entries: number }> {
  const r = stream(seed, "desk", org.index);
  const newId = idStream(seed, "desk", org.index);
  const at = `${day}T06:00:00.000Z`;
  const nowMs = Date.parse(`${day}T12:00:00.000Z`);
  const settings = desk.settingsOf(org);
  await trx.insertInto("report_settings").values({
    organisation_id: org.id, receipt_salt: settings.salt, alternative_account_id: null, retention_years: RETENTION_YEARS, created_at: at, updated_at: at,
  }).execute();
  const categories = CATEGORY_PRESET.map((c, i): ReportCategoriesTable => ({
    id: newId(), organisation_id: org.id, kind: c.kind, code: c.code, label_nl: c.nl, label_en: c.en, position: i + 1, active: 1, created_at: at,
  }));
  const measures = MEASURE_PRESET.map((m, i): ReportMeasuresTable => ({
    id: newId(), organisation_id: org.id, code: m.code, label_nl: m.nl, label_en: m.en, position: i + 1, active: 1, created_at: at,
  }));
  await insertRows(trx, "report_categories", categories);
  await insertRows(trx, "report_measures", measures);

  // Categories as a desk meets them: unwanted behaviour and conflicts of interest most, whistleblowing rarely.
  const categoryWeights: Record<string, number> = {
    fraud: 8, conflict_of_interest: 14, misuse_of_position: 6, information: 9, resources: 7, private_conduct: 6,
    bullying: 16, sexual_harassment: 6, aggression: 10, discrimination: 6, wrongdoing: 3, other: 9,
  };
  const categoryTable = categories.map((c) => [c, categoryWeights[c.code] ?? 5] as const);
  const handlerOf = (): string | null => org.inPool ? (chance(r, 0.5) ? accounts.coordinator.row.id : null) : accounts.regionCoordinators[org.regionIndex]!.row.id;

  // The arrival times first, sorted, so that references count up with them as the intake numbers them.
  const arrivals = Array.from({ length: org.reports }, () => nowMs - Math.floor(Math.pow(r(), 1.2) * 5 * 365) * DAY - int(r, 1, 10) * 3_600_000)
    .sort((a, b) => a - b);
  const isPoolHead = org.index === country.pool.organisations[0]?.index;
  const longWanted = isPoolHead ? Math.min(desk.longCount, Math.max(0, arrivals.length - 5)) : 0;
  const known = [...settings.known];
  const counters = new Map<number, number>();
  const reports: ReportsTable[] = [], keys: ReportKeysTable[] = [], entries: ReportEntriesTable[] = [];
  let total = { reports: 0, entries: 0 };
  const flush = async () => {
    await insertRows(trx, "reports", reports);
    await insertRows(trx, "report_keys", keys);
    await insertRows(trx, "report_entries", entries);
    total = { reports: total.reports + reports.length, entries: total.entries + entries.length };
    reports.length = 0; keys.length = 0; entries.length = 0;
  };

  for (let i = 0; i < arrivals.length; i++) {
    // The long cases are recent ones, under investigation: picked among the last arrivals of the pool's first organisation.
    const long = isPoolHead && i >= arrivals.length - longWanted - 5 && i < arrivals.length - 5;
    const receivedMs = long ? nowMs - int(r, 100, 160) * DAY : arrivals[i]!;
    const receivedAt = new Date(receivedMs).toISOString();
    const receivedOn = dayOf(receivedMs);
    const year = Number(receivedOn.slice(0, 4));
    const n = (counters.get(year) ?? 0) + 1;
    counters.set(year, n);
    const reference = `${year}-${String(n).padStart(4, "0")}`;
    const category = weighted(r, categoryTable);
    const knownReceipt = known.length && !long ? known.shift()! : null;
    const mode: Mode = knownReceipt || long ? "anonymous" : weighted(r, [["anonymous", 35], ["confidential", 35], ["open", 30]] as const);
    const channel: Channel = mode === "anonymous" ? weighted(r, [["web", 85], ["letter", 10], ["phone", 5]] as const)
      : weighted(r, [["web", 55], ["email", 10], ["phone", 8], ["in_person", 8], ["manager", 10], ["advisor", 4], ["own_signal", 5]] as const);
    const id = newId();
    const dataKey = newDataKey();
    const story = long ? longStory(r, receivedMs, nowMs) : walk(r, receivedMs, nowMs, measures);
    const report: ReportsTable = {
      id, organisation_id: org.id, reference, channel, mode, kind: category.kind, category_id: category.id,
      unit_id: chance(r, 0.7) ? pick(r, made.unitIds) : null, status: story.status, routing: "desk", locale: "nl",
      received_at: receivedAt, ack_due_on: ackDueOn(receivedOn), acknowledged_at: story.ackAt, feedback_due_on: story.ackAt ? feedbackDueOn(story.ackAt.slice(0, 10)) : null,
      feedback_given_at: story.feedbackAt, decision: story.decision, investigation_by: story.investigationBy, closed_at: story.closedAt,
      coordinator_account_id: handlerOf(), investigator_account_id: null,
      reporter_tag: null, receipt_hash: mode === "anonymous" ? knownReceipt?.hash ?? crypto.randomBytes(32).toString("hex") : null,
      retain_until: story.closedAt ? retainOn(story.closedAt.slice(0, 10)) : null, destroyed_at: null, alternative_account_id: null,
      intake_nonce: null, version: story.steps + 1, created_at: receivedAt, updated_at: new Date(story.entries.at(-1)?.at ?? receivedMs).toISOString(),
    };
    reports.push(report);
    keys.push({ report_id: id, holder_type: INSTANCE_HOLDER.type, holder_id: INSTANCE_HOLDER.id, wrapped_key: wrapForInstance(ctx.masterKey, id, dataKey), created_at: receivedAt });
    // What the reporter wrote comes first; the story's entries follow in time.
    const scenario = SCENARIOS.find((s) => s.category === category.code);
    const timeline: Entry[] = [{ at: receivedMs, kind: "content", author: "reporter", visible: false, meta: {}, sealed: {
      categoryId: category.id, description: scenario?.description ?? `Melding over ${category.label_nl.toLowerCase()} (testgegevens).`, occurredOn: "",
      occurredWhen: "Sinds een paar weken", unitId: report.unit_id ?? "", location: "", involved: "", howKnown: "saw", howKnownDetail: "",
      reportedBefore: "no", reportedBeforeDetail: "", concernsHandler: "no",
    } }];
    if (mode !== "anonymous") timeline.push({ at: receivedMs, kind: "identity", author: "reporter", visible: false, meta: {}, sealed: {
      name: `${pick(r, ["J.", "M.", "A.", "S.", "K."])} ${pick(r, ["de Vries", "Jansen", "Bakker", "Visser", "El Amrani", "Öztürk"])}`, email: "", phone: "", relation: "employee",
    } });
    for (const e of story.entries) {
      if (e.kind === "message_out" && e.meta.acknowledgement) {
        e.sealed = { body: ackText(reference, receivedOn, report.feedback_due_on!) };
      }
      timeline.push(e);
    }
    timeline.forEach((e, position) => {
      const entryId = newId();
      entries.push({
        id: entryId, report_id: id, position: position + 1, kind: e.kind, author_type: e.author,
        author_account_id: e.author === "account" ? report.coordinator_account_id ?? accounts.regionCoordinators[org.regionIndex]!.row.id : null,
        visible_to_reporter: e.visible ? 1 : 0, meta: JSON.stringify(e.meta),
        sealed: e.sealed === null ? null : sealEntry(dataKey, ENTRY_SCHEMAS[e.kind], e.sealed as never, { reportId: id, entryId, kind: e.kind }),
        created_at: new Date(e.at).toISOString(),
      });
    });
    if (long) desk._long.push({ reportId: id, organisationId: org.id, reference, entries: timeline.filter((e) => e.kind !== "content").length, messages: timeline.filter((e) => e.kind.startsWith("message_")).length });
    if (knownReceipt) desk._receipts.push({ reportId: id, organisationId: org.id, organisationSlug: org.slug, reference, receipt: knownReceipt.receipt });
    if (reports.length >= 500) await flush();
  }
  await flush();
  await insertRows(trx, "report_counters", [...counters].map(([year, last]) => ({ organisation_id: org.id, year, last })));
  return total;
}

type Story = {
  status: Status; steps: number; entries: Entry[]; ackAt: string | null; feedbackAt: string | null; closedAt: string | null;
  decision: string | null; investigationBy: string | null;
};

const emptyStatus = { reason: "", approvedBy: "", approvedOn: "", allegations: [] as string[] };

/** A case's way through the workflow from its arrival, cut off at `nowMs`. */
function walk(r: Rng, receivedMs: number, nowMs: number, measures: ReportMeasuresTable[]): Story {
  const s: Story = { status: "received", steps: 0, entries: [], ackAt: null, feedbackAt: null, closedAt: null, decision: null, investigationBy: null };
  let t = receivedMs;
  // A step falls on a working hour (07–16 UTC) `days` later, never before the previous one.
  const later = (days: number) => Math.max(t, Math.floor(t / DAY) * DAY + days * DAY + int(r, 7, 16) * 3_600_000);
  const step = (days: number, action: string, to: Status, meta: Record<string, unknown> = {}, sealed: Partial<typeof emptyStatus> = {}) => {
    const at = later(days);
    if (at > nowMs) return false;
    t = at;
    s.entries.push({ at, kind: "status", author: "account", visible: false, meta: { action, from: s.status, to, ...meta }, sealed: { ...emptyStatus, ...sealed } });
    s.status = to; s.steps++;
    return true;
  };
  const message = (days: number, kind: "message_in" | "message_out", body: string, meta: Record<string, unknown> = {}) => {
    const at = later(days);
    if (at > nowMs) return false;
    t = at;
    s.entries.push({ at, kind, author: kind === "message_in" ? "reporter" : "account", visible: true, meta, sealed: { body } });
    return true;
  };
  // A few desks let a case lie: never acknowledged (overdue), only among the recent ones.
  if (nowMs - receivedMs < 60 * DAY && chance(r, 0.03)) return s;
  const ackDays = chance(r, 0.07) ? int(r, 8, 20) : int(r, 0, 6);
  if (!step(ackDays, "acknowledge", "acknowledged")) return s;
  s.ackAt = new Date(t).toISOString();
  s.entries.push({ at: t, kind: "message_out", author: "account", visible: true, meta: { acknowledgement: true }, sealed: { body: "" } });
  const feedbackBy = Date.parse(`${feedbackDueOn(s.ackAt.slice(0, 10))}T15:00:00Z`);
  if (!step(int(r, 1, 14), "startAssessment", "assessment")) return s;
  if (chance(r, 0.35) && message(int(r, 1, 10), "message_out", pick(r, QUESTIONS)) && chance(r, 0.7)) message(int(r, 1, 12), "message_in", pick(r, ANSWERS));
  if (chance(r, 0.15)) s.entries.push({ at: t, kind: "note", author: "account", visible: false, meta: {}, sealed: { body: pick(r, NOTES) } });
  const decision = weighted(r, [["no_action", 40], ["line", 35], ["investigation", 25]] as const);
  const giveFeedback = (latest: number) => {
    if (s.feedbackAt) return;
    // Most desks meet the three months; some are late.
    const at = chance(r, 0.08) ? feedbackBy + int(r, 3, 40) * DAY : Math.min(latest, feedbackBy - int(r, 0, 20) * DAY);
    if (at > nowMs || at < t) return;
    s.entries.push({ at, kind: "message_out", author: "account", visible: true, meta: { feedback: true }, sealed: { body: FEEDBACK } });
    s.feedbackAt = new Date(at).toISOString();
    t = Math.max(t, at);
  };
  if (decision === "no_action") {
    if (!step(int(r, 3, 30), "decideNoAction", "concluding")) return s;
    s.decision = "no_action";
  } else if (decision === "line") {
    if (!step(int(r, 3, 30), "decideLine", "line_handling")) return s;
    s.decision = "line";
    giveFeedback(t + int(r, 1, 10) * DAY);
    if (!step(int(r, 15, 90), "completeLineHandling", "concluding")) return s;
  } else {
    const by = weighted(r, [["internal", 50], ["external", 35], ["line", 15]] as const);
    if (!step(int(r, 5, 40), "decideInvestigation", "awaiting_approval", { investigationBy: by })) return s;
    s.decision = "investigation"; s.investigationBy = by;
    if (!step(int(r, 2, 14), "recordApproval", "investigation", {}, { approvedBy: "De gemeentesecretaris", approvedOn: dayOf(t) })) return s;
    giveFeedback(t + int(r, 1, 10) * DAY);
    const finding = weighted(r, [["substantiated", 40], ["unsubstantiated", 35], ["not_determinable", 20], ["not_integrity", 5]] as const);
    if (!step(int(r, 30, 150), "concludeInvestigation", "measures", { findings: [finding] }, { allegations: ["De gedraging zoals gemeld"] })) return s;
    const chosen = finding === "substantiated" ? [pick(r, measures.filter((m) => m.code !== "other"))] : [];
    if (!step(int(r, 5, 30), "decideMeasures", "concluding", { measures: chosen.map((m) => m.code), measureNames: chosen.map((m) => [m.label_nl, m.label_en]) })) return s;
  }
  giveFeedback(t + int(r, 1, 10) * DAY);
  if (!s.feedbackAt) return s;
  if (!step(int(r, 1, 14), "close", "closed")) return s;
  s.closedAt = new Date(t).toISOString();
  return s;
}

/** A case under investigation with exactly 50 timeline events (besides its content) of which 20 messages: the case-page workload. */
function longStory(r: Rng, receivedMs: number, nowMs: number): Story {
  const s: Story = { status: "received", steps: 0, entries: [], ackAt: null, feedbackAt: null, closedAt: null, decision: "investigation", investigationBy: "internal" };
  const span = nowMs - receivedMs - DAY;
  const slots = LONG_CASE.entries; // timeline events; the content entry (shown apart, above the timeline) is added by the caller
  const at = (i: number) => Math.floor((receivedMs + ((i + 1) / (slots + 1)) * span) / DAY) * DAY + 10 * 3_600_000 + i * 60_000;
  const status = (i: number, action: string, to: Status, meta: Record<string, unknown> = {}, sealed: Partial<typeof emptyStatus> = {}) => {
    s.entries.push({ at: at(i), kind: "status", author: "account", visible: false, meta: { action, from: s.status, to, ...meta }, sealed: { ...emptyStatus, ...sealed } });
    s.status = to; s.steps++;
  };
  let i = 0;
  status(i++, "acknowledge", "acknowledged");
  s.ackAt = new Date(at(0)).toISOString();
  s.entries.push({ at: at(i++), kind: "message_out", author: "account", visible: true, meta: { acknowledgement: true }, sealed: { body: "" } });
  status(i++, "startAssessment", "assessment");
  // 19 more messages, question and answer in turn, notes between them.
  for (let m = 0; m < LONG_CASE.messages - 1; m++) {
    const out = m % 2 === 0;
    s.entries.push({ at: at(i++), kind: out ? "message_out" : "message_in", author: out ? "account" : "reporter", visible: true, meta: {},
      sealed: { body: out ? pick(r, QUESTIONS) : pick(r, ANSWERS) } });
    if (m === 9) status(i++, "decideInvestigation", "awaiting_approval", { investigationBy: "internal" });
    if (m === 10) status(i++, "recordApproval", "investigation", {}, { approvedBy: "De gemeentesecretaris", approvedOn: dayOf(at(i - 1)) });
  }
  while (i < slots) s.entries.push({ at: at(i++), kind: "note", author: "account", visible: false, meta: {}, sealed: { body: pick(r, NOTES) } });
  s.entries.sort((a, b) => a.at - b.at);
  return s;
}

