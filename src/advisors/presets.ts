/** The natures of a contact, after Rotterdam's table of contacts with confidential advisors
 *  (Beleidsplan ambtelijke integriteit 2021–2025): one contact can carry several. */
export const NATURE_PRESET: { code: string; nl: string; en: string }[] = [
  { code: "bullying", nl: "Pesten", en: "Bullying" },
  { code: "sexual_harassment", nl: "Seksuele intimidatie", en: "Sexual harassment" },
  { code: "aggression", nl: "Agressie en geweld (intimidatie)", en: "Aggression and violence (intimidation)" },
  { code: "discrimination", nl: "Discriminatie", en: "Discrimination" },
  { code: "integrity", nl: "Vermoeden van een integriteitsschending", en: "Suspected integrity violation" },
  { code: "work_situation", nl: "Werksituatie (arbeidsconflict)", en: "Work situation (labour conflict)" },
  { code: "other", nl: "Overig (onheuse bejegening)", en: "Other (improper treatment)" },
];
