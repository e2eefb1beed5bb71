// After a fuzz or abuse run: the audit chain still verifies, and nothing was left half-written — every report has
// its key and its content entry, every advisor contact its natures and its key, every stored file all its chunks.
import { sql } from "kysely";
import { verify } from "../../src/audit/service.ts";
import type { Context } from "../../src/context.ts";

export async function integrityProblems(ctx: Context): Promise<string[]> {
  const db = ctx.db;
  const problems: string[] = [];
  const audit = await verify(ctx);
  if (!audit.ok) problems.push(`audit chain broken at ${audit.brokenSeq}: ${audit.reason}`);
  const list = async (what: string, rows: Promise<{ id: string }[]>) => {
    const found = await rows;
    if (found.length) problems.push(`${what}: ${found.slice(0, 5).map((r) => r.id).join(", ")}${found.length > 5 ? ` (+${found.length - 5})` : ""}`);
  };
  const live = db.selectFrom("reports").where("destroyed_at", "is", null);
  await list("reports without a content entry", live.select("reports.id").where(({ not, exists, selectFrom }) =>
    not(exists(selectFrom("report_entries").select("report_entries.id").whereRef("report_entries.report_id", "=", "reports.id").where("report_entries.kind", "=", "content")))).execute());
  await list("reports without a key", live.select("reports.id").where(({ not, exists, selectFrom }) =>
    not(exists(selectFrom("report_keys").select("report_keys.report_id").whereRef("report_keys.report_id", "=", "reports.id")))).execute());
  await list("report entries of no report", db.selectFrom("report_entries").select("report_entries.id").where(({ not, exists, selectFrom }) =>
    not(exists(selectFrom("reports").select("reports.id").whereRef("reports.id", "=", "report_entries.report_id")))).execute());
  await list("reports with two entries in one position", db.selectFrom("report_entries").select("report_id as id").groupBy(["report_id", "position"])
    .having(sql`count(*)`, ">", 1).execute());
  await list("advisor contacts without natures", db.selectFrom("advisor_contacts").select("advisor_contacts.id").where(({ not, exists, selectFrom }) =>
    not(exists(selectFrom("advisor_contact_natures").select("advisor_contact_natures.contact_id").whereRef("advisor_contact_natures.contact_id", "=", "advisor_contacts.id")))).execute());
  await list("advisor contacts without a key", db.selectFrom("advisor_contacts").select("advisor_contacts.id").where(({ not, exists, selectFrom }) =>
    not(exists(selectFrom("advisor_contact_keys").select("advisor_contact_keys.contact_id").whereRef("advisor_contact_keys.contact_id", "=", "advisor_contacts.id")))).execute());
  await list("files whose chunks are not all there", db.selectFrom("report_attachments").select("report_attachments.id")
    .where("report_attachments.chunk_count", "!=", (eb) => eb.selectFrom("attachment_chunks").select(sql<number>`count(*)`.as("n")).whereRef("attachment_chunks.attachment_id", "=", "report_attachments.id"))
    .execute());
  await list("attached files without their sealed key or name", db.selectFrom("report_attachments").select("id").where("report_id", "is not", null)
    .where((eb) => eb.or([eb("wrapped_key", "is", null), eb("sealed_meta", "is", null)])).execute());
  await list("chunks of no file", db.selectFrom("attachment_chunks").select("attachment_id as id").where(({ not, exists, selectFrom }) =>
    not(exists(selectFrom("report_attachments").select("report_attachments.id").whereRef("report_attachments.id", "=", "attachment_chunks.attachment_id")))).execute());
  await list("grants of no account", db.selectFrom("role_assignments").select("role_assignments.id").where(({ not, exists, selectFrom }) =>
    not(exists(selectFrom("accounts").select("accounts.id").whereRef("accounts.id", "=", "role_assignments.account_id")))).execute());
  return problems;
}

/** Row counts of every table that holds what people write, to show a refused request wrote nothing. */
export async function rowCounts(ctx: Context): Promise<Record<string, number>> {
  const tables = ["reports", "report_entries", "report_attachments", "attachment_chunks", "people", "units", "positions", "accounts", "role_assignments",
    "api_tokens", "advisor_contacts", "advisor_notes", "advisor_activities", "report_categories", "report_measures", "advisor_natures", "organisation_groups",
    "audit_events", "mailbox_sessions", "outbox", "import_commits", "report_exclusions"] as const;
  const out: Record<string, number> = {};
  for (const t of tables) {
    const r = await ctx.db.selectFrom(t).select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow();
    out[t] = Number(r.n);
  }
  return out;
}
