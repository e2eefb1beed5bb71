// A signed-in page under load and its floor or ceiling, compared by p95: the shared shape of workloads 2–4.
import type { Actor } from "../../src/access/actor.ts";
import * as authRepo from "../../src/auth/repository.ts";
import { loadActor } from "../../src/auth/service.ts";
import type { BenchEnv } from "./env.ts";
import { load, type LoadResult } from "./load.ts";
import type { Browser } from "./session.ts";

/** Pages are measured one request at a time: the latency is then the server's time plus loopback (< 0.1 ms), which
 *  is what the "server time" targets speak of; concurrency would only add the queue of a busy process. */
export const PAGE_CONNECTIONS = 1;

export function getPage(env: BenchEnv, browser: Browser, path: string): Promise<LoadResult> {
  return load({
    base: env.server.base, connections: PAGE_CONNECTIONS, seconds: env.seconds, warmupSeconds: env.warmupSeconds,
    requests: [{ method: "GET", path, headers: { cookie: browser.cookie } }],
  });
}

/** The actor behind a bench account, as the server loads it for a session (for the floors' captured statements). */
export async function actorOf(env: BenchEnv, accountId: string): Promise<Actor> {
  const account = await authRepo.findAccount(env.db.ctx.db, accountId);
  if (!account) throw new Error(`No account ${accountId}`);
  return loadActor(env.db.ctx.db, account, null, "session");
}

/** Fails loudly when a page run measured nothing but errors. */
export function mustHaveAnswered(what: string, r: LoadResult): void {
  if (!r.ops || r.errors > r.ops * 0.01) throw new Error(`${what}: ${r.ops} good answers, ${r.errors} errors (statuses ${JSON.stringify(r.statuses)})`);
}
