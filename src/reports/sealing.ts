import crypto from "node:crypto";
import type { z } from "zod";
import { open, seal } from "../crypto/seal.ts";

// Envelope encryption for a case: one random data key per case, wrapped for each key holder. The first
// holder is the instance master key; handler keys and a receipt-derived key can be added as rows in
// report_keys later without re-encrypting a single entry. Every entry is bound to its place by the AAD.

export const INSTANCE_HOLDER = { type: "instance", id: "" } as const;

export function newDataKey(): Buffer {
  return crypto.randomBytes(32);
}

export function wrapForInstance(masterKey: Buffer, reportId: string, dataKey: Buffer): string {
  return seal(masterKey, dataKey, `report-key:${reportId}:instance`);
}

export function unwrapForInstance(masterKey: Buffer, reportId: string, wrapped: string): Buffer {
  return open(masterKey, wrapped, `report-key:${reportId}:instance`);
}

const entryAad = (reportId: string, entryId: string, kind: string) => `report-entry:${reportId}:${entryId}:${kind}`;

/** Seals a value after checking it against its schema, so nothing malformed is ever encrypted. */
export function sealEntry<S extends z.ZodType>(dataKey: Buffer, schema: S, value: z.input<S>, at: { reportId: string; entryId: string; kind: string }): string {
  const checked = schema.parse(value);
  return seal(dataKey, JSON.stringify(checked), entryAad(at.reportId, at.entryId, at.kind));
}

/** Opens an entry and checks it against its schema again: a blob that does not fit is an error, not data. */
export function openEntry<S extends z.ZodType>(dataKey: Buffer, schema: S, sealed: string, at: { reportId: string; entryId: string; kind: string }): z.output<S> {
  const json = open(dataKey, sealed, entryAad(at.reportId, at.entryId, at.kind)).toString("utf8");
  return schema.parse(JSON.parse(json));
}
