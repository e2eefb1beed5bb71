// An in-process SMTP server (smtp-server) that keeps every message it accepted: the outbox tests and the
// cluster suite deliver real mail to it over loopback.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export type Received = { to: string[]; raw: string; text: string; /** Date.now() when the server accepted it */ at: number };
export type Smtp = {
  port: number; messages: Received[]; to(address: string): Received[]; close(): Promise<void>;
  /** Changes the delay for the messages from now on. */
  setDelay(ms: number): void;
};

/** Quoted-printable decoding, so a check for a string cannot be fooled by the transfer encoding. */
const unQp = (raw: string) =>
  Buffer.from(raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8");

/** `delayMs`: how long the server takes to accept each message once its data is in (a slow mail server makes a
 *  sender's run long enough to kill it in the middle). */
export async function startSmtp(opts: { port?: number; delayMs?: number } = {}): Promise<Smtp> {
  const messages: Received[] = [];
  let delayMs = opts.delayMs ?? 0;
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ["STARTTLS"], logger: false, closeTimeout: 1000,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const accept = () => {
          const raw = Buffer.concat(chunks).toString("utf8");
          messages.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, text: unQp(raw), at: Date.now() });
          callback();
        };
        if (delayMs) setTimeout(accept, delayMs); else accept();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port, messages,
    to: (address) => messages.filter((m) => m.to.includes(address)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    setDelay: (ms) => { delayMs = ms; },
  };
}
