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

// ---- Groups (report.ts, ADR 0012): a table derived from protected tables adds nothing a reader can use ----
//
// A group's report shows an entry as the members' sum only when every member shows it, and hides it otherwise.
// A reader who holds the group's table and every member's (the strict reader for each member) then has the
// members' equations plus, for each hidden group entry g, g = the sum of the members' terms: nothing new to pin
// a member's entry with, and each g includes a member's entry that can move. The search below checks that: no
// hidden entry of any member and no hidden entry of the group is pinned, unless a member reported it derivable.

function groupDerived(inputs: SuppressionInput[], outs: ProtectedTable[]) {
  const joint: ReaderView = { lo: [], hi: [], truth: [], positions: [], constraints: [] };
  const termsOf: Array<(p: TablePosition) => { v: number } | { k: number }> = [];
  outs.forEach((out, m) => {
    const view = readerView(inputs[m]!, out, "strict");
    const offset = joint.lo.length;
    joint.lo.push(...view.lo); joint.hi.push(...view.hi); joint.truth.push(...view.truth); joint.positions.push(...view.positions);
    for (const c of view.constraints) joint.constraints.push({ constant: c.constant, terms: c.terms.map((t) => ({ v: t.v + offset, coef: t.coef })) });
    termsOf.push((p) => {
      const cell = p.kind === "cell" ? out.cells[p.row]![p.column]! : p.kind === "rowTotal" ? out.rowTotals![p.row]! : p.kind === "columnTotal" ? out.columnTotals![p.column]! : out.grandTotal!;
      if (cell.shown !== null) return { k: cell.shown };
      return { v: offset + view.positions.findIndex((q) => JSON.stringify(q) === JSON.stringify(p)) };
    });
  });
  const memberVariables = joint.lo.length;
  const { rows, cols } = { rows: inputs[0]!.cells.length, cols: inputs[0]!.cells[0]!.length };
  const positions: TablePosition[] = [
    ...Array.from({ length: rows * cols }, (_, k) => ({ kind: "cell" as const, row: Math.floor(k / cols), column: k % cols })),
    ...(inputs[0]!.rowTotals ? Array.from({ length: rows }, (_, row) => ({ kind: "rowTotal" as const, row })) : []),
    ...(inputs[0]!.columnTotals ? Array.from({ length: cols }, (_, column) => ({ kind: "columnTotal" as const, column })) : []),
    ...(inputs[0]!.grandTotal ? [{ kind: "grandTotal" as const }] : []),
  ];
  let hiddenInGroup = 0;
  for (const p of positions) {
    const terms = termsOf.map((f) => f(p));
    const constant = terms.reduce((s, t) => s + ("k" in t ? t.k : 0), 0);
    const variables = terms.filter((t): t is { v: number } => "v" in t);
    if (!variables.length) continue; // shown in the group: the members' sum, an equation the reader already has
    hiddenInGroup++;
    const g = joint.lo.length;
    joint.lo.push(0);
    joint.hi.push(variables.reduce((s, t) => s + joint.hi[t.v]!, constant));
    joint.truth.push(variables.reduce((s, t) => s + joint.truth[t.v]!, constant));
    joint.positions.push(p);
    joint.constraints.push({ constant, terms: [...variables.map((t) => ({ v: t.v, coef: 1 as const })), { v: g, coef: -1 as const }] });
  }
  return { joint, memberVariables, hiddenInGroup, termsOf };
}

describe("small-number suppression: a group derived from its members' tables", () => {
  const members = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 3 }), fc.integer({ min: 3, max: 5 }), fc.boolean())
    .chain(([rows, cols, n, threshold, rowTotals]) => fc.array(
      fc.array(fc.array(count, { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows }).map((cells) => ({ cells, rowTotals, columnTotals: true, grandTotal: false, threshold })),
      { minLength: n, maxLength: n }));

  test(`a reader of the group and of every member pins nothing (${Math.max(20, Math.floor(runs / 4))} random groups)`, () => {
    fc.assert(fc.property(members, (inputs) => {
      const outs = inputs.map((input) => suppress(input));
      fc.pre(outs.every((o) => !o.derivable.length));
      const { joint } = groupDerived(inputs, outs);
      assert.deepEqual(pinned(joint), []);
    }), { numRuns: Math.max(20, Math.floor(runs / 4)) });
  });

  test("the probe: a member's hidden 1 next to another's shown 6 stays hidden in the group, and cannot be worked out", () => {
    // One year: sexual harassment, bullying, aggression, with the year's total. A: 6, 6, 0; B: 1, 6, 5.
    const column = (cells: number[]): SuppressionInput => ({ cells: cells.map((v) => [v]), rowTotals: false, columnTotals: true, grandTotal: false });
    const inputs = [column([6, 6, 0]), column([1, 6, 5])];
    const outs = inputs.map((input) => suppress(input));
    assert.deepEqual(outs[1]!.cells.map((r) => r[0]!.reason), ["primary", "secondary", null]);
    const { joint, hiddenInGroup, termsOf } = groupDerived(inputs, outs);
    assert.equal(hiddenInGroup, 2, "the group hides B's 1 and its partner: not 7 and 12");
    assert.deepEqual(pinned(joint), []);
    // Had the group shown its 7, the reader would have had 6 + x = 7.
    const x = termsOf[1]!({ kind: "cell", row: 0, column: 0 }) as { v: number };
    const leaky: ReaderView = { ...joint, constraints: [...joint.constraints, { constant: 6 - 7, terms: [{ v: x.v, coef: 1 }] }] };
    const one = { kind: "cell", row: 0, column: 0 }, partner = { kind: "cell", row: 1, column: 0 };
    assert.deepEqual(pinned(leaky), [one, partner, one, partner], "B's 1 and its partner, in B's report and in the group's");
  });
});
