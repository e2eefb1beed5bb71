import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { fiveYears, protectCounts, type Figure, type NatureRow, type ReportCounts, type Tables } from "../../src/advisors/report.ts";
import { FOLLOW_UPS, FORMS } from "../../src/advisors/vocabulary.ts";

// An organisation's published tables (report.ts, protectCounts) read as a reader would, on random registers:
// the reader sees the shown numbers, knows the threshold n, that "< n" is 1..n-1 and (strictest) that "×" is at
// least n, that a year's number of contacts T is at most the sum of its nature column (a contact has one or more
// natures) and at least every cell of it, and that a distribution adds up exactly to the report year's T.
// Properties: every shown number is the true count and none is 1..n-1; the totals agree with the cells; a
// withheld year is withheld whole, and every year that must be (1..n-1 contacts, or all of it in one hidden row)
// is; no hidden entry can be pinned to one value from what is shown.

const YEAR = 2024;
const YEARS = fiveYears(YEAR);
const CODES = ["a", "b", "c", "d", "e", "f"];

type Contact = { year: number; natures: number[]; people: number; followUp: number; form: number };

const contact = (natureCount: number) => fc.record({
  year: fc.oneof(fc.constant(4), fc.integer({ min: 0, max: 4 })), // the report year more often
  // Mostly one nature, sometimes two; a few natures are more common, so counts come small and large.
  natures: fc.oneof(
    fc.integer({ min: 0, max: natureCount - 1 }).map((i) => [i]),
    fc.integer({ min: 0, max: Math.min(1, natureCount - 1) }).map((i) => [i]),
    fc.uniqueArray(fc.integer({ min: 0, max: natureCount - 1 }), { minLength: 1, maxLength: 2 }),
  ),
  people: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 3 })),
  followUp: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: FOLLOW_UPS.length - 1 })),
  form: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: FORMS.length - 1 })),
});

const registers = fc.record({ natureCount: fc.integer({ min: 2, max: CODES.length }), threshold: fc.integer({ min: 3, max: 5 }) })
  .chain(({ natureCount, threshold }) => fc.record({
    natureCount: fc.constant(natureCount), threshold: fc.constant(threshold),
    contacts: fc.array(contact(natureCount), { maxLength: 45 }),
  }));

/** What the database would count (countReport) for these contacts. */
function countsOf(contacts: Contact[], natureCount: number): ReportCounts {
  const natures = new Map<string, Map<number, number>>();
  const contactsByYear = new Map<number, number>(), people = new Map<number, number>();
  const followUps = new Map<string, number>(), forms = new Map<string, number>();
  const add = <K>(m: Map<K, number>, k: K, v = 1) => m.set(k, (m.get(k) ?? 0) + v);
  for (const c of contacts) {
    const year = YEARS[c.year]!;
    for (const i of c.natures) {
      if (i >= natureCount) continue;
      const byYear = natures.get(CODES[i]!) ?? new Map<number, number>();
      add(byYear, year);
      natures.set(CODES[i]!, byYear);
    }
    add(contactsByYear, year);
    add(people, year, c.people);
    if (year === YEAR) { add(followUps, FOLLOW_UPS[c.followUp]!); add(forms, FORMS[c.form]!); }
  }
  return { natures, contacts: contactsByYear, people, followUps, forms, activities: new Map() };
}

const rowsOf = (natureCount: number): NatureRow[] => CODES.slice(0, natureCount).map((code) => ({ code, labelNl: code, labelEn: code }));

/** The values a hidden entry can take for the strictest reader: "< n" is 1..n-1, "×" is n or more. */
const range = (f: Figure, n: number, cap: number): [number, number] => (f.hidden === "primary" ? [1, Math.min(n - 1, cap)] : [n, cap]);

/** The values hidden entry i can take, given that the entries of `line` sum to at least `atLeast` and at most
 *  `atMost`, each within its range, the shown ones fixed. */
function feasible(line: Figure[], i: number, n: number, cap: number, atLeast: number, atMost: number): [number, number] {
  const shown = line.reduce((s, f) => s + (f.value ?? 0), 0);
  let othersLo = 0, othersHi = 0;
  line.forEach((f, j) => {
    if (j === i || f.value !== null) return;
    const [lo, hi] = range(f, n, cap);
    othersLo += lo; othersHi += hi;
  });
  const [lo, hi] = range(line[i]!, n, cap);
  return [Math.max(lo, atLeast - shown - othersHi), Math.min(hi, atMost - shown - othersLo)];
}

function check(tables: Tables, counts: ReportCounts, n: number) {
  const trueCell = (code: string, year: number) => counts.natures.get(code)?.get(year) ?? 0;
  const all: [Figure, number, string][] = [];
  YEARS.forEach((y, j) => {
    for (const r of tables.natures) all.push([r.cells[j]!, trueCell(r.code, y), `${r.code} ${y}`]);
    all.push([tables.totals.contacts[j]!, counts.contacts.get(y) ?? 0, `contacts ${y}`], [tables.totals.people[j]!, counts.people.get(y) ?? 0, `people ${y}`]);
  });
  for (const [name, d, m] of [["followUp", tables.followUps, counts.followUps], ["form", tables.forms, counts.forms]] as const) {
    for (const r of d.rows) all.push([r.figure, m.get(r.code) ?? 0, `${name} ${r.code}`]);
    if (!d.withheld) all.push([d.total, counts.contacts.get(YEAR) ?? 0, `${name} total`]);
  }
  // Shown numbers are the true counts, and never 1..n-1; "< n" stands only for 1..n-1.
  for (const [f, value, at] of all) {
    if (f.value !== null) {
      assert.equal(f.value, value, at);
      assert.ok(value === 0 || value >= n, `${at}: ${value} shown`);
      assert.equal(f.display, String(value), at);
    } else if (f.hidden === "primary") assert.ok(value >= 1 && value < n, `${at}: ${value} as < n`);
  }

  YEARS.forEach((y, j) => {
    const column = tables.natures.map((r) => r.cells[j]!);
    const total = counts.contacts.get(y) ?? 0;
    const withheld = tables.withheldYears.includes(y);
    // A withheld year is withheld whole; a year with 1..n-1 contacts, or all of it in one hidden row, must be.
    if (withheld) {
      assert.ok(column.every((f) => f.value === null) && tables.totals.contacts[j]!.value === null && tables.totals.people[j]!.value === null, `${y} withheld whole`);
      return;
    }
    assert.ok(!(total >= 1 && total < n), `${y}: ${total} contacts and not withheld`);
    const live = column.filter((f, i) => f.value === null || trueCell(tables.natures[i]!.code, y) > 0);
    assert.ok(!(live.length === 1 && live[0]!.value === null), `${y}: its one non-zero row hidden`);
    const T = tables.totals.contacts[j]!;
    if (T.value === null) return; // nothing ties the column together: every hidden entry has at least two values
    // The totals agree with the cells: each cell at most T, the column at least T; people at least contacts.
    const shownSum = column.reduce((s, f) => s + (f.value ?? 0), 0);
    for (const f of column) if (f.value !== null) assert.ok(f.value <= T.value, `${y}: a cell above its total`);
    if (column.every((f) => f.value !== null)) assert.ok(shownSum >= T.value, `${y}: the column below its total`);
    const P = tables.totals.people[j]!;
    if (P.value !== null) assert.ok(P.value >= T.value, `${y}: fewer people than contacts`);
    // No hidden cell is pinned: from T <= column sum and cell <= T, each still has two values.
    if (tables.unprotectable) return;
    column.forEach((f, i) => {
      if (f.value !== null) return;
      const [lo, hi] = feasible(column, i, n, T.value!, T.value!, Number.POSITIVE_INFINITY);
      assert.ok(hi > lo, `${y} ${tables.natures[i]!.code}: pinned to ${lo}..${hi}`);
    });
  });

  // The distributions: withheld with the report year's column; otherwise adding up exactly to T, nothing pinned.
  const reportYearWithheld = tables.withheldYears.includes(YEAR) || tables.totals.contacts.at(-1)!.value === null;
  for (const d of [tables.followUps, tables.forms]) {
    if (reportYearWithheld) assert.ok(d.withheld, "the report year withheld: its distributions too");
    if (d.withheld) { assert.deepEqual([d.rows, d.total.value], [[], null]); continue; }
    const T = d.total.value!;
    assert.equal(T, tables.totals.contacts.at(-1)!.value);
    const line = d.rows.map((r) => r.figure);
    if (line.every((f) => f.value !== null)) assert.equal(line.reduce((s, f) => s + f.value!, 0), T);
    const live = d.rows.filter((r) => r.figure.value === null || r.figure.value > 0);
    assert.ok(!(live.length === 1 && live[0]!.figure.value === null), "one hidden row holding the whole year");
    if (tables.unprotectable) continue;
    line.forEach((f, i) => {
      if (f.value !== null) return;
      const [lo, hi] = feasible(line, i, n, T, T, T);
      assert.ok(hi > lo, `distribution row ${d.rows[i]!.code}: pinned to ${lo}..${hi}`);
    });
  }
}

describe("an organisation's published tables (property)", () => {
  test("shown numbers are true and never small, totals agree, withheld years are whole, no hidden entry is pinned", () => {
    let protectedRuns = 0, withheldYears = 0, hiddenCells = 0;
    const runs = Number(process.env.FC_RUNS ?? 400);
    fc.assert(fc.property(registers, ({ natureCount, threshold, contacts }) => {
      const counts = countsOf(contacts, natureCount);
      const { tables } = protectCounts(counts, rowsOf(natureCount), threshold, YEARS);
      check(tables, counts, threshold);
      if (!tables.unprotectable) protectedRuns++;
      withheldYears += tables.withheldYears.length;
      hiddenCells += tables.natures.flatMap((r) => r.cells).filter((f, i) => f.value === null && !tables.withheldYears.includes(YEARS[i % 5]!)).length;
    }), { numRuns: runs });
    // The generator reaches the interesting cases: hidden cells outside withheld years, withheld years, protected tables.
    assert.ok(protectedRuns > runs * 0.8, `protected: ${protectedRuns} of ${runs}`);
    assert.ok(withheldYears > runs / 4, `withheld years: ${withheldYears}`);
    assert.ok(hiddenCells > runs / 4, `hidden cells outside withheld years: ${hiddenCells}`);
  });

  test("the same counts give the same tables (deterministic, and the input is not changed)", () => {
    fc.assert(fc.property(registers, ({ natureCount, threshold, contacts }) => {
      const counts = countsOf(contacts, natureCount);
      const before = structuredClone(counts);
      const a = protectCounts(counts, rowsOf(natureCount), threshold, YEARS);
      assert.deepEqual(counts, before);
      assert.deepEqual(protectCounts(counts, rowsOf(natureCount), threshold, YEARS), a);
    }), { numRuns: 50 });
  });
});
