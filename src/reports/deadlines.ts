import { DateTime } from "luxon";

// The statutory clock of the Wet bescherming klokkenluiders, in calendar days in Europe/Amsterdam:
// a report received at 00:30 Amsterdam time on 1 March is "received on 1 March", whatever UTC says.
// Date arithmetic is luxon's (month ends clamp: 31 January + 1 month = 28/29 February).
export const ZONE = "Europe/Amsterdam";
export const ACK_DAYS = 7;
export const FEEDBACK_MONTHS = 3;
/** A deadline within this many days is "due soon" in the inbox and in the reminders. */
export const DUE_SOON_DAYS = 7;

/** The Amsterdam calendar date (yyyy-mm-dd) of an instant given as an ISO string. */
export function localDate(instant: string): string {
  const dt = DateTime.fromISO(instant, { zone: "utc" }).setZone(ZONE);
  if (!dt.isValid) throw new Error(`Not an ISO instant: ${instant}`);
  return dt.toISODate()!;
}

/** A calendar date, for arithmetic on dates. Which day it is was settled in Amsterdam by localDate; counting days and
 *  months from it is the same in every zone, and in UTC (no daylight saving) luxon looks up no offsets, which made the
 *  deadline columns a tenth of an inbox page's time. */
function parseDate(date: string): DateTime {
  const dt = DateTime.fromISO(date, { zone: "utc" });
  if (!dt.isValid) throw new Error(`Not an ISO date: ${date}`);
  return dt;
}

/** Acknowledgement due: the receipt date plus 7 calendar days. */
export function acknowledgementDue(receivedAt: string): string {
  return parseDate(localDate(receivedAt)).plus({ days: ACK_DAYS }).toISODate()!;
}

/** Feedback on the assessment and follow-up due: 3 months after the acknowledgement date. */
export function feedbackDue(acknowledgedAt: string): string {
  return parseDate(localDate(acknowledgedAt)).plus({ months: FEEDBACK_MONTHS }).toISODate()!;
}

export type DeadlineState = "met" | "open" | "dueSoon" | "dueToday" | "overdue";

/** Where a deadline stands on a given day: met when done, otherwise by the days left. */
export function deadlineState(due: string, doneAt: string | null, today: string): DeadlineState {
  if (doneAt) return "met";
  const left = daysBetween(today, due);
  if (left < 0) return "overdue";
  if (left === 0) return "dueToday";
  return left <= DUE_SOON_DAYS ? "dueSoon" : "open";
}

/** Calendar days from one date to another (negative when `to` lies before `from`). */
export function daysBetween(from: string, to: string): number {
  return Math.round(parseDate(to).diff(parseDate(from), "days").days);
}

/** A date plus a number of days (for "due soon" boundaries in queries). */
export function addDays(date: string, days: number): string {
  return parseDate(date).plus({ days }).toISODate()!;
}

/** A date plus a number of years (retention). */
export function addYears(date: string, years: number): string {
  return parseDate(date).plus({ years }).toISODate()!;
}

/** A date plus a number of months (a month end stays in its month: 31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  return parseDate(date).plus({ months }).toISODate()!;
}

/** Today's date in Amsterdam. */
export function today(at: Date = new Date()): string {
  return localDate(at.toISOString());
}
