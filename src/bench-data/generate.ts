// The benchmark (and demo) data set: `generateBenchData(ctx, { scale, seed })` fills an empty database with a
// synthetic country — regions of organisations with units and people, five years of cases on the reporting desk,
// confidential advisors' contacts and activities — and returns a JSON description of what it made (fixture.ts):
// the accounts the runner signs in with, the pool for the advisors' report, the case with the long timeline, and
// receipts that open known reports. Rows are real: cases are sealed under their own keys with the instance key, as
// the intake seals them, so every case opens on its page; the statuses, timelines and deadlines follow the workflow.
//
// Everything is written in one transaction with one audit event (benchData.generate), so a failure leaves nothing.
// The same seed and reference day give the same rows (random.ts); the few slow hashes (passwords, known receipts)
// are computed before the transaction opens.
//
// API (relied on by bench/): generateBenchData(ctx: Context, options: GenerateBenchOptions): Promise<BenchFixture>.
// The Context is the one `boot()` returns (database, dialect, config and the instance key): the key must be the one
// the server under test uses, or the cases would not open there.
import { systemActor } from "../access/actor.ts";
import * as audit from "../audit/service.ts";
import type { Context } from "../context.ts";
import { inTransaction } from "../context.ts";
import type { Db, Trx } from "../db/database.ts";
import { today as todayInAmsterdam } from "../reports/deadlines.ts";
import { writeAccounts, prepareAccounts } from "./accounts.ts";
import { writeAdvisors } from "./advisors.ts";
import { prepareDesk, writeDesk } from "./desk.ts";
import { DEFAULT_BENCH_SEED, type BenchFixture, type GenerateBenchOptions } from "./fixture.ts";
import { planCountry, writeOrganisation, writeRegions } from "./organisations.ts";
import { SCALES } from "./scales.ts";

export type { BenchAccount, BenchFixture, BenchReceipt, GenerateBenchOptions, Scale } from "./fixture.ts";
export { DEFAULT_BENCH_SEED } from "./fixture.ts";

/** Refused: the database already holds organisations (and `force` was not given). Nothing was written. */
export class BenchDataRefused extends Error {
  constructor(organisations: number) {
    super(`This database already holds ${organisations} organisation(s). bench-data fills an EMPTY database with a synthetic `
      + "data set (thousands of made-up organisations, people and cases) for measurements and demonstrations; mixed into real data "
      + "it would distort every figure and yearly report. Nothing was written. Point DATA_DIR or DATABASE_URL at a fresh database, "
      + "or, if you really mean to add the data set beside what is there, pass --force.");
    this.name = "BenchDataRefused";
  }
}

export async function generateBenchData(ctx: Context, options: GenerateBenchOptions): Promise<BenchFixture> {
  const started = performance.now();
  const spec = SCALES[options.scale];
  if (!spec) throw new Error(`Unknown scale: ${String(options.scale)} (small or national)`);
  const seed = options.seed ?? DEFAULT_BENCH_SEED;
  if (!Number.isSafeInteger(seed)) throw new Error("The seed must be an integer");
  const day = options.today ?? todayInAmsterdam();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`Not a date: ${day}`);
  const log = options.log ?? (() => {});

  const existing = await countOrganisations(ctx.db);
  if (existing > 0 && !options.force) throw new BenchDataRefused(existing);

  const country = planCountry(spec, seed);
  // The slow hashes first: nothing waits on Argon2id while the transaction is open.
  const accounts = await prepareAccounts(ctx, country, seed);
  const desk = await prepareDesk(ctx, country, spec);
  log(`planned ${country.organisations.length} organisations in ${country.regions.length} regions; writing`);

  const fixture = await inTransaction(ctx, async (trx) => {
    const again = await countOrganisations(trx);
    if (again > 0 && !options.force) throw new BenchDataRefused(again);
    const counts = {
      groups: 0, organisations: 0, units: 0, positions: 0, people: 0, accounts: 0,
      reports: 0, reportEntries: 0, advisorContacts: 0, advisorActivities: 0,
    };
    Object.assign(counts, await writeRegions(trx, country, day));
    counts.accounts = await writeAccounts(trx, country, accounts);
    let done = 0;
    for (const org of country.organisations) {
      const made = await writeOrganisation(trx, country, org, seed, day);
      counts.units += made.units; counts.positions += made.positions; counts.people += made.people;
      const d = await writeDesk(ctx, trx, country, desk, org, made, seed, day, accounts);
      counts.reports += d.reports; counts.reportEntries += d.entries;
      const a = await writeAdvisors(ctx, trx, country, accounts, org, made, spec, seed, day);
      counts.advisorContacts += a.contacts; counts.advisorActivities += a.activities;
      done++;
      if (done % 20 === 0 || done === country.organisations.length) {
        log(`${done}/${country.organisations.length} organisations: ${counts.people} people, ${counts.reports} cases, ${counts.advisorContacts} contacts`);
      }
    }
    await audit.record(ctx, trx, {
      actor: systemActor("bench-data"), action: "benchData.generate", objectType: "organisationGroup", objectId: country.pool.id,
      details: { scale: options.scale, seed, today: day, ...counts },
    });
    const year = Number(day.slice(0, 4)) - 1;
    const result: BenchFixture = {
      scale: options.scale, seed, today: day, dialect: ctx.dialect, ms: 0, counts,
      regions: country.regions.map((r) => ({ id: r.id, name: r.name, organisationIds: r.organisations.map((o) => o.id) })),
      pool: { groupId: country.pool.id, name: country.pool.name, organisationIds: country.pool.organisations.map((o) => o.id) },
      coordinator: { ...accounts.coordinator.credentials, groupId: country.pool.id, organisationIds: country.pool.organisations.map((o) => o.id) },
      advisor: { ...accounts.advisor.credentials, groupId: country.pool.id },
      advisorReport: { scope: "group", id: country.pool.id, year, years: [year - 4, year - 3, year - 2, year - 1, year] },
      longCases: desk.longCases(),
      receipts: desk.receipts(),
    };
    return result;
  });
  fixture.ms = Math.round(performance.now() - started);
  log(`done in ${(fixture.ms / 1000).toFixed(1)} s`);
  return fixture;
}

async function countOrganisations(db: Db | Trx): Promise<number> {
  const r = await db.selectFrom("organisations").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(r.n);
}
