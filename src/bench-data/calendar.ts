// The calendar arithmetic of reports/deadlines.ts (luxon, Europe/Amsterdam) and the long date format of the
// pages, remembered per argument: a national data set asks for the same few thousand days millions of times,
// and luxon's time-zone lookups were most of the generator's time.
import { formatDate } from "../ui/format.ts";
import { acknowledgementDue, addDays as addDaysExact, addMonths as addMonthsExact, feedbackDue } from "../reports/deadlines.ts";
import { retainUntil } from "../reports/retention.ts";

function memo<T>(f: (key: string) => T): (key: string) => T {
  const seen = new Map<string, T>();
  return (key) => {
    let v = seen.get(key);
    if (v === undefined) { v = f(key); seen.set(key, v); }
    return v;
  };
}

// Every instant the generator makes lies between 02:00 and 21:59 UTC, where the Amsterdam date is the UTC date.
export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const noon = (day: string) => `${day}T12:00:00.000Z`;

export const ackDueOn = memo((day) => acknowledgementDue(noon(day)));
export const feedbackDueOn = memo((day) => feedbackDue(noon(day)));
export const retainOn = memo((day) => retainUntil(noon(day), 5));
const plusDays = memo((key) => { const [d, n] = key.split("|"); return addDaysExact(d!, Number(n)); });
export const addDays = (day: string, n: number) => plusDays(`${day}|${n}`);
const plusMonths = memo((key) => { const [d, n] = key.split("|"); return addMonthsExact(d!, Number(n)); });
export const addMonths = (day: string, n: number) => plusMonths(`${day}|${n}`);
/** "15 juni 2026": the date as the acknowledgement names it. */
export const longDate = memo((day) => formatDate(noon(day), "nl"));
