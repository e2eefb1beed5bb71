import { boot } from "./boot.ts";
import { buildApp } from "./http/app.ts";
import { ensureSetupToken } from "./auth/setup.ts";
import { PROCESS_HOLDER } from "./jobs/lease.ts";
import { standardJobs, startScheduler } from "./jobs/scheduler.ts";
import { createMailTransport } from "./notify/mailer.ts";

const HELP = `Intact — integrity management

Usage: intact <command> [options]

  serve                         start the web server (default)
  migrate                       bring the database schema up to date
  demo [--json]                 fill the database with a demo region and print the accounts
  bench-data --scale small|national [--seed <n>] [--json] [--force]
                                fill an empty database with the synthetic benchmark data set
  token create --email <e> [--name <n>] [--days <d>]
                                create a personal API token for an account
  audit verify                  recompute the audit hash chain and name the first broken row
  backup <file>                 online, consistent copy of the SQLite database
  restore <file>                put a backup in place (stop the server first)
`;

async function main(argv: string[]) {
  const [command = "serve", ...rest] = argv;
  switch (command) {
    case "serve": return serve();
    case "migrate": {
      const { database } = await boot();
      await database.close();
      console.log("Database is up to date.");
      return;
    }
    case "demo": return (await import("./cli/demo.ts")).run(rest);
    case "bench-data": return (await import("./cli/bench-data.ts")).run(rest);
    case "token": return (await import("./cli/token.ts")).run(rest);
    case "audit": return (await import("./cli/audit.ts")).run(rest);
    case "backup": return (await import("./cli/backup.ts")).backup(rest);
    case "restore": return (await import("./cli/backup.ts")).restore(rest);
    case "help": case "--help": case "-h": console.log(HELP); return;
    default:
      console.error(`Unknown command: ${command}\n\n${HELP}`);
      process.exitCode = 2;
  }
}

async function serve() {
  const started = performance.now();
  const { ctx, database } = await boot();
  const app = await buildApp(ctx);
  await app.listen({ port: ctx.config.port, host: ctx.config.host });
  const setup = await ensureSetupToken(ctx);
  // E-mail (outbox every minute), deadline reminders, retention and housekeeping (hourly), each on one instance at a time.
  const transport = createMailTransport(ctx.config);
  if (ctx.config.jobSpeedup !== 1) {
    ctx.log.warn({ jobSpeedup: ctx.config.jobSpeedup }, "JOB_SPEEDUP is set: periodic jobs run faster than their periods (for tests only)");
  }
  const scheduler = startScheduler(ctx, standardJobs(transport, ctx.config.jobSpeedup));
  const where = ctx.dialect === "sqlite" ? `SQLite in ${ctx.config.dataDir}` : "PostgreSQL";
  // `instance` is this process's lease holder id (job_leases.holder): it tells operators which instance runs a job.
  ctx.log.info({ port: ctx.config.port, database: ctx.dialect, instance: PROCESS_HOLDER, startupMs: Math.round(performance.now() - started) }, "Intact is listening");
  console.log(`\nIntact runs at ${ctx.config.baseUrl} (${where}).`);
  if (setup) console.log(`\nFirst start: open this one-time link to create the first organisation and administrator:\n\n  ${ctx.config.baseUrl}/inrichten?token=${setup}\n`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    ctx.log.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await app.close();
    await scheduler.stop();
    transport?.close();
    await database.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main(process.argv.slice(2)).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
