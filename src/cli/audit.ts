import { boot } from "../boot.ts";
import { verify } from "../audit/service.ts";

/** intact audit verify: exit 0 when the chain is whole, 1 with the first broken row otherwise. */
export async function run(args: string[]) {
  if (args[0] !== "verify") throw new Error("Usage: intact audit verify");
  const { ctx, database } = await boot();
  try {
    const result = await verify(ctx);
    if (result.ok) console.log(`Audit chain intact: ${result.count} events, head ${result.head}`);
    else {
      console.log(`Audit chain BROKEN at event ${result.brokenSeq}: ${result.reason} (${result.count} events verified before it)`);
      process.exitCode = 1;
    }
  } finally {
    await database.close();
  }
}
