import crypto from "node:crypto";

/** 256 random bits, URL-safe. */
export function randomToken(prefix = ""): string {
  return prefix + crypto.randomBytes(32).toString("base64url");
}

/** Tokens carry 256 bits of entropy, so a plain SHA-256 is a sufficient one-way store. */
export function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token, "utf8").digest("hex");
}

export function sha256Hex(data: string): string {
  return crypto.createHash("sha256").update(data, "utf8").digest("hex");
}

export function hmacHex(key: Buffer, data: string): string {
  return crypto.createHmac("sha256", key).update(data, "utf8").digest("hex");
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a), bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}

export const newId = (): string => crypto.randomUUID();
export const now = (): string => new Date().toISOString();
