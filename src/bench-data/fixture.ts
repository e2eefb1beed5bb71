// What `generateBenchData` hands back: plain JSON (ids, addresses, secrets shown once), so the benchmark runner
// and `intact bench-data --json` can rely on one shape. Every id names a row that exists in the database.

export type Scale = "small" | "national";

/** An account made for the benchmark: password sign-in (its organisations do not require TOTP) and a personal API token. */
export type BenchAccount = {
  accountId: string;
  email: string;
  /** Shown once; only an Argon2id hash is stored. */
  password: string;
  /** A personal API token (Authorization: Bearer …), valid for 366 days. Shown once. */
  apiToken: string;
};

export type BenchReceipt = {
  reportId: string;
  organisationId: string;
  /** The public intake address of the organisation: /melden/<slug>. */
  organisationSlug: string;
  reference: string;
  /** The 16-digit receipt code (the reporter's "passphrase"): its Argon2id hash is stored, as for a real report. */
  receipt: string;
};

export type BenchFixture = {
  scale: Scale;
  seed: number;
  /** The reference day (Amsterdam, yyyy-mm-dd): five years of history end here. */
  today: string;
  dialect: "sqlite" | "postgres";
  /** Wall-clock time of the generation, in milliseconds. */
  ms: number;
  counts: {
    groups: number; organisations: number; units: number; positions: number; people: number; accounts: number;
    reports: number; reportEntries: number; advisorContacts: number; advisorActivities: number;
  };
  /** The regions (organisation_groups of kind "region"), each with its member organisations, in generation order. */
  regions: { id: string; name: string; organisationIds: string[] }[];
  /** The advisors' pool: a group (kind "provider") served by `advisor`, with `size` member organisations (40 nationally). */
  pool: { groupId: string; name: string; organisationIds: string[] };
  /** Coordinator with a group grant on the pool: sees the desk cases of all its organisations (the inbox workloads). */
  coordinator: BenchAccount & { groupId: string; organisationIds: string[] };
  /** Confidential advisor with a group grant on the pool: reads the live five-year report of the pool. */
  advisor: BenchAccount & { groupId: string };
  /** The advisor report workload: scope "group" on the pool, the report year and the five years it shows. */
  advisorReport: { scope: "group"; id: string; year: number; years: number[] };
  /** Cases with a long timeline (50 events on the case page besides the report itself, of which 20 messages), under investigation,
   *  visible to `coordinator`. The first is the workload's case. */
  longCases: { reportId: string; organisationId: string; reference: string; entries: number; messages: number }[];
  /** Anonymous reports with a known receipt, for the receipt-check workload (mailbox sign-in). */
  receipts: BenchReceipt[];
};

export type GenerateBenchOptions = {
  scale: Scale;
  /** Same seed (and same `today`) → same rows: names, dates, statuses, counts, ids. Sealed blobs and secrets differ (random IVs and keys). */
  seed?: number;
  /** Reference day, yyyy-mm-dd; defaults to today in Amsterdam. */
  today?: string;
  /** Progress lines (one per phase); default silent. */
  log?: (message: string) => void;
  /** Generate even though the database already has organisations (adds a second data set beside them). */
  force?: boolean;
};

export const DEFAULT_BENCH_SEED = 20_260_101;
