// Turns the audit log's stored codes (actions, object types, detail keys) into words for the reader.
// Every lookup falls back to the raw code, so an event written by a newer or older version never breaks the page.
import { formatDateTime } from "../../ui/format.ts";
import { isMessageKey, type Locale, type Translate } from "../../ui/messages.ts";

function lookup(t: Translate, key: string): string | null {
  return isMessageKey(key) ? t(key) : null;
}

/** "roleAssignment.create" → "Rol toegekend"; an unknown action stays as it is. */
export function actionLabel(t: Translate, action: string): string {
  return lookup(t, `auditAction.${action}`) ?? action;
}

/** Whether the action has a label (the page shows an unknown one as code). */
export function hasActionLabel(action: string): boolean {
  return isMessageKey(`auditAction.${action}`);
}

/** "person" → "Medewerker"; an unknown object type stays as it is. */
export function objectLabel(t: Translate, objectType: string): string {
  return lookup(t, `auditObject.${objectType}`) ?? objectType;
}

/** "sessionsEnded" → "Sessies beëindigd"; an unknown key stays as it is. */
export function detailKeyLabel(t: Translate, key: string): string {
  return lookup(t, `auditDetail.${key}`) ?? key;
}

export type DetailEntry = { key: string; label: string; value: string; title?: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Catalogue prefixes that name a value of a detail key, e.g. role "admin" → "Beheerder". */
function valuePrefixes(key: string, objectType: string): string[] {
  if (key === "role") return ["role"];
  if (key === "scopeType") return ["scope"];
  if (key === "kind") {
    if (objectType === "unit") return ["unitkind"];
    if (objectType === "organisation") return ["orgkind"];
    if (objectType === "group" || objectType === "organisationGroup") return ["groupkind"];
    if (objectType === "reportCategory") return ["reportSettings.kind"];
    if (objectType === "advisorActivity") return ["advisorActivity.kind"];
    return ["unitkind", "orgkind", "groupkind"];
  }
  return [];
}

function formatValue(t: Translate, locale: Locale, key: string, objectType: string, v: unknown): { value: string; title?: string } {
  if (v === null || v === undefined) return { value: t("form.none") };
  if (typeof v === "boolean") return { value: t(v ? "form.yes" : "form.no") };
  if (typeof v === "number") return { value: new Intl.NumberFormat(locale === "nl" ? "nl-NL" : "en-GB").format(v) };
  if (typeof v === "string") {
    for (const prefix of valuePrefixes(key, objectType)) {
      const label = lookup(t, `${prefix}.${v}`);
      if (label) return { value: label };
    }
    if (UUID.test(v)) return { value: v.slice(0, 8), title: v };
    if (ISO_INSTANT.test(v) && !Number.isNaN(Date.parse(v))) return { value: formatDateTime(v, locale), title: v };
    return { value: v };
  }
  if (Array.isArray(v)) {
    if (!v.length) return { value: t("form.none") };
    return { value: v.map((item) => formatValue(t, locale, key, objectType, item).value).join(", ") };
  }
  return { value: JSON.stringify(v) };
}

/** The details of an event as a short list of translated keys and readable values.
 *  Null when the stored text is not a JSON object: the page then shows it as it is. */
export function detailEntries(t: Translate, locale: Locale, details: string, objectType: string): DetailEntry[] | null {
  let parsed: unknown;
  try { parsed = JSON.parse(details); } catch { return null; }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return null;
  return Object.entries(parsed as Record<string, unknown>).map(([key, v]) => ({
    key, label: detailKeyLabel(t, key), ...formatValue(t, locale, key, objectType, v),
  }));
}
