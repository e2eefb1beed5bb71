import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { actionLabel, detailEntries, detailKeyLabel, objectLabel } from "../../src/audit/views/labels.ts";
import { catalogues, isMessageKey, translator } from "../../src/ui/messages.ts";

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|tsx)$/.test(e.name) ? [p] : [];
  });
}

/** The argument text of every `audit.record(…)` call, found by matching brackets. */
function recordCalls(): { file: string; text: string }[] {
  const calls: { file: string; text: string }[] = [];
  for (const file of sourceFiles(SRC)) {
    const src = fs.readFileSync(file, "utf8");
    for (const m of src.matchAll(/\baudit\.record\(/g)) {
      let depth = 1, i = m.index + m[0].length;
      for (; i < src.length && depth > 0; i++) {
        if (src[i] === "(") depth++;
        else if (src[i] === ")") depth--;
      }
      calls.push({ file: path.relative(SRC, file), text: src.slice(m.index, i) });
    }
  }
  return calls;
}

/** The string literals of one property's value (up to the next comma or line end), e.g. both sides of a ternary. */
function literalsOf(text: string, prop: string): string[] {
  const value = new RegExp(`\\b${prop}:\\s*([^,\\n]+)`).exec(text)?.[1] ?? "";
  return [...value.matchAll(/"([^"]+)"/g)].map((x) => x[1]!);
}

const calls = recordCalls();
const actions = new Set(calls.flatMap((c) => literalsOf(c.text, "action")));
const objectTypes = new Set(calls.flatMap((c) => literalsOf(c.text, "objectType")));

test("the scan finds the audit events the code writes, each with a literal action and object type", () => {
  assert.ok(calls.length >= 20, `found only ${calls.length} audit.record calls`);
  for (const c of calls) {
    assert.ok(literalsOf(c.text, "action").length, `${c.file}: audit.record without a literal action: ${c.text.slice(0, 160)}`);
    assert.ok(literalsOf(c.text, "objectType").length, `${c.file}: audit.record without a literal objectType: ${c.text.slice(0, 160)}`);
  }
  for (const a of ["session.start", "unit.create", "person.import", "roleAssignment.create", "demo.load", "instance.setup", "account.block", "account.unblock"]) {
    assert.ok(actions.has(a), `the scan misses ${a}`);
  }
  for (const a of actions) assert.match(a, /^[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/, `unexpected action literal ${a}`);
});

test("every audit action written by the code has a Dutch and an English label", () => {
  for (const action of actions) {
    const key = `auditAction.${action}`;
    assert.ok(isMessageKey(key), `missing catalogue key ${key}`);
    for (const locale of ["nl", "en"] as const) {
      const label = catalogues[locale][key];
      assert.ok(label && label.trim() && label !== action, `${key} has no ${locale} label`);
    }
  }
});

test("every audit object type written by the code has a Dutch and an English label", () => {
  for (const type of objectTypes) {
    const key = `auditObject.${type}`;
    assert.ok(isMessageKey(key), `missing catalogue key ${key}`);
    for (const locale of ["nl", "en"] as const) assert.ok(catalogues[locale][key]?.trim(), `${key} has no ${locale} label`);
  }
});

test("labels fall back to the raw code for an unknown action, object type or detail key", () => {
  const nl = translator("nl"), en = translator("en");
  assert.equal(actionLabel(nl, "roleAssignment.create"), "Rol toegekend");
  assert.equal(actionLabel(en, "roleAssignment.create"), "Role granted");
  assert.equal(actionLabel(nl, "future.thing"), "future.thing");
  assert.equal(actionLabel(nl, "audit"), "audit");
  assert.equal(objectLabel(nl, "person"), "Medewerker");
  assert.equal(objectLabel(nl, "spaceship"), "spaceship");
  assert.equal(detailKeyLabel(nl, "sessionsEnded"), "Beëindigde sessies");
  assert.equal(detailKeyLabel(nl, "n"), "n");
});

test("details become a translated key/value list; text that is not a JSON object gives null", () => {
  const nl = translator("nl");
  const id = "0b6f3c1e-3a55-4f63-9d1e-5b2b8a7c9d10";
  assert.deepEqual(detailEntries(nl, "nl", JSON.stringify({ grantId: id, role: "admin", scopeType: "organisation", personLinked: false, n: 4, changed: ["name", "slug"], parentId: null }), "account"), [
    { key: "grantId", label: "Toekenning (nummer)", value: id.slice(0, 8), title: id },
    { key: "role", label: "Rol", value: "Beheerder" },
    { key: "scopeType", label: "Geldt voor", value: "Hele organisatie" },
    { key: "personLinked", label: "Gekoppeld aan medewerker", value: "Nee" },
    { key: "n", label: "n", value: "4" },
    { key: "changed", label: "Gewijzigde velden", value: "name, slug" },
    { key: "parentId", label: "Valt onder", value: "Geen" },
  ]);
  assert.deepEqual(detailEntries(nl, "nl", JSON.stringify({ kind: "team" }), "unit"), [{ key: "kind", label: "Soort", value: "Team" }]);
  assert.deepEqual(detailEntries(nl, "nl", JSON.stringify({ kind: "municipality" }), "organisation"), [{ key: "kind", label: "Soort", value: "Gemeente" }]);
  assert.deepEqual(detailEntries(nl, "nl", "{}", "account"), []);
  assert.equal(detailEntries(nl, "nl", "not json", "account"), null);
  assert.equal(detailEntries(nl, "nl", "[1,2]", "account"), null);
});
