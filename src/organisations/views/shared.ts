import type { FieldErrors } from "../../http/errors.ts";
import type { MessageKey, Translate } from "../../ui/messages.ts";
import { GROUP_KINDS, ORGANISATION_KINDS, UNIT_KINDS } from "../schema.ts";

/** The errors of one form on a page with several forms (its fields share a name prefix). */
export function pickPrefix(errors: FieldErrors, prefix: string): FieldErrors {
  return Object.fromEntries(Object.entries(errors).filter(([k]) => k.startsWith(prefix)));
}
export function pickFields(errors: FieldErrors, fields: string[]): FieldErrors {
  return Object.fromEntries(Object.entries(errors).filter(([k]) => fields.includes(k)));
}

export const orgKindLabel = (t: Translate, kind: string) => t(`orgkind.${kind}` as MessageKey);
export const unitKindLabel = (t: Translate, kind: string) => t(`unitkind.${kind}` as MessageKey);
export const groupKindLabel = (t: Translate, kind: string) => t(`groupkind.${kind}` as MessageKey);

export const orgKindOptions = (t: Translate) => ORGANISATION_KINDS.map((k) => ({ value: k, label: orgKindLabel(t, k) }));
export const unitKindOptions = (t: Translate) => UNIT_KINDS.map((k) => ({ value: k, label: unitKindLabel(t, k) }));
export const groupKindOptions = (t: Translate) => GROUP_KINDS.map((k) => ({ value: k, label: groupKindLabel(t, k) }));
