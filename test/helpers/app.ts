import type { FastifyInstance } from "fastify";
import { buildApp } from "../../src/http/app.ts";
import { freshDatabase, type DbKind, type TestDb } from "./db.ts";

/** A fresh database and the real Fastify app on top of it (requests through app.inject). */
export async function testApp(kind: DbKind, env: Record<string, string> = {}): Promise<TestDb & { app: FastifyInstance; close(): Promise<void> }> {
  const tdb = await freshDatabase(kind, env);
  const app = await buildApp(tdb.ctx);
  await app.ready();
  return { ...tdb, app, async close() { await app.close(); await tdb.drop(); } };
}
