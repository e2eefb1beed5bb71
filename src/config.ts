import path from "node:path";
import { z } from "zod";

/** Every setting comes from the environment; the defaults are the embedded mode. */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z.string().optional().transform((v) => (v && v.trim() ? v.trim() : undefined)),
  BASE_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  INTACT_MASTER_KEY: z.string().optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).default(12),
  LOGIN_MIN_MS: z.coerce.number().int().min(0).default(400),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).default(15),
  ARGON2_MEMORY_KIB: z.coerce.number().int().min(1024).default(19456),
  RECEIPT_MIN_MS: z.coerce.number().int().min(0).default(500),
  MAILBOX_IDLE_MINUTES: z.coerce.number().int().min(1).default(30),
  INTAKE_MAX_PER_HOUR: z.coerce.number().int().min(1).default(20),
  RECEIPT_MAX_FAILURES: z.coerce.number().int().min(1).default(10),
  CHROMIUM_PATH: z.string().min(1).default("/usr/bin/chromium"),
  DEFAULT_LOCALE: z.enum(["nl", "en"]).default("nl"),
  TRUST_PROXY: z.enum(["true", "false"]).default("false").transform((v) => v === "true"),
  SMTP_URL: z.string().optional().transform((v) => (v && v.trim() ? v.trim() : undefined))
    .refine((v) => v === undefined || /^smtps?:\/\/[^/]/i.test(v), { message: "must start with smtp:// or smtps://" }),
  MAIL_FROM: z.string().trim().min(3).default("Intact <no-reply@localhost>"),
  ATTACHMENT_MAX_FILE_MB: z.coerce.number().int().min(1).max(1024).default(25),
  ATTACHMENT_MAX_REPORT_MB: z.coerce.number().int().min(1).max(10_240).default(100),
  ATTACHMENT_MAX_FILES: z.coerce.number().int().min(1).max(1000).default(20),
  ATTACHMENT_MAX_PENDING_MB: z.coerce.number().int().min(1).max(1_048_576).default(2048),
  // For tests only: the periodic jobs run this many times as often (docs/operations.md).
  JOB_SPEEDUP: z.coerce.number({ message: "must be a whole number from 1 to 3600" })
    .int("must be a whole number from 1 to 3600").min(1, "must be a whole number from 1 to 3600")
    .max(3600, "must be a whole number from 1 to 3600").default(1),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  baseUrl: string;
  secureCookies: boolean;
  logLevel: z.infer<typeof envSchema>["LOG_LEVEL"];
  masterKey: string | undefined;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  loginMinMs: number;
  loginMaxFailures: number;
  loginLockMs: number;
  argon2MemoryKib: number;
  /** Receipt checks take at least this long, found or not. */
  receiptMinMs: number;
  mailboxIdleMs: number;
  /** In-memory limits for the public intake and receipt checks, per client (hashed with a daily secret). */
  intakeMaxPerHour: number;
  receiptMaxFailures: number;
  /** Headless Chromium for PDF documents; without it the print view remains. */
  chromiumPath: string;
  defaultLocale: "nl" | "en";
  trustProxy: boolean;
  /** smtp://user:pass@host:587 or smtps://…:465; unset = e-mail disabled (the outbox keeps its rows). A secret: never logged. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Attachments: per file (before cleaning), per report (all files together, after cleaning), and how many. */
  attachmentMaxFileBytes: number;
  attachmentMaxReportBytes: number;
  attachmentMaxFiles: number;
  /** Unsent uploads of the intake's files step (stored before the report exists), per organisation together. */
  attachmentMaxPendingBytes: number;
  /** Divides the periods of the periodic jobs (and their lease and claim times), so a test can watch them run.
   *  1 in production; the server warns at startup otherwise. */
  jobSpeedup: number;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const baseUrl = (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, "");
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    baseUrl,
    secureCookies: baseUrl.startsWith("https://"),
    logLevel: e.LOG_LEVEL,
    masterKey: e.INTACT_MASTER_KEY,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000,
    loginMinMs: e.LOGIN_MIN_MS,
    loginMaxFailures: e.LOGIN_MAX_FAILURES,
    loginLockMs: e.LOGIN_LOCK_MINUTES * 60_000,
    argon2MemoryKib: e.ARGON2_MEMORY_KIB,
    receiptMinMs: e.RECEIPT_MIN_MS,
    mailboxIdleMs: e.MAILBOX_IDLE_MINUTES * 60_000,
    intakeMaxPerHour: e.INTAKE_MAX_PER_HOUR,
    receiptMaxFailures: e.RECEIPT_MAX_FAILURES,
    chromiumPath: e.CHROMIUM_PATH,
    defaultLocale: e.DEFAULT_LOCALE,
    trustProxy: e.TRUST_PROXY,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    attachmentMaxFileBytes: e.ATTACHMENT_MAX_FILE_MB * 1024 * 1024,
    attachmentMaxReportBytes: e.ATTACHMENT_MAX_REPORT_MB * 1024 * 1024,
    attachmentMaxFiles: e.ATTACHMENT_MAX_FILES,
    attachmentMaxPendingBytes: e.ATTACHMENT_MAX_PENDING_MB * 1024 * 1024,
    jobSpeedup: e.JOB_SPEEDUP,
  };
}
