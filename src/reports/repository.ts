import { sql, type Expression, type SqlBool } from "kysely";
import type { Db, Trx } from "../db/database.ts";
import type {
  ReportCategoriesTable, ReportMeasuresTable, ReportEntriesTable, ReportKeysTable, ReportSettingsTable, ReportsTable,
} from "../db/schema.ts";

type Q = Db | Trx;

// ---- settings and categories ----------------------------------------------------------------------

export const findSettings = (db: Q, organisationId: string) =>
  db.selectFrom("report_settings").selectAll().where("organisation_id", "=", organisationId).executeTakeFirst();

/** Inserts the settings unless another request did first; true when this call created them. */
export async function insertSettingsIfAbsent(db: Q, row: ReportSettingsTable): Promise<boolean> {
  const r = await db.insertInto("report_settings").values(row).onConflict((oc) => oc.column("organisation_id").doNothing())
    .returning("organisation_id").executeTakeFirst();
  return !!r;
}
export const updateSettings = (db: Q, organisationId: string, patch: Partial<ReportSettingsTable>) =>
  db.updateTable("report_settings").set(patch).where("organisation_id", "=", organisationId).execute();

export const insertCategories = (db: Q, rows: ReportCategoriesTable[]) =>
  rows.length ? db.insertInto("report_categories").values(rows).execute() : Promise.resolve([]);
export const listCategories = (db: Q, organisationIds: string[], activeOnly = false) => {
  if (!organisationIds.length) return Promise.resolve([] as ReportCategoriesTable[]);
  let q = db.selectFrom("report_categories").selectAll().where("organisation_id", "in", organisationIds);
  if (activeOnly) q = q.where("active", "=", 1);
  return q.orderBy("organisation_id").orderBy("position").execute();
};
export const findCategory = (db: Q, organisationId: string, id: string) =>
  db.selectFrom("report_categories").selectAll().where("organisation_id", "=", organisationId).where("id", "=", id).executeTakeFirst();

export const insertMeasures = (db: Q, rows: ReportMeasuresTable[]) =>
  rows.length ? db.insertInto("report_measures").values(rows).execute() : Promise.resolve([]);
/** An organisation's measures in their order; inactive ones too unless asked (old cases name them). */
export const listMeasures = (db: Q, organisationId: string, activeOnly = false) => {
  let q = db.selectFrom("report_measures").selectAll().where("organisation_id", "=", organisationId);
  if (activeOnly) q = q.where("active", "=", 1);
  return q.orderBy("position").orderBy("label_nl").execute();
};
export const findMeasure = (db: Q, organisationId: string, id: string) =>
  db.selectFrom("report_measures").selectAll().where("organisation_id", "=", organisationId).where("id", "=", id).executeTakeFirst();
export const insertMeasure = (db: Q, row: ReportMeasuresTable) => db.insertInto("report_measures").values(row).execute();
export const updateMeasure = (db: Q, organisationId: string, id: string, patch: Partial<Omit<ReportMeasuresTable, "id" | "organisation_id" | "code" | "created_at">>) =>
  db.updateTable("report_measures").set(patch).where("organisation_id", "=", organisationId).where("id", "=", id).execute();

export const findOrganisationBySlug = (db: Q, slug: string) =>
  db.selectFrom("organisations").select(["id", "name", "slug"]).where("slug", "=", slug).executeTakeFirst();

// ---- reports ---------------------------------------------------------------------------------------

/** The next number in an organisation's yearly series, atomically (INSERT … ON CONFLICT … RETURNING on both dialects). */
export async function nextReferenceNumber(db: Q, organisationId: string, year: number): Promise<number> {
  const r = await db.insertInto("report_counters").values({ organisation_id: organisationId, year, last: 1 })
    .onConflict((oc) => oc.columns(["organisation_id", "year"]).doUpdateSet({ last: sql<number>`report_counters.last + 1` }))
    .returning("last").executeTakeFirstOrThrow();
  return Number(r.last);
}

export const insertReport = (db: Q, row: ReportsTable) => db.insertInto("reports").values(row).execute();
export const findReport = (db: Q, id: string) => db.selectFrom("reports").selectAll().where("id", "=", id).executeTakeFirst();
export const findReportByReceipt = (db: Q, organisationId: string, receiptHash: string) =>
  db.selectFrom("reports").selectAll().where("organisation_id", "=", organisationId).where("receipt_hash", "=", receiptHash)
    .where("destroyed_at", "is", null).executeTakeFirst();

/** Updates a case only if it is still in the state the caller saw; false when someone else changed it first. */
export async function updateReportIf(db: Q, id: string, expect: { status?: string; version?: number; open?: boolean; routing?: string }, patch: Partial<ReportsTable>): Promise<boolean> {
  let q = db.updateTable("reports").set({ ...patch, version: sql<number>`version + 1` }).where("id", "=", id);
  if (expect.open) q = q.where("status", "!=", "closed").where("destroyed_at", "is", null);
  if (expect.routing !== undefined) q = q.where("routing", "=", expect.routing);
  if (expect.status !== undefined) q = q.where("status", "=", expect.status);
  if (expect.version !== undefined) q = q.where("version", "=", expect.version);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export const insertKey = (db: Q, row: ReportKeysTable) => db.insertInto("report_keys").values(row).execute();
export const findKey = (db: Q, reportId: string, holderType: string, holderId: string) =>
  db.selectFrom("report_keys").select("wrapped_key").where("report_id", "=", reportId).where("holder_type", "=", holderType)
    .where("holder_id", "=", holderId).executeTakeFirst();

export const insertEntry = (db: Q, row: ReportEntriesTable) => db.insertInto("report_entries").values(row).execute();
/** Replaces an entry's clear metadata (the minutes' approval state); its sealed words never change. */
export const updateEntryMeta = (db: Q, reportId: string, id: string, meta: Record<string, unknown>) =>
  db.updateTable("report_entries").set({ meta: JSON.stringify(meta) }).where("report_id", "=", reportId).where("id", "=", id).execute();
export const listEntries = (db: Q, reportId: string, opts: { reporterOnly?: boolean } = {}) => {
  let q = db.selectFrom("report_entries").selectAll().where("report_id", "=", reportId);
  if (opts.reporterOnly) q = q.where("visible_to_reporter", "=", 1);
  return q.orderBy("position").execute();
};
export async function nextPosition(db: Q, reportId: string): Promise<number> {
  const r = await db.selectFrom("report_entries").select((eb) => eb.fn.max<number>("position").as("p")).where("report_id", "=", reportId).executeTakeFirst();
  return Number(r?.p ?? 0) + 1;
}

export const insertExclusion = (db: Q, reportId: string, accountTag: string) =>
  db.insertInto("report_exclusions").values({ report_id: reportId, account_tag: accountTag })
    .onConflict((oc) => oc.columns(["report_id", "account_tag"]).doNothing()).execute();
export const isExcluded = async (db: Q, reportId: string, accountTag: string) =>
  !!(await db.selectFrom("report_exclusions").select("report_id").where("report_id", "=", reportId).where("account_tag", "=", accountTag).executeTakeFirst());

// ---- the mailbox -----------------------------------------------------------------------------------

export const insertMailboxSession = (db: Q, row: { token_hash: string; report_id: string; expires_at: string; ends_at: string }) =>
  db.insertInto("mailbox_sessions").values(row).execute();
export const findMailboxSession = (db: Q, tokenHash: string, nowIso: string) =>
  db.selectFrom("mailbox_sessions").selectAll().where("token_hash", "=", tokenHash).where("expires_at", ">", nowIso).executeTakeFirst();
export const touchMailboxSession = (db: Q, tokenHash: string, expiresAt: string) =>
  db.updateTable("mailbox_sessions").set({ expires_at: expiresAt }).where("token_hash", "=", tokenHash).execute();
export const deleteMailboxSession = (db: Q, tokenHash: string) => db.deleteFrom("mailbox_sessions").where("token_hash", "=", tokenHash).execute();
export const deleteExpiredMailboxSessions = (db: Q, nowIso: string) =>
  db.deleteFrom("mailbox_sessions").where("expires_at", "<=", nowIso).executeTakeFirst();

// ---- my reports (a signed-in reporter) ---------------------------------------------------------------

/** The reports an account made while signed in, by its tag (intake.ts: accountTag), newest first; never a destroyed one. */
export const listByReporterTag = (db: Q, reporterTag: string) =>
  db.selectFrom("reports").innerJoin("organisations", "organisations.id", "reports.organisation_id")
    .select([
      "reports.id", "reports.reference", "reports.mode", "reports.status", "reports.received_at", "reports.ack_due_on", "reports.acknowledged_at",
      "reports.feedback_due_on", "reports.feedback_given_at", "reports.closed_at", "organisations.name as organisation_name",
    ])
    .where("reports.reporter_tag", "=", reporterTag).where("reports.destroyed_at", "is", null)
    .orderBy("reports.received_at", "desc").orderBy("reports.id").execute();

/** One report, only if this tag made it (and it is not destroyed). */
export const findByReporterTag = (db: Q, id: string, reporterTag: string) =>
  db.selectFrom("reports").select(["id"]).where("id", "=", id).where("reporter_tag", "=", reporterTag).where("destroyed_at", "is", null).executeTakeFirst();

// ---- the inbox ---------------------------------------------------------------------------------------

/** Which cases an actor may see: the desk's cases of organisations where they hold report.list, cases routed
 *  to them as the alternative recipient, and cases assigned to them as investigator — never a case that
 *  excludes them. */
/** alternativeOrgs: where the reader handles cases as a whole, so a report about a handler addressed to them there is theirs. */
export type Visibility = { deskOrgs: string[]; alternativeOrgs: string[]; investigatorOrgs: string[]; accountId: string; accountTag: string };

export type InboxFilter = {
  organisationId?: string; unitIds?: string[]; status?: string; kind?: string; categoryId?: string; channel?: string;
  handler?: { type: "account"; id: string } | { type: "none" };
  investigatorId?: string;
  deadline?: "overdue" | "dueSoon" | "open" | "met";
  today: string; soon: string;
  sort: "received" | "-received" | "due" | "reference";
  limit: number; offset: number;
};

/** The next statutory date a case is waiting for: acknowledgement first, then feedback; null when both are met or the case is
 *  closed. A generated column (migration 0011, ADR 0013), so the deadline filters can use the index reports_org_next_due. */
const nextDue = sql.ref<string | null>("reports.next_due_on");

export type InboxRow = Pick<ReportsTable, "id" | "organisation_id" | "reference" | "channel" | "mode" | "kind" | "category_id" | "unit_id"
  | "status" | "routing" | "received_at" | "ack_due_on" | "acknowledged_at" | "feedback_due_on" | "feedback_given_at" | "closed_at"
  | "coordinator_account_id" | "investigator_account_id" | "version"> & { next_due: string | null };

export async function listInbox(db: Q, vis: Visibility, f: InboxFilter): Promise<{ rows: InboxRow[]; total: number }> {
  const visible = (eb: any): Expression<SqlBool> => {
    const ors: Expression<SqlBool>[] = [];
    if (vis.deskOrgs.length) ors.push(eb.and([eb("reports.routing", "=", "desk"), eb("reports.organisation_id", "in", vis.deskOrgs)]));
    if (vis.alternativeOrgs.length) {
      ors.push(eb.and([eb("reports.routing", "=", "alternative"), eb("reports.alternative_account_id", "=", vis.accountId),
        eb("reports.organisation_id", "in", vis.alternativeOrgs)]));
    }
    if (vis.investigatorOrgs.length) ors.push(eb.and([eb("reports.investigator_account_id", "=", vis.accountId), eb("reports.organisation_id", "in", vis.investigatorOrgs)]));
    if (!ors.length) return sql<SqlBool>`1 = 0`;
    return eb.and([
      eb.or(ors),
      eb.not(eb.exists(eb.selectFrom("report_exclusions").select("report_exclusions.report_id")
        .whereRef("report_exclusions.report_id", "=", "reports.id").where("report_exclusions.account_tag", "=", vis.accountTag))),
    ]);
  };
  let q = db.selectFrom("reports").where(visible).where("reports.destroyed_at", "is", null);
  if (f.organisationId) q = q.where("reports.organisation_id", "=", f.organisationId);
  if (f.unitIds) q = q.where("reports.unit_id", "in", f.unitIds.length ? f.unitIds : ["-"]);
  if (f.status === "open") q = q.where("reports.status", "!=", "closed");
  else if (f.status) q = q.where("reports.status", "=", f.status);
  if (f.kind) q = q.where("reports.kind", "=", f.kind);
  if (f.categoryId) q = q.where("reports.category_id", "=", f.categoryId);
  if (f.channel) q = q.where("reports.channel", "=", f.channel);
  if (f.handler?.type === "account") q = q.where("reports.coordinator_account_id", "=", f.handler.id);
  if (f.handler?.type === "none") q = q.where("reports.coordinator_account_id", "is", null);
  if (f.investigatorId) q = q.where("reports.investigator_account_id", "=", f.investigatorId);
  if (f.deadline === "overdue") q = q.where("reports.next_due_on", "<", f.today);
  if (f.deadline === "dueSoon") q = q.where("reports.next_due_on", ">=", f.today).where("reports.next_due_on", "<=", f.soon);
  if (f.deadline === "open") q = q.where("reports.next_due_on", ">", f.soon);
  if (f.deadline === "met") q = q.where("reports.next_due_on", "is", null);

  let rq = q.select([
    "reports.id", "reports.organisation_id", "reports.reference", "reports.channel", "reports.mode", "reports.kind", "reports.category_id",
    "reports.unit_id", "reports.status", "reports.routing", "reports.received_at", "reports.ack_due_on", "reports.acknowledged_at",
    "reports.feedback_due_on", "reports.feedback_given_at", "reports.closed_at", "reports.coordinator_account_id",
    "reports.investigator_account_id", "reports.version",
  ]).select(nextDue.as("next_due"));
  if (f.sort === "due") rq = rq.orderBy(sql`case when reports.next_due_on is null then 1 else 0 end`).orderBy("reports.next_due_on").orderBy("reports.received_at", "desc");
  else if (f.sort === "received") rq = rq.orderBy("reports.received_at", "asc");
  else if (f.sort === "-received") rq = rq.orderBy("reports.received_at", "desc");
  else rq = rq.orderBy("reports.organisation_id").orderBy("reports.reference", "desc");
  // The count and the page at once: on PostgreSQL they run on two connections, so a deep page waits for the slower
  // of the two rather than for both (on SQLite they run one after the other either way).
  const [count, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    rq.orderBy("reports.id").limit(f.limit).offset(f.offset).execute(),
  ]);
  return { rows: rows as InboxRow[], total: Number(count.n) };
}

/** The accounts that may handle cases of the given organisations (for the assignment choice and the handler filter). */
export async function accountsWithRoles(db: Q, organisationIds: string[], roles: string[]) {
  if (!organisationIds.length) return [];
  const groups = db.selectFrom("organisation_group_members").select("group_id").where("organisation_id", "in", organisationIds);
  return db.selectFrom("accounts").innerJoin("role_assignments", "role_assignments.account_id", "accounts.id")
    .select(["accounts.id", "accounts.display_name", "role_assignments.role"]).distinct()
    .where("accounts.disabled", "=", 0).where("role_assignments.role", "in", roles)
    // Cases are handled for an organisation as a whole: a grant on one unit never makes someone a handler of its cases.
    .where("role_assignments.scope_type", "!=", "unit")
    .where((eb) => eb.or([
      eb("role_assignments.organisation_id", "in", organisationIds),
      eb.and([eb("role_assignments.scope_type", "=", "group"), eb("role_assignments.scope_id", "in", groups)]),
    ]))
    .orderBy("accounts.display_name").execute();
}

export const accountNames = async (db: Q, ids: string[]) => {
  const unique = [...new Set(ids.filter(Boolean))];
  if (!unique.length) return new Map<string, string>();
  const rows = await db.selectFrom("accounts").select(["id", "display_name"]).where("id", "in", unique).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
};


// ---- the desk's settings page (administrator) -------------------------------------------------------

export const insertCategory = (db: Q, row: ReportCategoriesTable) => db.insertInto("report_categories").values(row).execute();
export const updateCategory = (db: Q, organisationId: string, id: string, patch: Partial<Omit<ReportCategoriesTable, "id" | "organisation_id" | "code" | "created_at">>) =>
  db.updateTable("report_categories").set(patch).where("organisation_id", "=", organisationId).where("id", "=", id).execute();

/** Desk cases waiting for the secretary's approval in the given organisations, never one that excludes the reader. */
export function awaitingApproval(db: Q, organisationIds: string[], accountTag: string, id?: string) {
  if (!organisationIds.length) return Promise.resolve([] as ReportsTable[]);
  let q = db.selectFrom("reports").selectAll().where("organisation_id", "in", organisationIds).where("status", "=", "awaiting_approval")
    .where("routing", "=", "desk").where("destroyed_at", "is", null)
    .where((eb) => eb.not(eb.exists(eb.selectFrom("report_exclusions").select("report_exclusions.report_id")
      .whereRef("report_exclusions.report_id", "=", "reports.id").where("report_exclusions.account_tag", "=", accountTag))));
  if (id) q = q.where("id", "=", id);
  return q.orderBy("updated_at").execute();
}

// ---- retention ---------------------------------------------------------------------------------------

export const dueForDestruction = (db: Q, day: string, limit: number) =>
  db.selectFrom("reports").select(["id", "organisation_id", "reference", "retain_until"])
    .where("status", "=", "closed").where("destroyed_at", "is", null).where("retain_until", "is not", null).where("retain_until", "<=", day)
    .orderBy("retain_until").limit(limit).execute();

/** Marks a case destroyed if it still is closed and past its date; false when it changed meanwhile. */
export async function markDestroyed(db: Q, id: string, day: string, at: string): Promise<boolean> {
  const r = await db.updateTable("reports")
    .set({ destroyed_at: at, receipt_hash: null, reporter_tag: null, updated_at: at, version: sql<number>`version + 1` })
    .where("id", "=", id).where("status", "=", "closed").where("destroyed_at", "is", null).where("retain_until", "<=", day).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Everything a person wrote: the sealed blobs, the case key, the mailbox and the exclusion tags. Attachments follow in their own module. */
export async function destroyContent(db: Q, id: string): Promise<void> {
  await db.updateTable("report_entries").set({ sealed: null }).where("report_id", "=", id).execute();
  await db.deleteFrom("report_keys").where("report_id", "=", id).execute();
  await db.deleteFrom("mailbox_sessions").where("report_id", "=", id).execute();
  await db.deleteFrom("report_exclusions").where("report_id", "=", id).execute();
}

export const nonceUsed = async (db: Q, nonce: string) =>
  !!(await db.selectFrom("reports").select("id").where("intake_nonce", "=", nonce).executeTakeFirst());

/** When each case last took a given step (from its timeline), e.g. when the investigation was requested. */
export async function lastStepAt(db: Q, reportIds: string[], action: string): Promise<Map<string, string>> {
  if (!reportIds.length) return new Map();
  const rows = await db.selectFrom("report_entries").select(["report_id", (eb) => eb.fn.max("created_at").as("at")])
    .where("report_id", "in", reportIds).where("kind", "=", "status").where("meta", "like", `%"action":"${action}"%`)
    .groupBy("report_id").execute();
  return new Map(rows.map((r) => [r.report_id, String(r.at)]));
}

/** The newest entry of one kind (e.g. the notice address), as a list of zero or one row. */
export const latestEntryOfKind = (db: Q, reportId: string, kind: string) =>
  db.selectFrom("report_entries").selectAll().where("report_id", "=", reportId).where("kind", "=", kind).orderBy("position", "desc").limit(1).execute();
