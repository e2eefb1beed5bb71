import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import type { Figure, YearlyReport } from "../../src/advisors/report.ts";
import { csvSafe, reportCsv } from "../../src/advisors/report-export.ts";
import { translator } from "../../src/ui/messages.ts";

// The yearly report's CSV opens in a spreadsheet program, which runs a cell that starts with =, +, - or @ as a
// formula (and tab or carriage return can hide such a start). A nature's label is typed by an administrator, so it
// could be "=HYPERLINK(…)"; every such cell gets a single quote in front.

const shown = (v: number): Figure => ({ value: v, display: String(v), hidden: null });

function report(labelNl: string): YearlyReport {
  const years = [2020, 2021, 2022, 2023, 2024];
  return {
    scope: { type: "organisation", id: "o1", name: "@Gemeente", organisations: [{ id: "o1", name: "@Gemeente" }] },
    year: 2024, years, threshold: 5,
    natures: [{ code: "bullying", labelNl, labelEn: labelNl, cells: years.map(() => shown(6)) }],
    totals: { contacts: years.map(() => shown(6)), people: years.map(() => shown(6)) },
    followUps: { rows: [], total: shown(6), withheld: true }, forms: { rows: [], total: shown(6), withheld: true },
    activities: { rows: [], total: { count: 0, peopleReached: 0 } }, withheldYears: [],
    texts: { interpretation: "", recommendations: "", updatedAt: null, updatedBy: null }, unprotectable: false,
    published: null, draft: true, unpublishedMembers: [], can: { editTexts: true, publish: true }, generatedAt: "2025-01-01T00:00:00.000Z",
  };
}

describe("the yearly report's CSV: no formulas", () => {
  test("a cell starting with =, +, -, @, a tab or a carriage return gets a single quote in front; others stay", () => {
    for (const v of ["=1+1", "+31 6", "-2", "@SUM(A1)", "\t=1", "\r=1"]) assert.equal(csvSafe(v), `'${v}`, JSON.stringify(v));
    for (const v of ["Pesten", "< 5", "×", "12", "", "a=b", " =1", "'=1"]) assert.equal(csvSafe(v), v, JSON.stringify(v));
  });

  test("a label typed as a formula arrives in the CSV as text", () => {
    const rows = parse(reportCsv(report('=HYPERLINK("https://example.test","Klik")'), translator("nl"), "nl"), { bom: true }) as string[][];
    const nature = rows.find((r) => r[0] === "nature")!;
    assert.equal(nature[2], `'=HYPERLINK("https://example.test","Klik")`);
    assert.deepEqual(nature.slice(3), ["6", "6", "6", "6", "6"]);
    for (const row of rows) for (const cell of row) assert.doesNotMatch(cell, /^[=+\-@\t\r]/, JSON.stringify(cell));
  });
});
