// One normalisation for search, used on both sides of the comparison: SQLite's lower() folds only
// ASCII and PostgreSQL's depends on its collation, so the folding is done here, in JS, for both.

/** Lower case without accents: NFKD, combining marks removed, then lower case ("Özdemir" → "ozdemir"). */
export const normaliseForSearch = (text: string) => text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();

/** The value of people.search_key: given name, family name and employee number, normalised. */
export const searchKey = (p: { given_name: string; family_name: string; employee_number: string }) =>
  normaliseForSearch(`${p.given_name} ${p.family_name} ${p.employee_number}`);
