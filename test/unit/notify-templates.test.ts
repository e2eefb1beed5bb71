import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { backoffMinutes, errorCode } from "../../src/notify/sender.ts";
import { render, TEMPLATES } from "../../src/notify/templates.ts";

describe("e-mail templates", () => {
  const params = {
    "mailbox.newMessage": { organisation: "Gemeente Duinrand", url: "https://intact.example/melden/duinrand/postbus", via: "receipt" },
    "reminder.acknowledgement": { organisation: "Gemeente Duinrand", reference: "2026-0007", dueOn: "2026-03-01", state: "overdue", url: "https://intact.example/meldingen/abc" },
    "reminder.feedback": { organisation: "Gemeente Duinrand", reference: "2026-0007", dueOn: "2026-03-01", state: "dueSoon", url: "https://intact.example/meldingen/abc" },
    "case.handedOver": { organisation: "Gemeente Duinrand", reference: "2026-0007", url: "https://intact.example/meldingen/abc" },
  } as const;

  test("every template renders in Dutch and English with its link, and no placeholder is left", () => {
    for (const name of Object.keys(TEMPLATES) as (keyof typeof TEMPLATES)[]) {
      for (const locale of ["nl", "en"] as const) {
        const m = render(name, locale, params[name]);
        assert.ok(m.subject.length > 5 && !m.subject.includes("{"), `${name} ${locale} subject`);
        assert.ok(m.text.includes(params[name].url), `${name} ${locale} link`);
        assert.ok(!/\{\w+\}/.test(m.text), `${name} ${locale}: no placeholder left`);
      }
    }
    assert.match(render("reminder.acknowledgement", "nl", params["reminder.acknowledgement"]).text, /1 maart 2026/);
    assert.match(render("reminder.feedback", "en", params["reminder.feedback"]).subject, /2026-0007.*1 March 2026|1 March 2026.*2026-0007/);
  });

  test("a mailbox notice names a reference only when given; params outside the schema are refused", () => {
    assert.ok(!render("mailbox.newMessage", "nl", params["mailbox.newMessage"]).text.includes("2026-"));
    assert.ok(render("mailbox.newMessage", "nl", { ...params["mailbox.newMessage"], reference: "2026-0003" }).text.includes("2026-0003"));
    assert.throws(() => render("mailbox.newMessage", "nl", { ...params["mailbox.newMessage"], body: "geheim" }));
    assert.throws(() => render("reminder.feedback", "nl", { ...params["reminder.feedback"], reference: "drop table; <script>" }));
    assert.throws(() => render("no.such.template", "nl", {}));
    assert.match(render("case.handedOver", "nl", params["case.handedOver"]).subject, /Melding 2026-0007 is aan u overgedragen/);
    assert.throws(() => render("case.handedOver", "nl", { ...params["case.handedOver"], reason: "gaat over Cora" }));
  });

  test("error codes keep nodemailer's code and the SMTP reply code, never the message; backoff 1, 5, 30, then 60 minutes", () => {
    assert.equal(errorCode(Object.assign(new Error("Recipient command failed: 550 <anna@example.test>"), { code: "EENVELOPE", responseCode: 550 })), "EENVELOPE 550");
    assert.equal(errorCode(Object.assign(new Error("connect ECONNREFUSED"), { code: "ESOCKET" })), "ESOCKET");
    assert.equal(errorCode(Object.assign(new Error("x"), { code: "anna@example.test" })), "ERROR");
    assert.equal(errorCode("boom"), "ERROR");
    assert.deepEqual([1, 2, 3, 4, 9].map(backoffMinutes), [1, 5, 30, 60, 60]);
  });
});
