import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ACTIONS, STATUSES, TRANSITIONS, transitionFor, type Action, type Status } from "../../src/reports/workflow.ts";
import { roleHas, ROLES } from "../../src/access/permissions.ts";

// The whole table, written out once more by hand: a change to the workflow must change this test too.
const EXPECTED: Record<string, Status> = {
  "received acknowledge": "acknowledged",
  "acknowledged startAssessment": "assessment",
  "assessment decideNoAction": "concluding",
  "assessment decideLine": "line_handling",
  "assessment decideInvestigation": "awaiting_approval",
  "awaiting_approval approveInvestigation": "investigation",
  "awaiting_approval rejectInvestigation": "assessment",
  "awaiting_approval recordApproval": "investigation",
  "line_handling completeLineHandling": "concluding",
  "investigation concludeInvestigation": "measures",
  "measures decideMeasures": "concluding",
  "concluding close": "closed",
  "closed reopen": "assessment",
};

describe("case workflow", () => {
  test("every (status, action) pair: allowed exactly where the table says, to the expected status", () => {
    let allowed = 0, refused = 0;
    for (const from of STATUSES) {
      for (const action of ACTIONS) {
        const t = transitionFor(from, action as Action);
        const expected = EXPECTED[`${from} ${action}`];
        if (expected) { assert.equal(t?.to, expected, `${from} --${action}-->`); allowed++; }
        else { assert.equal(t, null, `${from} --${action}--> must be refused`); refused++; }
      }
    }
    assert.equal(allowed, Object.keys(EXPECTED).length);
    assert.equal(allowed + refused, STATUSES.length * ACTIONS.length);
  });

  test("every status can be reached from received, and every open status has a way forward", () => {
    const reached = new Set<Status>(["received"]);
    for (let changed = true; changed;) {
      changed = false;
      for (const t of TRANSITIONS) if (reached.has(t.from) && !reached.has(t.to)) { reached.add(t.to); changed = true; }
    }
    assert.deepEqual([...reached].sort(), [...STATUSES].sort());
    for (const s of STATUSES) assert.ok(TRANSITIONS.some((t) => t.from === s), `${s} has no way out`);
  });

  test("the secretary approves an investigation but never handles a case; coordinators handle", () => {
    const approve = TRANSITIONS.filter((t) => t.action === "approveInvestigation" || t.action === "rejectInvestigation");
    for (const t of approve) assert.equal(t.permission, "report.approveInvestigation");
    assert.ok(roleHas("secretary", "report.approveInvestigation"));
    assert.ok(!roleHas("secretary", "report.handle"));
    for (const t of TRANSITIONS.filter((x) => !approve.includes(x))) assert.equal(t.permission, "report.handle");
    const handlers = ROLES.filter((r) => roleHas(r, "report.handle"));
    assert.deepEqual(handlers, ["coordinator"]);
  });
});
