import { PostgresAdapter, sql, type Kysely } from "kysely";

// The next statutory date a case waits for, as a generated column (ADR 0013): acknowledgement first, then
// feedback; none once both are met or the case is closed. The inbox filters and sorts on it; computed in each query
// (the expression below, as it stood in reports/repository.ts) it could use no index, so at national scale the
// "overdue" filter read every case of the reader's organisations. The database keeps it in step with the columns
// it derives from, so no code path can forget to update it. SQLite: VIRTUAL (computed on read, indexable; ALTER
// TABLE can only add a virtual one). PostgreSQL: STORED (the only kind it has; adding it rewrites the table once).
export const NEXT_DUE_EXPRESSION = "case when status = 'closed' then null when acknowledged_at is null then ack_due_on "
  + "when feedback_given_at is null then feedback_due_on else null end";

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const kind = postgres ? "stored" : "virtual";
  await sql`alter table reports add column next_due_on text generated always as (${sql.raw(NEXT_DUE_EXPRESSION)}) ${sql.raw(kind)}`.execute(db);
  await db.schema.createIndex("reports_org_next_due").on("reports").columns(["organisation_id", "next_due_on"]).execute();
}
