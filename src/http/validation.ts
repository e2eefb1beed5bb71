import type { z } from "zod";
import { Invalid, type FieldErrors } from "./errors.ts";
import { isMessageKey } from "../ui/messages.ts";

/** zod issues → { field: message key }. Schemas use message keys as their messages; anything else
 *  (a type error on a field the form never sends) falls back to a generic key. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.map(String).join(".") || "_form";
    if (out[field]) continue;
    out[field] = isMessageKey(issue.message) ? issue.message : "field.invalid";
  }
  return out;
}

/** Form bodies arrive as strings (or arrays of them); an absent body is an empty object. */
export function formBody(body: unknown): Record<string, unknown> {
  return body && typeof body === "object" ? (body as Record<string, unknown>) : {};
}

/** Parses a use case's input, or throws Invalid with a message key per field. */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success) throw new Invalid(fieldErrors(parsed.error));
  return parsed.data;
}

/** A form field as a string ("" when absent or repeated). */
export const str = (v: unknown): string => (typeof v === "string" ? v : "");

/** The posted form as strings (other values, such as repeated fields, are dropped). */
export function formStrings(body: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(formBody(body)).filter(([, v]) => typeof v === "string")) as Record<string, string>;
}

/** The fields of one form on a page with several: "unit.name" → "name" (as strings). */
export function scopedFields(values: Record<string, unknown>, prefix: string): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), str(v)]));
}

/** The service's field errors back to the form's field names: "name" → "unit.name". */
export function prefixedErrors(fields: FieldErrors, prefix: string): FieldErrors {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k === "_form" ? k : prefix + k, v]));
}
