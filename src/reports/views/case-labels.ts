import type { DeadlineState } from "../deadlines.ts";
import { formatDate } from "../../ui/format.ts";
import { isMessageKey, type Locale, type Translate } from "../../ui/messages.ts";

// Words for the codes a case carries (status, kind, channel, …) and for the statutory clock. Every code
// has a key "<prefix>.<code>" in messages/cases.ts; an unknown code (data from a later version) shows as it is.

export type LabelPrefix = "case.status" | "case.kind" | "case.mode" | "case.channel" | "case.decision" | "case.action"
  | "case.investigationBy" | "case.finding" | "case.referral" | "case.howKnown" | "case.relation";

export function codeLabel(t: Translate, prefix: LabelPrefix, code: string | null | undefined): string {
  if (!code) return "";
  const key = `${prefix}.${code}`;
  return isMessageKey(key) ? t(key) : code;
}

/** A measure's name from the organisation's list, in the reader's language; a code no longer in the list shows as it is. */
export function measureLabel(measures: { code: string; label_nl: string; label_en: string }[], code: string, locale: Locale): string {
  const m = measures.find((x) => x.code === code);
  return m ? (locale === "en" ? m.label_en : m.label_nl) : code;
}

/** A yyyy-mm-dd date as midday UTC, so formatting in Amsterdam time never moves it to another day. */
export const dayInstant = (date: string) => `${date}T12:00:00Z`;

export type Clock = { text: string; state: DeadlineState };

type ClockRow = { ack_due_on: string; acknowledged_at: string | null; feedback_due_on: string | null; feedback_given_at: string | null };

/** The acknowledgement deadline in words: "Te laat: bevestiging was uiterlijk 3 maart 2026". */
export function ackClock(t: Translate, locale: Locale, r: ClockRow, state: DeadlineState): Clock {
  if (state === "met" && r.acknowledged_at) return { state, text: t("case.clock.ack.met", { date: formatDate(r.acknowledged_at, locale) }) };
  return { state, text: t(`case.clock.ack.${state === "met" ? "open" : state}`, { date: formatDate(dayInstant(r.ack_due_on), locale) }) };
}

/** The feedback deadline in words; null before the acknowledgement (the 3 months start then). */
export function feedbackClock(t: Translate, locale: Locale, r: ClockRow, state: DeadlineState | null): Clock | null {
  if (!r.feedback_due_on || !state) return null;
  if (state === "met" && r.feedback_given_at) return { state, text: t("case.clock.feedback.met", { date: formatDate(r.feedback_given_at, locale) }) };
  return { state, text: t(`case.clock.feedback.${state === "met" ? "open" : state}`, { date: formatDate(dayInstant(r.feedback_due_on), locale) }) };
}

/** The clock a list row shows: the acknowledgement until it is done, then the feedback. */
export function currentClock(t: Translate, locale: Locale, r: ClockRow, ackState: DeadlineState, feedbackState: DeadlineState | null): Clock {
  if (!r.acknowledged_at) return ackClock(t, locale, r, ackState);
  return feedbackClock(t, locale, r, feedbackState) ?? ackClock(t, locale, r, ackState);
}
