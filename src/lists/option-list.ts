import { z } from "zod";
import { newId, now } from "../crypto/tokens.ts";
import type { Flag } from "../db/schema.ts";
import { Invalid } from "../http/errors.ts";
import type { MessageKey } from "../ui/messages.ts";

// A list an organisation's administrator keeps: the reporting desk's categories and measures, the advisors'
// natures. Every such list works the same way — a Dutch and an English name, an order, switched on or off,
// never deleted (records refer to an entry by its code, which never changes) — so the rules live here once.
// Each module keeps its own table, its own audit events (one literal action each) and its own messages.

export type OptionRow = {
  id: string; organisation_id: string; code: string; label_nl: string; label_en: string; position: number; active: Flag; created_at: string;
};

export const POSITION = { min: 1, max: 999 } as const;

/** A whole number from a form field ("5") or JSON (5); anything else fails with the given message key. */
export const wholeNumber = (min: number, max: number, key: string) => z.preprocess(
  (v) => (typeof v === "string" ? (/^\s*\d{1,6}\s*$/.test(v) ? Number(v.trim()) : Number.NaN) : v),
  z.number({ error: key }).int({ error: key }).min(min, { error: key }).max(max, { error: key }),
);
/** A checkbox: present ("1", "on", true) or absent. */
export const checkbox = z.union([z.boolean(), z.string(), z.null()]).optional().transform((v) => v === true || v === "1" || v === "on" || v === "true");
const label = z.string({ error: "field.required" }).trim().min(1, { error: "field.required" }).max(200, { error: "field.tooLong" });
const optionalLabel = z.string().trim().max(200, { error: "field.tooLong" }).optional().nullable().transform((v) => v ?? "");

/** A new entry: its names (an empty English name means the Dutch one is used for English readers too). */
export const optionSchema = z.object({ labelNl: label, labelEn: optionalLabel });
/** A change to an entry: names, order, on or off. */
export const optionUpdateSchema = (positionKey: MessageKey) => optionSchema.extend({
  active: checkbox,
  position: wholeNumber(POSITION.min, POSITION.max, positionKey),
});

/** "Fraude, diefstal" → "fraude_diefstal": the stable code of an entry the administrator adds. */
export function optionCode(labelNl: string, fallback: string): string {
  const s = labelNl.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 40).replace(/_+$/, "");
  return s || fallback;
}

function uniqueCode(base: string, taken: string[]): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}_${i}`)) return `${base}_${i}`;
}

const sameLabel = (a: string, b: string) => a.localeCompare(b, "nl", { sensitivity: "base" }) === 0;

/** The row for a new entry, active, at the end of the list; refuses a Dutch name the list already has. */
export function newOption(existing: OptionRow[], organisationId: string, input: { labelNl: string; labelEn: string },
  keys: { taken: MessageKey; fallbackCode: string }): OptionRow {
  if (existing.some((o) => sameLabel(o.label_nl, input.labelNl))) throw new Invalid({ labelNl: keys.taken });
  return {
    id: newId(), organisation_id: organisationId, code: uniqueCode(optionCode(input.labelNl, keys.fallbackCode), existing.map((o) => o.code)),
    label_nl: input.labelNl, label_en: input.labelEn || input.labelNl,
    position: Math.min(POSITION.max, Math.max(0, ...existing.map((o) => o.position)) + 1), active: 1, created_at: now(),
  };
}

const FIELD_NAMES = { label_nl: "labelNl", label_en: "labelEn", active: "active", position: "position" } as const;

/** The patch for an entry and the names of the fields it changes; refuses a name another entry has, and (when
 *  `lastActive` is given) switching off the last entry in use. */
export function optionChange(before: OptionRow, all: OptionRow[], input: { labelNl: string; labelEn: string; active: boolean; position: number },
  keys: { taken: MessageKey; lastActive?: MessageKey }) {
  if (all.some((o) => o.id !== before.id && sameLabel(o.label_nl, input.labelNl))) throw new Invalid({ labelNl: keys.taken });
  if (keys.lastActive && !input.active && before.active && !all.some((o) => o.id !== before.id && o.active)) throw new Invalid({ active: keys.lastActive });
  const patch = { label_nl: input.labelNl, label_en: input.labelEn || input.labelNl, active: input.active ? 1 as const : 0 as const, position: input.position };
  const changed: string[] = (Object.keys(patch) as (keyof typeof patch)[]).filter((k) => before[k] !== patch[k]).map((k) => FIELD_NAMES[k]);
  return { patch, changed };
}
