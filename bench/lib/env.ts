// What every workload gets from the runner: the database and its fixture, the running server, the signed-in
// browsers, the floor's SQL machinery and how long to run.
import type { BenchFixture } from "../../src/bench-data/generate.ts";
import type { BenchDatabase } from "./database.ts";
import type { Child } from "./server.ts";
import type { Browser } from "./session.ts";
import type { SqlFloor } from "./sql-floor.ts";

export type BenchEnv = {
  db: BenchDatabase;
  fixture: BenchFixture;
  server: Child;
  coordinator: Browser;
  advisor: Browser;
  floor: SqlFloor;
  /** Seconds of each measured run (the server's and its floor's alike), and untimed seconds before. */
  seconds: number;
  warmupSeconds: number;
  /** A deterministic stream for anything the workloads choose (seeded from --seed). */
  random: () => number;
};

/** A fake client address per connection (X-Forwarded-For; the server trusts the proxy): 20 connections are 20 reporters. */
export const clientAddress = (random: () => number) => `10.${Math.floor(random() * 250)}.${Math.floor(random() * 250)}.${1 + Math.floor(random() * 250)}`;
