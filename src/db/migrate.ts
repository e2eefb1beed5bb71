import { Migrator, type Migration, type MigrationProvider } from "kysely";
import type { Db } from "./database.ts";
import * as m0001 from "./migrations/0001_foundation.ts";
import * as m0002 from "./migrations/0002_import_commits_and_search.ts";
import * as m0003 from "./migrations/0003_reports.ts";
import * as m0004 from "./migrations/0004_outbox.ts";
import * as m0006 from "./migrations/0006_case_recipient_and_nonce.ts";
import * as m0005 from "./migrations/0005_attachments.ts";
import * as m0007 from "./migrations/0007_report_measures.ts";
import * as m0008 from "./migrations/0008_advisors.ts";
import * as m0009 from "./migrations/0009_advisor_report_snapshots.ts";
import * as m0010 from "./migrations/0010_advisor_note_files.ts";
import * as m0011 from "./migrations/0011_report_next_due.ts";

// A static list, so migrations ship inside the code and need no directory scan at run time.
const migrations: Record<string, Migration> = {
  "0001_foundation": m0001,
  "0002_import_commits_and_search": m0002,
  "0003_reports": m0003,
  "0004_outbox": m0004,
  "0005_attachments": m0005,
  "0006_case_recipient_and_nonce": m0006,
  "0007_report_measures": m0007,
  "0008_advisors": m0008,
  "0009_advisor_report_snapshots": m0009,
  "0010_advisor_note_files": m0010,
  "0011_report_next_due": m0011,
};

class StaticProvider implements MigrationProvider {
  async getMigrations() { return migrations; }
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/** Up to and including one migration (tests use it to put rows in an older schema). */
export async function migrateTo(db: Db, name: string): Promise<void> {
  const { error } = await new Migrator({ db, provider: new StaticProvider() }).migrateTo(name);
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
