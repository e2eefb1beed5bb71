import { parse } from "csv-parse/sync";
import { Invalid } from "../http/errors.ts";
import type { MessageKey } from "../ui/messages.ts";
import { type EmploymentType, emailSchema, isoDate } from "./schema.ts";

// Pure reading of an HR export: bytes → header check → one normalised row per CSV record, with the
// problems that can be found without the database. The service adds what needs the database.

export const MAX_ROWS = 20_000;
export const REQUIRED_COLUMNS = ["personeelsnummer", "voornaam", "achternaam"] as const;
export const OPTIONAL_COLUMNS = ["email", "eenheid", "functie", "leidinggevende", "dienstverband", "datum_in_dienst", "datum_uit_dienst"] as const;
export type Column = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];
const ALL_COLUMNS: readonly Column[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];
const ALIASES: Record<string, Column> = { e_mail: "email", e_mailadres: "email", emailadres: "email" };

/** A problem with the whole file: the page shows the message, nothing else. */
export type FileProblem = { key: Extract<MessageKey, `import.${string}`>; params?: Record<string, string | number> };
export class ImportFileError extends Invalid {
  constructor(readonly problem: FileProblem) {
    super({ file: problem.key }, "import_file");
    this.params = problem.params ?? {};
  }
}

export type RowError = { field: Column; key: MessageKey };

/** One CSV record, normalised. An optional field is undefined when its column is absent from the file
 *  (an update then keeps the stored value) and null when the column is there but the cell is empty. */
export type NormalisedRow = {
  line: number;
  employeeNumber: string;
  givenName: string;
  familyName: string;
  email?: string | null;
  unitName?: string | null;
  positionTitle?: string | null;
  managerNumber?: string | null;
  employmentType?: EmploymentType;
  startDate?: string | null;
  endDate?: string | null;
};
export type CheckedRow = { row: NormalisedRow; errors: RowError[] };

const EMPLOYMENT: Record<string, EmploymentType> = {
  medewerker: "employee", employee: "employee", "in dienst": "employee",
  inhuur: "hired", hired: "hired", inhuurkracht: "hired",
  stagiair: "intern", stagiaire: "intern", intern: "intern", stage: "intern",
};

// csv-parse reports in English; each of its errors maps to a message of our own, with the line number.
const PARSE_ERRORS: Record<string, FileProblem["key"]> = {
  CSV_QUOTE_NOT_CLOSED: "import.csvQuoteNotClosed",
  CSV_INVALID_CLOSING_QUOTE: "import.csvTextAfterQuote",
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: "import.csvTextAfterQuote",
  INVALID_OPENING_QUOTE: "import.csvQuoteInField",
  CSV_MAX_RECORD_SIZE: "import.csvLineTooLong",
};

/** Bytes must be UTF-8; a Windows-1252 export is refused with a clear reason instead of garbled names. */
export function decodeUtf8(input: string | Uint8Array): string {
  if (typeof input === "string") return input;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(input);
  } catch {
    throw new ImportFileError({ key: "import.csvNotUtf8" });
  }
}

/** The delimiter is whichever of ";" and "," occurs more often in the header line (ties: ","). */
export function detectDelimiter(text: string): ";" | "," {
  const header = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/, 1)[0] ?? "";
  const count = (c: string) => header.split(c).length - 1;
  return count(";") > count(",") ? ";" : ",";
}

export const normaliseHeader = (h: string): string => {
  const k = h.replace(/^\uFEFF/, "").trim().toLowerCase().replace(/[\s-]+/g, "_");
  return ALIASES[k] ?? k;
};

/** Accepts YYYY-MM-DD and DD-MM-YYYY (also with "/" or "."), returns YYYY-MM-DD or null when not a real date. */
export function parseDate(v: string): string | null {
  const s = v.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  let iso: string | null = null;
  if (m) iso = `${m[1]}-${m[2]}-${m[3]}`;
  else if ((m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(s))) iso = `${m[3]}-${m[2]!.padStart(2, "0")}-${m[1]!.padStart(2, "0")}`;
  return iso && isoDate(iso) ? iso : null;
}

export function parseEmploymentType(v: string): EmploymentType | null {
  return EMPLOYMENT[v.trim().toLowerCase()] ?? null;
}

/** Parses the file and checks each row on its own and against the other rows (duplicate numbers). */
export function readPeopleCsv(input: string | Uint8Array): { columns: Column[]; rows: CheckedRow[] } {
  const text = decodeUtf8(input).replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  if (!text.trim()) throw new ImportFileError({ key: "import.empty" });
  const delimiter = detectDelimiter(text);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { delimiter, info: true, skip_empty_lines: true, relax_column_count: true, trim: false }) as unknown as typeof records;
  } catch (e) {
    const err = e as { code?: string; lines?: number };
    throw new ImportFileError({ key: (err.code && PARSE_ERRORS[err.code]) || "import.csvStructure", params: { line: err.lines ?? "?" } });
  }
  const [head, ...body] = records;
  if (!head) throw new ImportFileError({ key: "import.empty" });
  const header = head.record.map(normaliseHeader);
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) throw new ImportFileError({ key: "import.missingColumns", params: { columns: missing.join(", ") } });
  const dataRecords = body.filter((r) => r.record.some((cell) => cell.trim() !== ""));
  if (!dataRecords.length) throw new ImportFileError({ key: "import.empty" });
  if (dataRecords.length > MAX_ROWS) throw new ImportFileError({ key: "import.tooManyRows", params: { max: MAX_ROWS } });

  const index = new Map<Column, number>();
  header.forEach((h, i) => { if ((ALL_COLUMNS as readonly string[]).includes(h) && !index.has(h as Column)) index.set(h as Column, i); });
  const columns = ALL_COLUMNS.filter((c) => index.has(c));

  const rows = dataRecords.map(({ record, info }) => {
    // csv-parse reports the line a record ends on; a quoted cell may span lines, so count back to its first line.
    const inner = record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
    return checkRow(info.lines - inner, (c) => (index.has(c) ? (record[index.get(c)!] ?? "").trim() : undefined));
  });
  markDuplicates(rows);
  return { columns, rows };
}

/** One row's own checks: required cells, lengths, e-mail, employment type, dates and their order. */
export function checkRow(line: number, cell: (c: Column) => string | undefined): CheckedRow {
  const errors: RowError[] = [];
  const required = (c: Column, max: number) => {
    const v = cell(c) ?? "";
    if (!v) errors.push({ field: c, key: "field.required" });
    else if (v.length > max) errors.push({ field: c, key: "field.tooLong" });
    return v;
  };
  const optional = (c: Column, max: number): string | null | undefined => {
    const v = cell(c);
    if (v === undefined) return undefined;
    if (!v) return null;
    if (v.length > max) errors.push({ field: c, key: "field.tooLong" });
    return v;
  };
  const row: NormalisedRow = {
    line,
    employeeNumber: required("personeelsnummer", 50),
    givenName: required("voornaam", 200),
    familyName: required("achternaam", 200),
  };
  const email = optional("email", 254);
  if (email !== undefined) {
    if (email !== null && !emailSchema.safeParse(email).success) errors.push({ field: "email", key: "field.email" });
    row.email = email === null ? null : email.toLowerCase();
  }
  const unit = optional("eenheid", 200); if (unit !== undefined) row.unitName = unit;
  const position = optional("functie", 200); if (position !== undefined) row.positionTitle = position;
  const manager = optional("leidinggevende", 50);
  if (manager !== undefined) {
    row.managerNumber = manager;
    if (manager && manager === row.employeeNumber) errors.push({ field: "leidinggevende", key: "people.managerSelf" });
  }
  const employment = cell("dienstverband");
  if (employment !== undefined) {
    const type = employment ? parseEmploymentType(employment) : "employee";
    if (!type) errors.push({ field: "dienstverband", key: "import.unknownEmployment" });
    else row.employmentType = type;
  }
  for (const [c, key] of [["datum_in_dienst", "startDate"], ["datum_uit_dienst", "endDate"]] as const) {
    const v = cell(c);
    if (v === undefined) continue;
    if (!v) { row[key] = null; continue; }
    const d = parseDate(v);
    if (!d) errors.push({ field: c, key: "field.date" });
    else row[key] = d;
  }
  if (row.startDate && row.endDate && row.endDate < row.startDate) errors.push({ field: "datum_uit_dienst", key: "people.endBeforeStart" });
  return { row, errors };
}

/** Every row whose employee number occurs more than once in the file is refused: which one is right is unknown. */
function markDuplicates(rows: CheckedRow[]) {
  const seen = new Map<string, number>();
  for (const r of rows) if (r.row.employeeNumber) seen.set(r.row.employeeNumber, (seen.get(r.row.employeeNumber) ?? 0) + 1);
  for (const r of rows) {
    if ((seen.get(r.row.employeeNumber) ?? 0) > 1) r.errors.push({ field: "personeelsnummer", key: "import.duplicateNumber" });
  }
}
