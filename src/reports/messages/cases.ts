// Strings of the reporting desk's cases pages (merged through reports/messages.ts into ui/messages.ts).
// Dutch at B1 first; the English object must have every Dutch key.

export const casesNl = {
} as const;

export const casesEn: Record<keyof typeof casesNl, string> = {
};
