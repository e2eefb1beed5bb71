import { parseArgs } from "node:util";
import { systemActor } from "../access/actor.ts";
import { boot } from "../boot.ts";
import * as repo from "../auth/repository.ts";
import { createApiToken } from "../auth/service.ts";

/** intact token create --email … [--name …] [--days …]: an operator creates a personal API token. */
export async function run(args: string[]) {
  const [sub, ...rest] = args;
  if (sub !== "create") throw new Error("Usage: intact token create --email <address> [--name <name>] [--days <1-366>]");
  const { values } = parseArgs({ args: rest, options: { email: { type: "string" }, name: { type: "string" }, days: { type: "string" } } });
  if (!values.email) throw new Error("--email is required");
  const { ctx, database } = await boot();
  try {
    const account = await repo.findAccountByEmail(ctx.db, values.email);
    if (!account) throw new Error(`No account with e-mail address ${values.email}`);
    const { token, expiresAt } = await createApiToken(ctx, systemActor("cli"), account.id, values.name ?? "CLI", Number(values.days ?? 90));
    console.log(token);
    console.error(`Token for ${account.email}, valid until ${expiresAt}. It is shown only once.`);
  } finally {
    await database.close();
  }
}
