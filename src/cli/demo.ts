import { parseArgs } from "node:util";
import pino from "pino";
import { boot } from "../boot.ts";
import { loadConfig } from "../config.ts";
import { totpUri } from "../auth/totp.ts";
import { createLogger } from "../log.ts";
import { DemoAlreadyLoaded, loadDemo, type DemoCredential, type DemoResult } from "../demo/load.ts";
import { loadDemoAdvisorRegister } from "../demo/advisors.ts";
import { loadDemoReports } from "../demo/reports.ts";

/** intact demo [--json]: fills the database with the demo region and prints the accounts, once. */
export async function run(args: string[]) {
  const { values } = parseArgs({ args, options: { json: { type: "boolean", default: false }, seed: { type: "string" } } });
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new Error("--seed must be an integer");
  const config = loadConfig();
  // Logs go to stderr, so stdout holds only the table (or, with --json, only the JSON array).
  const log = createLogger(config.logLevel, pino.destination({ fd: 2, sync: true }));
  const { ctx, database } = await boot({ config, log });
  let result: DemoResult;
  let reports = 0, contacts = 0;
  try {
    result = await loadDemo(ctx, { seed });
    reports = await loadDemoReports(ctx);
    contacts = await loadDemoAdvisorRegister(ctx);
  } catch (err) {
    if (err instanceof DemoAlreadyLoaded) {
      console.error(err.message);
      process.exitCode = 1;
      return;
    }
    throw err;
  } finally {
    await database.close();
  }
  log.info({ ...result.counts, reports, advisorContacts: contacts, ms: result.ms, database: ctx.dialect }, "demo loaded");

  if (values.json) {
    const out = result.credentials.map(({ email, password, roles, organisation, totpSecret }) => ({ email, password, roles, organisation, totpSecret }));
    process.stdout.write(JSON.stringify(out, null, 2) + "\n");
    return;
  }
  printTable(result, reports, contacts, ctx.config.baseUrl, ctx.dialect === "sqlite" ? `SQLite in ${ctx.config.dataDir}` : "PostgreSQL");
}

function printTable(result: DemoResult, reports: number, contacts: number, baseUrl: string, where: string) {
  const c = result.counts;
  const lines: string[] = [];
  lines.push(`Demo loaded into ${where} in ${result.ms} ms: Regio Groenhart with ${c.organisations} organisations, ${c.units} units, `
    + `${c.positions} positions, ${c.people} people and ${c.accounts} accounts, ${reports} reports in every state of handling, `
    + `and ${contacts} contacts in the confidential advisor's register.`, "");
  const header = ["Organisation", "Role", "E-mail", "Password", "TOTP secret"];
  const rows = result.credentials.map((k: DemoCredential) => [k.organisation, k.roles.join(", "), k.email, k.password, k.totpSecret]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((v, i) => v.padEnd(widths[i]!)).join("  ").trimEnd();
  lines.push(fmt(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(fmt), "");
  lines.push("TOTP setup links (otpauth URIs):");
  for (const k of result.credentials) lines.push(`  ${k.email}`, `    ${totpUri(k.totpSecret, k.email)}`);
  lines.push("",
    "These passwords and TOTP secrets are shown ONLY ONCE: they are stored hashed and sealed, and cannot be shown again.",
    "Every account has two-step verification on. To sign in, add the account to an authenticator app",
    "(for example FreeOTP, Aegis, Google or Microsoft Authenticator): choose \"enter a setup key\", use the e-mail",
    "address as the account name and the TOTP secret as the key (time-based, 6 digits, 30 seconds), or turn an",
    "otpauth URI above into a QR code and scan it. Then sign in at " + `${baseUrl}/inloggen with the e-mail address,`,
    "the password and the 6-digit code from the app.");
  process.stdout.write(lines.join("\n") + "\n");
}
