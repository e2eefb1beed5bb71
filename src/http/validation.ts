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
