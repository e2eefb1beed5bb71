import { test } from "node:test";
import assert from "node:assert/strict";
import { NEVER_SEALED, PERMISSIONS, ROLE_PERMISSIONS, ROLES, SEALED, separationOfDutiesViolations } from "../../src/access/permissions.ts";

test("admin and hr hold no permission that reveals case content or advisor data", () => {
  for (const role of ["admin", "hr"] as const) {
    const leaked = ROLE_PERMISSIONS[role].filter((p) => SEALED.has(p));
    assert.deepEqual(leaked, [], `${role} holds ${leaked.join(", ")}`);
  }
});

test("the separation-of-duties check rejects a role map that gives admin report content", () => {
  const broken = { ...ROLE_PERMISSIONS, admin: [...ROLE_PERMISSIONS.admin, "report.readContent" as const] };
  assert.deepEqual(separationOfDutiesViolations(broken), ["admin may not hold report.readContent"]);
  const coordinatorNotes = { ...ROLE_PERMISSIONS, coordinator: [...ROLE_PERMISSIONS.coordinator, "advisorContact.readNotes" as const] };
  assert.match(separationOfDutiesViolations(coordinatorNotes)[0]!, /coordinator may not hold advisorContact.readNotes/);
  // Registering contacts makes a role the scope's advisor for the yearly report (its live draft, publication): advisors only.
  const secretaryRegisters = { ...ROLE_PERMISSIONS, secretary: [...ROLE_PERMISSIONS.secretary, "advisorContact.create" as const] };
  assert.deepEqual(separationOfDutiesViolations(secretaryRegisters), ["secretary may not hold advisorContact.create (advisor only)"]);
  assert.deepEqual(separationOfDutiesViolations(), []);
});

test("every role's permissions are declared permissions, and every sealed permission is one too", () => {
  for (const role of ROLES) for (const p of ROLE_PERMISSIONS[role]) assert.ok(PERMISSIONS.includes(p), `${role}: ${p}`);
  for (const p of SEALED) assert.ok(PERMISSIONS.includes(p));
  for (const r of NEVER_SEALED) assert.ok(ROLES.includes(r));
});
