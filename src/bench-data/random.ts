// Seeded randomness for the bench data: every stream is derived from the seed and a name (an organisation's
// index, "desk", …), so one organisation's rows do not depend on how many random numbers another one drew, and
// the same seed gives the same rows. Ids are UUID-shaped and derived the same way (a counter per stream, hashed):
// deterministic, and without the collisions a 32-bit generator would give over millions of ids.
import crypto from "node:crypto";
import { int, mulberry32, pick, shuffle, type Rng } from "../demo/generate.ts";

export { int, pick, shuffle, type Rng };

const seedOf = (parts: readonly (string | number)[]) => crypto.createHash("sha256").update(parts.join("/")).digest().readUInt32LE(0);

/** A generator for one named stream of a seed. */
export const stream = (seed: number, ...name: (string | number)[]): Rng => mulberry32(seedOf([seed, ...name]));

/** Ids for one named stream: the n-th id is a hash of (seed, name, n), formatted as a version-4 UUID. */
export function idStream(seed: number, ...name: (string | number)[]): () => string {
  const prefix = `${seed}/${name.join("/")}/`;
  let n = 0;
  return () => {
    const h = crypto.createHash("sha256").update(prefix + n++).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${"89ab"[parseInt(h[16]!, 16) & 3]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
}

export const chance = (r: Rng, p: number) => r() < p;

/** One of the values, by weight: [["web", 60], ["phone", 8], …]. */
export function weighted<T>(r: Rng, table: readonly (readonly [T, number])[]): T {
  const total = table.reduce((a, [, w]) => a + w, 0);
  let x = r() * total;
  for (const [v, w] of table) if ((x -= w) < 0) return v;
  return table[table.length - 1]![0];
}

/** Splits a total over n parts with random weights between 0.5 and 1.5; the parts add up to the total exactly. */
export function spread(r: Rng, total: number, n: number): number[] {
  const weights = Array.from({ length: n }, () => 0.5 + r());
  const sum = weights.reduce((a, b) => a + b, 0);
  const parts = weights.map((w) => Math.floor((w / sum) * total));
  let left = total - parts.reduce((a, b) => a + b, 0);
  for (let i = 0; left > 0; i = (i + 1) % n, left--) parts[i]! += 1;
  return parts;
}
