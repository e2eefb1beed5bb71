import { formatDate } from "../../ui/format.ts";
import { isMessageKey, type Locale, type Translate } from "../../ui/messages.ts";
import { earliestContactDate } from "../service.ts";

// Words for a contact's codes (the fixed vocabularies in vocabulary.ts, the organisation's natures) and its
// dates. An unknown code (data from a later version) shows as it is.

export type VocabularyPrefix = "advisor.relation" | "advisor.form" | "advisor.followUp";

export function vocabularyLabel(t: Translate, prefix: VocabularyPrefix, code: string): string {
  const key = `${prefix}.${code}`;
  return isMessageKey(key) ? t(key) : code;
}

export type NatureLike = { code: string; label_nl: string; label_en: string };
export const natureLabel = (n: NatureLike, locale: Locale) => (locale === "en" ? n.label_en : n.label_nl);

/** A yyyy-mm-dd calendar date in words ("3 maart 2026"); midday UTC, so Amsterdam time never moves it a day. */
export const day = (date: string, locale: Locale) => formatDate(`${date}T12:00:00Z`, locale);

/** A date field's hint (contacts, activities): the format with today as the example, and the earliest day allowed. */
export const dateHintParams = (today: string, locale: Locale) => ({ example: today, earliest: day(earliestContactDate(today), locale) });

/** Hours with at most one decimal, in the reader's notation ("12,5"). */
export const hours = (minutes: number, locale: Locale) =>
  new Intl.NumberFormat(locale === "en" ? "en-GB" : "nl-NL", { maximumFractionDigits: 1 }).format(minutes / 60);
