import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { displayValue, suppress, type ProtectedCell, type ProtectedTable, type SuppressionInput, type TablePosition } from "../../src/advisors/suppression.ts";

const reasons = (cells: ProtectedCell[]) => cells.map((c) => c.reason);

describe("small-number suppression: examples", () => {
  test("a single small cell in a row with a published total gets the smallest non-zero partner", () => {
    const t = suppress({ cells: [[9, 2, 7, 7]], rowTotals: true, columnTotals: false, grandTotal: false });
    assert.deepEqual(reasons(t.cells[0]), [null, "primary", "secondary", null]);
    assert.deepEqual(t.rowTotals, [{ value: 25, shown: 25, reason: null }]);
    assert.equal(t.columnTotals, null);
    assert.equal(t.grandTotal, null);
    assert.deepEqual(t.derivable, []);
  });

  test("a column with one small cell gets a partner (a distribution: one column and its total)", () => {
    const t = suppress({ cells: [[8], [3], [6], [0]], rowTotals: false, columnTotals: true, grandTotal: false });
    assert.deepEqual(t.cells.map((r) => r[0].reason), [null, "primary", "secondary", null]);
    assert.deepEqual(t.columnTotals, [{ value: 17, shown: 17, reason: null }]);
  });

  test("zero cells are never partners: with only zeros left, the line's total is hidden", () => {
    const t = suppress({ cells: [[2, 7], [0, 0]], rowTotals: true, columnTotals: true, grandTotal: true });
    assert.deepEqual(reasons(t.cells[0]), ["primary", "secondary"]);
    assert.deepEqual(t.cells[1], [{ value: 0, shown: 0, reason: null }, { value: 0, shown: 0, reason: null }]);
    // Column 1 holds the hidden 7 and a zero: its total goes instead; column 0's total (2) is primary.
    assert.deepEqual(reasons(t.columnTotals!), ["primary", "secondary"]);
    assert.deepEqual(t.rowTotals!.map((c) => c.shown), [9, 0]);
    assert.equal(t.grandTotal!.shown, 9);
    assert.deepEqual(t.derivable, []);
  });

  test("a total below the threshold is hidden as primary", () => {
    const t = suppress({ cells: [[0], [3], [0]], rowTotals: false, columnTotals: true, grandTotal: false });
    assert.equal(t.cells[1][0].reason, "primary");
    assert.deepEqual(t.columnTotals, [{ value: 3, shown: null, reason: "primary" }]);
    assert.deepEqual(t.derivable, []);
  });

  test("nothing is hidden when every count is 0 or at least the threshold", () => {
    const t = suppress({ cells: [[0, 5], [7, 0], [12, 40]], rowTotals: true, columnTotals: true, grandTotal: true });
    const all = [...t.cells.flat(), ...t.rowTotals!, ...t.columnTotals!, t.grandTotal!];
    assert.ok(all.every((c) => c.reason === null && c.shown === c.value));
    assert.equal(t.grandTotal!.value, 64);
  });

  test("the threshold is a parameter", () => {
    const t = suppress({ cells: [[3, 4, 9]], rowTotals: true, columnTotals: false, grandTotal: false, threshold: 4 });
    // 3 is small under threshold 4, 4 is not: 4 is the smallest non-zero partner.
    assert.deepEqual(reasons(t.cells[0]), ["primary", "secondary", null]);
  });

  test("two small cells that can only be 1 and 1 get a third partner (the line rule alone misses this)", () => {
    // Row total 11 minus 9 leaves 2 for two cells that are each at least 1.
    const t = suppress({ cells: [[1, 1, 9]], rowTotals: true, columnTotals: false, grandTotal: false });
    assert.deepEqual(reasons(t.cells[0]), ["primary", "primary", "secondary"]);
    assert.deepEqual(t.derivable, []);
  });

  test("a hidden bridge between two groups of lines gets a cycle of its own", () => {
    // The line rule alone hides the 2s, then 5 and 6 in row 0, 6 in row 1, 7 and 6 in rows 2-3: every
    // line holds two or three hidden cells, yet rows 0-1 minus columns 0-1 gives the 5 at (0,2) exactly.
    const t = suppress({ cells: [[2, 6, 5, 0], [6, 2, 0, 0], [0, 0, 7, 2], [0, 0, 2, 6]], rowTotals: true, columnTotals: true, grandTotal: true });
    assert.deepEqual(t.derivable, []);
    assertProtected({ cells: [[2, 6, 5, 0], [6, 2, 0, 0], [0, 0, 7, 2], [0, 0, 2, 6]], rowTotals: true, columnTotals: true, grandTotal: true }, t);
  });

  test("what no suppression can protect is reported as derivable", () => {
    // Threshold 3: the total 2 is hidden ("< 3"), and two non-zero cells under it can only be 1 and 1.
    const t = suppress({ cells: [[1, 1]], rowTotals: true, columnTotals: false, grandTotal: false, threshold: 3 });
    assert.deepEqual(t.derivable, [{ kind: "cell", row: 0, column: 0 }, { kind: "cell", row: 0, column: 1 }, { kind: "rowTotal", row: 0 }]);
  });

  test("displayValue: the number, '< threshold' for primary, the marker for secondary", () => {
    assert.equal(displayValue({ value: 12, shown: 12, reason: null }), "12");
    assert.equal(displayValue({ value: 0, shown: 0, reason: null }), "0");
    assert.equal(displayValue({ value: 3, shown: null, reason: "primary" }), "< 5");
    assert.equal(displayValue({ value: 3, shown: null, reason: "primary" }, 4), "< 4");
    assert.equal(displayValue({ value: 40, shown: null, reason: "secondary" }), "×");
  });

  test("bad input is refused", () => {
    const base = { rowTotals: true, columnTotals: true, grandTotal: true };
    assert.throws(() => suppress({ ...base, cells: [] }), RangeError);
    assert.throws(() => suppress({ ...base, cells: [[1, 2], [3]] }), RangeError);
    assert.throws(() => suppress({ ...base, cells: [[-1]] }), RangeError);
    assert.throws(() => suppress({ ...base, cells: [[1.5]] }), RangeError);
    assert.throws(() => suppress({ ...base, cells: [[1]], threshold: 2 }), RangeError);
  });
});

// ---- The reader's side: a complete search for other tables consistent with what is published ----
//
// Variables are the hidden entries; a shown entry is a constant; every published line adds up
// exactly. A primary entry lies in 1..threshold-1. A secondary one is >= 0 in the brief's model
// and >= threshold in the strict one (the reader tells the markers apart, and knows zeros are
// always shown and small counts are primary). The search caps every variable at 12 (the largest
// generated count) times the number of cells, plus one: above every true value, so the cap never
// pins a value an open-ended reader could not. The search is exhaustive: bounds
// propagation over the line equations, then splitting a domain in halves — fine for 4 × 4.

type Model = "brief" | "strict";
interface Constraint { terms: Array<{ v: number; coef: 1 | -1 }>; constant: number } // Σ coef·x + constant = 0

interface ReaderView {
  lo: number[];
  hi: number[];
  truth: number[];
  positions: TablePosition[];
  constraints: Constraint[];
}

function readerView(input: SuppressionInput, out: Pick<ProtectedTable, "cells" | "rowTotals" | "columnTotals" | "grandTotal">, model: Model): ReaderView {
  const t = input.threshold ?? 5;
  const rows = input.cells.length, cols = input.cells[0].length;
  const cap = 12 * rows * cols + 1;
  const view: ReaderView = { lo: [], hi: [], truth: [], positions: [], constraints: [] };
  // A term for an entry: a variable when hidden, a constant when shown.
  const term = (c: ProtectedCell, position: TablePosition): { v: number } | { k: number } => {
    if (c.shown !== null) return { k: c.shown };
    view.lo.push(c.reason === "primary" ? 1 : model === "strict" ? t : 0);
    view.hi.push(c.reason === "primary" ? t - 1 : cap);
    view.truth.push(c.value);
    view.positions.push(position);
    return { v: view.lo.length - 1 };
  };
  const cellTerms = out.cells.map((r, i) => r.map((c, j) => term(c, { kind: "cell", row: i, column: j })));
  const rowTerms = out.rowTotals?.map((c, i) => term(c, { kind: "rowTotal", row: i }));
  const colTerms = out.columnTotals?.map((c, j) => term(c, { kind: "columnTotal", column: j }));
  const grandTerm = out.grandTotal ? term(out.grandTotal, { kind: "grandTotal" }) : undefined;
  const equation = (parts: Array<{ v: number } | { k: number }>, total: { v: number } | { k: number }) => {
    const c: Constraint = { terms: [], constant: 0 };
    for (const p of parts) if ("v" in p) c.terms.push({ v: p.v, coef: 1 }); else c.constant += p.k;
    if ("v" in total) c.terms.push({ v: total.v, coef: -1 }); else c.constant -= total.k;
    view.constraints.push(c);
  };
  if (rowTerms) cellTerms.forEach((r, i) => equation(r, rowTerms[i]));
  if (colTerms) colTerms.forEach((c, j) => equation(cellTerms.map((r) => r[j]), c));
  if (grandTerm) {
    equation(cellTerms.flat(), grandTerm);
    if (rowTerms) equation(rowTerms, grandTerm);
    if (colTerms) equation(colTerms, grandTerm);
  }
  return view;
}

function propagate(lo: number[], hi: number[], constraints: Constraint[]): boolean {
  for (let changed = true; changed; ) {
    changed = false;
    for (const c of constraints) {
      let min = c.constant, max = c.constant;
      for (const { v, coef } of c.terms) { min += coef > 0 ? lo[v] : -hi[v]; max += coef > 0 ? hi[v] : -lo[v]; }
      if (min > 0 || max < 0) return false;
      for (const { v, coef } of c.terms) {
        const termMin = coef > 0 ? lo[v] : -hi[v], termMax = coef > 0 ? hi[v] : -lo[v];
        // This term equals minus the rest, whose range is [min - termMin, max - termMax].
        const from = termMin - max, to = termMax - min;
        const newLo = coef > 0 ? from : -to, newHi = coef > 0 ? to : -from;
        if (newLo > lo[v]) { lo[v] = newLo; changed = true; }
        if (newHi < hi[v]) { hi[v] = newHi; changed = true; }
        if (lo[v] > hi[v]) return false;
      }
    }
  }
  return true;
}

/** Is there a table within these bounds? Complete search (halving domains); heading for the true values first only speeds it up. */
function feasible(lo0: number[], hi0: number[], constraints: Constraint[], truth: number[]): boolean {
  const lo = [...lo0], hi = [...hi0];
  if (!propagate(lo, hi, constraints)) return false;
  const open = lo.findIndex((l, v) => l < hi[v]);
  if (open < 0) return true;
  const mid = Math.floor((lo[open] + hi[open]) / 2);
  const low = () => feasible(lo, hi.with(open, mid), constraints, truth);
  const high = () => feasible(lo.with(open, mid + 1), hi, constraints, truth);
  return truth[open] <= mid ? low() || high() : high() || low();
}

/** The hidden entries the reader can pin to one value. */
function pinned(view: ReaderView): TablePosition[] {
  const { lo, hi, truth, constraints } = view;
  // The true table must be one of the reader's candidates, or the markers would lie.
  assert.ok(truth.every((v, k) => lo[k] <= v && v <= hi[k]), "a hidden value lies outside the reader's bounds");
  assert.ok(feasible(truth, truth, constraints, truth), "the true table does not satisfy the published lines");
  return view.positions.filter((_, k) => {
    const below = truth[k] > lo[k] && feasible(lo, hi.with(k, truth[k] - 1), constraints, truth);
    return !below && !(truth[k] < hi[k] && feasible(lo.with(k, truth[k] + 1), hi, constraints, truth));
  });
}

/** Every published entry is true, every small count hidden, and hidden entries pinned only where unavoidable. */
function assertProtected(input: SuppressionInput, out: ProtectedTable): void {
  const t = input.threshold ?? 5;
  const all = [...out.cells.flat(), ...(out.rowTotals ?? []), ...(out.columnTotals ?? []), ...(out.grandTotal ? [out.grandTotal] : [])];
  for (const c of all) {
    if (c.shown !== null) assert.equal(c.shown, c.value);
    if (c.value >= 1 && c.value < t) assert.equal(c.reason, "primary");
    if (c.reason === "secondary") assert.ok(c.value >= t, "a secondary entry is never zero or small");
    if (c.value === 0) assert.equal(c.shown, 0);
    assert.equal(c.reason === null, c.shown !== null);
  }
  const rows = input.cells.length, cols = input.cells[0].length;
  input.cells.forEach((r, i) => r.forEach((v, j) => assert.equal(out.cells[i][j].value, v)));
  for (let i = 0; i < rows; i++) if (out.rowTotals) assert.equal(out.rowTotals[i].value, input.cells[i].reduce((a, b) => a + b, 0));
  for (let j = 0; j < cols; j++) if (out.columnTotals) assert.equal(out.columnTotals[j].value, input.cells.reduce((a, r) => a + r[j], 0));

  // The line rule, as a consequence: no line with a shown total holds exactly one hidden member
  // (unless that member is lost anyway: see the derivable check below).
  const hidden = (c: ProtectedCell) => (c.reason === null ? 0 : 1);
  const lines: Array<[ProtectedCell[], ProtectedCell]> = [];
  out.rowTotals?.forEach((total, i) => lines.push([out.cells[i], total]));
  out.columnTotals?.forEach((total, j) => lines.push([out.cells.map((r) => r[j]), total]));
  if (out.grandTotal && out.rowTotals) lines.push([out.rowTotals, out.grandTotal]);
  if (out.grandTotal && out.columnTotals) lines.push([out.columnTotals, out.grandTotal]);
  if (out.grandTotal) lines.push([out.cells.flat(), out.grandTotal]);
  for (const [members, total] of lines) if (total.shown !== null && !out.derivable.length) assert.notEqual(members.reduce((a, c) => a + hidden(c), 0), 1);

  const brief = pinned(readerView(input, out, "brief"));
  const strict = pinned(readerView(input, out, "strict"));
  // The strict reader knows more, so whatever the brief's reader can pin, the strict one can too.
  assert.ok(brief.every((p) => strict.some((q) => JSON.stringify(p) === JSON.stringify(q))));
  const key = (ps: TablePosition[]) => ps.map((p) => JSON.stringify(p)).sort();
  assert.deepEqual(key(strict), key(out.derivable), "exactly the entries reported as derivable are pinned");
  if (!out.derivable.length) return;
  // Reported ones must be hopeless: still pinned with every non-zero entry hidden.
  const hideAll = (c: ProtectedCell): ProtectedCell => ({ value: c.value, shown: c.value === 0 ? 0 : null, reason: c.value === 0 ? null : c.value < t ? "primary" : "secondary" });
  const max = {
    cells: out.cells.map((r) => r.map(hideAll)),
    rowTotals: out.rowTotals?.map(hideAll) ?? null,
    columnTotals: out.columnTotals?.map(hideAll) ?? null,
    grandTotal: out.grandTotal ? hideAll(out.grandTotal) : null,
  };
  const stillPinned = pinned(readerView(input, max, "strict"));
  for (const p of out.derivable) assert.ok(stillPinned.some((q) => JSON.stringify(p) === JSON.stringify(q)), `needlessly derivable: ${JSON.stringify(p)}`);
}

const runs = Number(process.env.SUPPRESSION_RUNS ?? 200);
const count = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 5 })); // more small counts than uniform
const tables = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })).chain(([rows, cols]) =>
  fc.record({
    cells: fc.array(fc.array(count, { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows }),
    rowTotals: fc.boolean(),
    columnTotals: fc.boolean(),
    grandTotal: fc.boolean(),
    threshold: fc.integer({ min: 3, max: 5 }),
  }),
);

describe("small-number suppression: properties", () => {
  test(`no hidden entry can be derived from what is published (${runs} random tables up to 4 × 4)`, () => {
    fc.assert(fc.property(tables, (input) => assertProtected(input, suppress(input))), { numRuns: runs });
  });

  test("the result depends only on the input", () => {
    fc.assert(fc.property(tables, (input) => assert.deepEqual(suppress(input), suppress(structuredClone(input)))), { numRuns: 50 });
  });

  test("a 20 × 5 table (natures × years) is quick", () => {
    const cells = Array.from({ length: 20 }, (_, i) => Array.from({ length: 5 }, (_, j) => (i * 7 + j * 3) % 11));
    const start = performance.now();
    const out = suppress({ cells, rowTotals: true, columnTotals: true, grandTotal: true });
    assert.ok(performance.now() - start < 200);
    assertProtected({ cells, rowTotals: true, columnTotals: true, grandTotal: true }, out);
  });
});
