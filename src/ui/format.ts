import type { Locale } from "./messages.ts";

const tz = "Europe/Amsterdam";

// An Intl.DateTimeFormat costs tens of microseconds to make and little to use: a list page formats hundreds of
// dates, so each locale's formatter is made once (profiled: making them was a quarter of an inbox page's time).
const dateTimeFormats = {
  nl: new Intl.DateTimeFormat("nl-NL", { dateStyle: "medium", timeStyle: "short", timeZone: tz }),
  en: new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: tz }),
} satisfies Record<Locale, Intl.DateTimeFormat>;
const dateFormats = {
  nl: new Intl.DateTimeFormat("nl-NL", { dateStyle: "long", timeZone: tz }),
  en: new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: tz }),
} satisfies Record<Locale, Intl.DateTimeFormat>;

/** Dates are shown in Dutch time, whatever the server's zone. */
export function formatDateTime(iso: string, locale: Locale): string {
  return dateTimeFormats[locale === "nl" ? "nl" : "en"].format(new Date(iso));
}

export function formatDate(iso: string, locale: Locale): string {
  return dateFormats[locale === "nl" ? "nl" : "en"].format(new Date(iso));
}
