import { createRequire } from "node:module";
import type Nodemailer from "nodemailer";
import type { Config } from "../config.ts";

// The SMTP transport, from SMTP_URL (smtp://user:pass@host:587 with STARTTLS when the server offers it,
// smtps://…:465 for TLS from the start). Unset: no transport, e-mail is off and the outbox keeps its rows.

export type Mail = { from: string; to: string; subject: string; text: string };

/** What the sender needs of a transport: nodemailer's Transporter fits, and a test can pass its own. */
export type MailTransport = {
  sendMail(mail: Mail & { disableFileAccess: true; disableUrlAccess: true }): Promise<unknown>;
  close(): void;
};

export function createMailTransport(config: Pick<Config, "smtpUrl">): MailTransport | null {
  if (!config.smtpUrl) return null;
  // Loaded only where e-mail is on (it is CommonJS, so this stays synchronous): about 15 MB otherwise idle.
  const nodemailer = createRequire(import.meta.url)("nodemailer") as typeof Nodemailer;
  return nodemailer.createTransport({
    url: config.smtpUrl,
    // Short waits: a dead server costs one attempt, not minutes of a periodic run.
    connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000,
    // Nothing in a message is a file or a link to fetch.
    disableFileAccess: true, disableUrlAccess: true,
  });
}
