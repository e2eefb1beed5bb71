import { Migrator, type Migration, type MigrationProvider } from "kysely";
import type { Db } from "./database.ts";
import * as m0001 from "./migrations/0001_foundation.ts";

// A static list, so migrations ship inside the code and need no directory scan at run time.
const migrations: Record<string, Migration> = {
  "0001_foundation": m0001,
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
