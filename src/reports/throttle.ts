import crypto from "node:crypto";

// Limits for the public intake and receipt checks without storing anything about the client: the key is
// an HMAC under a secret that lives only in this process's memory and is replaced every day, and the
// counters live in a Map that is never written anywhere. A restart forgets everything, on purpose.

type Window = { count: number; resetAt: number };

export class AnonymousThrottle {
  private secret = crypto.randomBytes(32);
  private secretDay = dayOf(Date.now());
  private windows = new Map<string, Window>();

  constructor(private readonly limit: number, private readonly windowMs: number, private readonly clock: () => number = Date.now) {}

  /** The opaque key for a client hint (the connection's address): only its HMAC is kept, and only in memory. */
  key(hint: string): string {
    const at = this.clock();
    if (dayOf(at) !== this.secretDay) { this.secret = crypto.randomBytes(32); this.secretDay = dayOf(at); this.windows.clear(); }
    return crypto.createHmac("sha256", this.secret).update(hint).digest("base64url");
  }

  /** Whether the key is over its limit now (without counting). */
  blocked(key: string): boolean {
    const w = this.current(key);
    return !!w && w.count >= this.limit;
  }

  /** Counts one event; true when the key is still within its limit afterwards. */
  hit(key: string): boolean {
    const at = this.clock();
    let w = this.current(key);
    if (!w) { w = { count: 0, resetAt: at + this.windowMs }; this.windows.set(key, w); }
    w.count++;
    if (this.windows.size > 100_000) this.sweep();
    return w.count <= this.limit;
  }

  private inFlight = new Map<string, number>();

  /** Runs a check for one key, or refuses it (`{ ok: false }`) when the key is over its limit or already has as many
   *  checks under way as the limit — a check takes time on purpose, so a parallel burst would otherwise pass before any
   *  of it had failed. An error that `isFailure` recognises counts against the key; every error is passed on. */
  async guard<T>(key: string, run: () => Promise<T>, isFailure: (e: unknown) => boolean): Promise<{ ok: true; value: T } | { ok: false }> {
    const running = this.inFlight.get(key) ?? 0;
    if (this.blocked(key) || running >= this.limit) return { ok: false };
    this.inFlight.set(key, running + 1);
    try {
      return { ok: true, value: await run() };
    } catch (e) {
      if (isFailure(e)) this.hit(key);
      throw e;
    } finally {
      const left = (this.inFlight.get(key) ?? 1) - 1;
      if (left > 0) this.inFlight.set(key, left); else this.inFlight.delete(key);
    }
  }

  private current(key: string): Window | undefined {
    const w = this.windows.get(key);
    if (w && w.resetAt <= this.clock()) { this.windows.delete(key); return undefined; }
    return w;
  }

  private sweep() {
    const at = this.clock();
    for (const [k, w] of this.windows) if (w.resetAt <= at) this.windows.delete(k);
  }
}

const dayOf = (ms: number) => Math.floor(ms / 86_400_000);
