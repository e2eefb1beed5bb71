import type { Kind } from "./workflow.ts";

/** The Dutch municipal preset of report categories (after the usual classification in municipal yearly
 *  reports: integrity violations by type, unwanted behaviour by form, wrongdoing of public interest). */
export const CATEGORY_PRESET: { code: string; kind: Kind; nl: string; en: string }[] = [
  { code: "fraud", kind: "integrity", nl: "Fraude, diefstal of verduistering", en: "Fraud, theft or embezzlement" },
  { code: "conflict_of_interest", kind: "integrity", nl: "Belangenverstrengeling (nevenwerk, geschenken, relaties)", en: "Conflict of interest (side jobs, gifts, relations)" },
  { code: "misuse_of_position", kind: "integrity", nl: "Misbruik van bevoegdheid of positie", en: "Misuse of powers or position" },
  { code: "information", kind: "integrity", nl: "Misbruik of lekken van informatie", en: "Misuse or leaking of information" },
  { code: "resources", kind: "integrity", nl: "Misbruik van middelen van de organisatie", en: "Misuse of the organisation's resources" },
  { code: "private_conduct", kind: "integrity", nl: "Ongepast gedrag buiten het werk", en: "Improper conduct outside work" },
  { code: "bullying", kind: "unwanted_behaviour", nl: "Pesten", en: "Bullying" },
  { code: "sexual_harassment", kind: "unwanted_behaviour", nl: "Seksuele intimidatie", en: "Sexual harassment" },
  { code: "aggression", kind: "unwanted_behaviour", nl: "Agressie, geweld of intimidatie", en: "Aggression, violence or intimidation" },
  { code: "discrimination", kind: "unwanted_behaviour", nl: "Discriminatie", en: "Discrimination" },
  { code: "wrongdoing", kind: "wrongdoing", nl: "Vermoeden van een misstand (maatschappelijk belang)", en: "Suspected wrongdoing of public interest" },
  { code: "other", kind: "other", nl: "Iets anders", en: "Something else" },
];

/** The measures a desk starts with (issue 3: conversation, (final) warning, transfer, suspension, dismissal,
 *  criminal report, other). Migration 0007 holds its own copy for desks that existed before. */
export const MEASURE_PRESET: { code: string; nl: string; en: string }[] = [
  { code: "conversation", nl: "Gesprek", en: "Conversation" },
  { code: "warning", nl: "Waarschuwing", en: "Warning" },
  { code: "final_warning", nl: "Laatste waarschuwing", en: "Final warning" },
  { code: "transfer", nl: "Overplaatsing", en: "Transfer" },
  { code: "suspension", nl: "Schorsing", en: "Suspension" },
  { code: "dismissal", nl: "Ontslag", en: "Dismissal" },
  { code: "criminal_report", nl: "Aangifte", en: "Criminal report" },
  { code: "other", nl: "Andere maatregel", en: "Other measure" },
];
