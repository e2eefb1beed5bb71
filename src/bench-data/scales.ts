// The two sizes of the data set. "national": a country's worth of public employers on one installation
// (issue 5's target); "small": the same shape in a few seconds, for tests and the runner's smoke test.
import type { Scale } from "./fixture.ts";

export type ScaleSpec = {
  regions: number;
  organisationsPerRegion: number;
  /** Organisations in the advisors' pool (a provider's clients), taken from the first regions. */
  poolSize: number;
  people: number;
  /** Cases over five years, on all desks together. */
  reports: number;
  /** Advisors' contacts over five years, all organisations together. */
  contacts: number;
  /** Activities (talks, workshops) per advisor per year. */
  activitiesPerYear: number;
  /** Cases with 50 timeline entries and 20 messages. */
  longCases: number;
  /** Anonymous reports whose receipt is returned (each costs one Argon2id hash). */
  receipts: number;
};

export const SCALES: Record<Scale, ScaleSpec> = {
  small: {
    regions: 2, organisationsPerRegion: 3, poolSize: 4, people: 1_200, reports: 1_000, contacts: 3_000,
    activitiesPerYear: 12, longCases: 2, receipts: 3,
  },
  national: {
    regions: 40, organisationsPerRegion: 10, poolSize: 40, people: 300_000, reports: 100_000, contacts: 500_000,
    activitiesPerYear: 40, longCases: 5, receipts: 10,
  },
};

export const isScale = (v: string): v is Scale => v === "small" || v === "national";
