import { translator } from "../../src/ui/messages.ts";
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ImportFileError, MAX_ROWS, detectDelimiter, parseDate, readPeopleCsv } from "../../src/people/csv.ts";
import { isoDate } from "../../src/people/schema.ts";

const problemOf = (fn: () => unknown) => {
  try { fn(); } catch (e) { if (e instanceof ImportFileError) return e.problem; throw e; }
  assert.fail("expected an ImportFileError");
};

describe("people CSV reading", () => {
  test("the delimiter comes from the header line", () => {
    assert.equal(detectDelimiter("personeelsnummer;voornaam;achternaam\n1,2;3;4"), ";");
    assert.equal(detectDelimiter("personeelsnummer,voornaam,achternaam\n1;2;3;4;5"), ",");
    const semi = readPeopleCsv("Personeelsnummer;Voornaam;ACHTERNAAM;Eenheid\n100;Anna;de Vries, jr.;Burgerzaken\n");
    assert.equal(semi.rows.length, 1);
    assert.deepEqual(semi.columns, ["personeelsnummer", "voornaam", "achternaam", "eenheid"]);
    assert.equal(semi.rows[0]!.row.familyName, "de Vries, jr.");
    assert.equal(semi.rows[0]!.row.unitName, "Burgerzaken");
    const comma = readPeopleCsv('personeelsnummer,voornaam,achternaam\n101,Bert,"Jansen; B."\n');
    assert.equal(comma.rows[0]!.row.familyName, "Jansen; B.");
  });

  test("a UTF-8 BOM and CRLF line ends are accepted; line numbers count the header as line 1", () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("personeelsnummer;voornaam;achternaam\r\n1;Anna;Ödemiş\r\n\r\n2;\"Bo\r\nB\";Ek\r\n3;Cas;Dijk", "utf8")]);
    const { rows } = readPeopleCsv(bytes);
    assert.deepEqual(rows.map((r) => r.row.line), [2, 4, 6]);
    assert.equal(rows[0]!.row.familyName, "Ödemiş");
    assert.ok(rows.every((r) => !r.errors.length), JSON.stringify(rows));
  });

  test("bytes that are not UTF-8 are refused as unreadable", () => {
    const latin1 = Buffer.from("personeelsnummer;voornaam;achternaam\n1;Anna;M\xfcller\n", "latin1");
    assert.equal(problemOf(() => readPeopleCsv(latin1)).key, "import.csvNotUtf8");
    const quote = problemOf(() => readPeopleCsv('personeelsnummer,voornaam,achternaam\n1,"open,x\n'));
    assert.equal(quote.key, "import.csvQuoteNotClosed");
    assert.equal(quote.params?.line, 2);
    assert.match(translator("nl")(quote.key, quote.params), /aanhalingsteken wordt niet afgesloten \(regel 2\)/);
  });

  test("dates: YYYY-MM-DD and DD-MM-YYYY, real calendar dates only", () => {
    assert.equal(parseDate("2024-03-01"), "2024-03-01");
    assert.equal(parseDate("01-03-2024"), "2024-03-01");
    assert.equal(parseDate("1-3-2024"), "2024-03-01");
    assert.equal(parseDate("29-02-2024"), "2024-02-29");
    assert.equal(parseDate("29-02-2023"), null);
    assert.equal(parseDate("2024-13-01"), null);
    assert.equal(parseDate("03/01/24"), null);
    assert.equal(isoDate("2024-02-30"), false);
    const { rows } = readPeopleCsv("personeelsnummer;voornaam;achternaam;datum_in_dienst;datum_uit_dienst\n1;A;B;15-06-2020;31-12-2019\n2;C;D;2020-02-30;\n3;E;F;01-01-2020;02-01-2020\n");
    assert.deepEqual(rows[0]!.errors, [{ field: "datum_uit_dienst", key: "people.endBeforeStart" }]);
    assert.deepEqual(rows[1]!.errors, [{ field: "datum_in_dienst", key: "field.date" }]);
    assert.equal(rows[1]!.row.endDate, null);
    assert.deepEqual(rows[2]!.errors, []);
    assert.equal(rows[2]!.row.startDate, "2020-01-01");
    assert.equal(rows[2]!.row.endDate, "2020-01-02");
  });

  test("employment types in Dutch or English; empty means employee; anything else is rejected", () => {
    const { rows } = readPeopleCsv("personeelsnummer;voornaam;achternaam;dienstverband\n1;A;B;Inhuur\n2;C;D;intern\n3;E;F;\n4;G;H;zzp\n");
    assert.deepEqual(rows.map((r) => r.row.employmentType), ["hired", "intern", "employee", undefined]);
    assert.deepEqual(rows[3]!.errors, [{ field: "dienstverband", key: "import.unknownEmployment" }]);
  });

  test("absent optional columns stay undefined (an update keeps them); empty cells become null", () => {
    const { rows } = readPeopleCsv("personeelsnummer;voornaam;achternaam;email\n1;A;B;\n2;C;D;Chris@Example.NL\n3;E;F;geen-adres\n");
    assert.equal(rows[0]!.row.email, null);
    assert.equal(rows[0]!.row.unitName, undefined);
    assert.equal(rows[1]!.row.email, "chris@example.nl");
    assert.deepEqual(rows[2]!.errors, [{ field: "email", key: "field.email" }]);
  });

  test("missing required columns, an empty file and too many rows are whole-file problems", () => {
    const missing = problemOf(() => readPeopleCsv("personeelsnummer;naam\n1;Anna\n"));
    assert.equal(missing.key, "import.missingColumns");
    assert.equal(missing.params?.columns, "voornaam, achternaam");
    assert.equal(problemOf(() => readPeopleCsv("")).key, "import.empty");
    assert.equal(problemOf(() => readPeopleCsv("personeelsnummer;voornaam;achternaam\n;;\n")).key, "import.empty");
    const big = "personeelsnummer;voornaam;achternaam\n" + Array.from({ length: MAX_ROWS + 1 }, (_, i) => `${i};A;B`).join("\n");
    assert.equal(problemOf(() => readPeopleCsv(big)).key, "import.tooManyRows");
    assert.equal(readPeopleCsv("personeelsnummer;voornaam;achternaam\n" + Array.from({ length: MAX_ROWS }, (_, i) => `${i};A;B`).join("\n")).rows.length, MAX_ROWS);
  });

  test("every row with an employee number that occurs twice is rejected; required cells and self-management are checked", () => {
    const { rows } = readPeopleCsv("personeelsnummer;voornaam;achternaam;leidinggevende\n7;A;B;\n8;C;D;8\n7;E;F;\n;G;\n");
    assert.deepEqual(rows[0]!.errors, [{ field: "personeelsnummer", key: "import.duplicateNumber" }]);
    assert.deepEqual(rows[1]!.errors, [{ field: "leidinggevende", key: "people.managerSelf" }]);
    assert.deepEqual(rows[2]!.errors, [{ field: "personeelsnummer", key: "import.duplicateNumber" }]);
    assert.deepEqual(rows[3]!.errors.map((e) => e.field), ["personeelsnummer", "achternaam"]);
  });
});
