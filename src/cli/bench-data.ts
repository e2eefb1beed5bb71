import { parseArgs } from "node:util";
import pino from "pino";
import { boot } from "../boot.ts";
import { loadConfig } from "../config.ts";
import { createLogger } from "../log.ts";
import { BenchDataRefused, generateBenchData } from "../bench-data/generate.ts";
import { isScale } from "../bench-data/scales.ts";

const USAGE = "Usage: intact bench-data --scale small|national [--seed <integer>] [--json] [--force]";

/** intact bench-data: fills an empty database with the synthetic data set of the benchmark (and for demonstrations). */
export async function run(args: string[]) {
  const { values } = parseArgs({ args, options: {
    scale: { type: "string" }, seed: { type: "string" }, json: { type: "boolean", default: false }, force: { type: "boolean", default: false },
  } });
  if (!values.scale || !isScale(values.scale)) throw new Error(USAGE);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isSafeInteger(seed)) throw new Error("--seed must be an integer");
  const config = loadConfig();
  // Progress and logs go to stderr, so stdout holds only the summary (or, with --json, only the fixture).
  const log = createLogger(config.logLevel, pino.destination({ fd: 2, sync: true }));
  const { ctx, database } = await boot({ config, log });
  try {
    const fixture = await generateBenchData(ctx, { scale: values.scale, seed, force: values.force, log: (m) => process.stderr.write(`bench-data: ${m}\n`) });
    if (values.json) {
      process.stdout.write(JSON.stringify(fixture, null, 2) + "\n");
      return;
    }
    const c = fixture.counts;
    process.stdout.write([
      `Bench data (${fixture.scale}, seed ${fixture.seed}) written to ${ctx.dialect === "sqlite" ? `SQLite in ${config.dataDir}` : "PostgreSQL"} in ${(fixture.ms / 1000).toFixed(1)} s:`,
      `  ${c.organisations} organisations in ${fixture.regions.length} regions, ${c.units} units, ${c.people} people, ${c.accounts} accounts,`,
      `  ${c.reports} cases with ${c.reportEntries} timeline entries, ${c.advisorContacts} advisors' contacts and ${c.advisorActivities} activities.`,
      "",
      `Coordinator of the pool (${fixture.pool.organisationIds.length} organisations): ${fixture.coordinator.email}  password ${fixture.coordinator.password}`,
      `Confidential advisor of the pool:  ${fixture.advisor.email}  password ${fixture.advisor.password}`,
      "The passwords and API tokens are shown only once (use --json to keep them). These organisations do not require two-step verification.",
      "",
    ].join("\n"));
  } catch (err) {
    if (err instanceof BenchDataRefused) {
      console.error(err.message);
      process.exitCode = 1;
      return;
    }
    throw err;
  } finally {
    await database.close();
  }
}
