import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { acknowledgementDue, addDays, daysBetween, deadlineState, feedbackDue, localDate } from "../../src/reports/deadlines.ts";

describe("statutory clock (Wet bescherming klokkenluiders, Europe/Amsterdam calendar days)", () => {
  test("the receipt date is the Amsterdam date, not the UTC date", () => {
    // 23:30 UTC on 31 December is 00:30 on 1 January in Amsterdam (winter time, UTC+1).
    assert.equal(localDate("2025-12-31T23:30:00.000Z"), "2026-01-01");
    assert.equal(acknowledgementDue("2025-12-31T23:30:00.000Z"), "2026-01-08");
    // 22:30 UTC on 30 June is 00:30 on 1 July (summer time, UTC+2).
    assert.equal(localDate("2026-06-30T22:30:00.000Z"), "2026-07-01");
    assert.equal(localDate("2026-06-30T21:59:59.000Z"), "2026-06-30");
  });

  test("acknowledgement is due 7 calendar days after receipt, across month and year ends", () => {
    assert.equal(acknowledgementDue("2026-03-10T09:00:00.000Z"), "2026-03-17");
    assert.equal(acknowledgementDue("2026-02-25T09:00:00.000Z"), "2026-03-04");
    assert.equal(acknowledgementDue("2028-02-25T09:00:00.000Z"), "2028-03-03"); // 2028 is a leap year
    assert.equal(acknowledgementDue("2026-12-28T12:00:00.000Z"), "2027-01-04");
  });

  test("across the DST changes a day is a calendar day, not 24 hours", () => {
    // Summer time starts on 29 March 2026 (02:00 → 03:00); a report late on 28 March is due on 4 April.
    assert.equal(acknowledgementDue("2026-03-28T22:30:00.000Z"), "2026-04-04"); // 23:30 Amsterdam on 28 March
    assert.equal(acknowledgementDue("2026-03-28T23:30:00.000Z"), "2026-04-05"); // 00:30 on 29 March
    // Winter time starts on 25 October 2026 (03:00 → 02:00).
    assert.equal(acknowledgementDue("2026-10-24T22:30:00.000Z"), "2026-11-01"); // 00:30 on 25 October
    assert.equal(daysBetween("2026-03-28", "2026-03-30"), 2);
    assert.equal(daysBetween("2026-10-24", "2026-10-26"), 2);
  });

  test("feedback is due 3 months after the acknowledgement; month ends clamp", () => {
    assert.equal(feedbackDue("2026-03-10T09:00:00.000Z"), "2026-06-10");
    assert.equal(feedbackDue("2026-11-30T09:00:00.000Z"), "2027-02-28");
    assert.equal(feedbackDue("2027-11-30T09:00:00.000Z"), "2028-02-29"); // leap year
    assert.equal(feedbackDue("2026-08-31T09:00:00.000Z"), "2026-11-30");
    assert.equal(feedbackDue("2026-10-31T23:30:00.000Z"), "2027-02-01"); // 00:30 on 1 November in Amsterdam
  });

  test("deadline states by the day", () => {
    assert.equal(deadlineState("2026-03-17", null, "2026-03-18"), "overdue");
    assert.equal(deadlineState("2026-03-17", null, "2026-03-17"), "dueToday");
    assert.equal(deadlineState("2026-03-17", null, "2026-03-10"), "dueSoon");
    assert.equal(deadlineState("2026-03-17", null, "2026-03-09"), "open");
    assert.equal(deadlineState("2026-03-17", "2026-03-20T10:00:00.000Z", "2026-04-01"), "met");
    assert.equal(addDays("2026-02-26", 7), "2026-03-05");
  });
});
