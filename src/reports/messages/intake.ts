// Strings of the reporting desk's intake pages (merged through reports/messages.ts into ui/messages.ts).
// Dutch at B1 first; the English object must have every Dutch key.

export const intakeNl = {
} as const;

export const intakeEn: Record<keyof typeof intakeNl, string> = {
};
