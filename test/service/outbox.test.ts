import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { inTransaction } from "../../src/context.ts";
import { runDeadlineReminders } from "../../src/jobs/deadlines.ts";
import { acquireLease } from "../../src/jobs/lease.ts";
import { runJobOnce, startScheduler, type PeriodicJob } from "../../src/jobs/scheduler.ts";
import { createMailTransport, type MailTransport } from "../../src/notify/mailer.ts";
import { enqueue } from "../../src/notify/outbox.ts";
import { CLAIM_MS, MAX_ATTEMPTS, sendPending } from "../../src/notify/sender.ts";
import { addDays, today } from "../../src/reports/deadlines.ts";
import * as repo from "../../src/reports/repository.ts";
import * as cases from "../../src/reports/service.ts";
import { DB_KINDS, freshDatabase, type TestDb } from "../helpers/db.ts";
import { makeOrganisation } from "../helpers/fixtures.ts";
import { actorWith, makeReport, orgRole } from "../helpers/reports.ts";
import { startSmtp, type Smtp } from "../helpers/smtp.ts";

// E-mail through the outbox, delivered over real SMTP to an in-process smtp-server.

const uniqueAddress = (label: string) => `${label}-${Math.random().toString(36).slice(2, 10)}@example.test`;

for (const { kind, skip } of DB_KINDS) {
  describe(`e-mail outbox (${kind})`, { skip }, () => {
    let t: TestDb;
    let smtp: Smtp;
    let transport: MailTransport;
    before(async () => {
      t = await freshDatabase(kind, { BASE_URL: "https://intact.example.test" });
      smtp = await startSmtp();
      transport = createMailTransport({ smtpUrl: `smtp://127.0.0.1:${smtp.port}` })!;
    });
    after(async () => {
      transport?.close();
      await smtp?.close();
      await t?.drop();
    });

    const outboxRows = () => t.ctx.db.selectFrom("outbox").selectAll().execute();
    const count = async () => (await outboxRows()).length;
    /** Sends everything due now (leftovers of earlier tests included). */
    const drain = () => sendPending(t.ctx, transport);

    test("a desk message to a reporter with a notice address queues a notice; the address is sealed; the mail says nothing of the case", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Seintje");
      const coordinator = await orgRole(t.ctx, "coordinator", org.id);
      const address = uniqueAddress("melder");
      const description = "Kanarie-omschrijving-7Q: de wethouder sjoemelt met subsidies.";
      const body = "Kanarie-bericht-9Z: wij willen u graag spreken.";
      const sent = await makeReport(t.ctx, org.slug, { description, noticeEmail: address });
      await drain();

      const before = await count();
      await cases.transition(t.ctx, coordinator, sent.reportId, { action: "acknowledge" });
      assert.equal(await count(), before + 1, "the acknowledgement is a desk message: one notice");
      await cases.sendMessage(t.ctx, coordinator, sent.reportId, { body });
      assert.equal(await count(), before + 2, "one more notice for the message");

      const rows = (await outboxRows()).filter((r) => r.status === "pending");
      assert.equal(rows.length, 2);
      for (const r of rows) {
        assert.equal(r.kind, "mailbox");
        assert.equal(r.template, "mailbox.newMessage");
        assert.equal(r.organisation_id, org.id);
        assert.ok(r.recipient_sealed);
        const params = JSON.parse(r.params) as Record<string, unknown>;
        assert.equal(params.reference, undefined, "no reference for an anonymous reporter");
        assert.equal(params.url, `https://intact.example.test/melden/${org.slug}/postbus`);
      }
      const dump = JSON.stringify(await outboxRows());
      for (const secret of [address, address.split("@")[0]!, description, body, sent.reference]) {
        assert.ok(!dump.includes(secret), `the outbox table does not contain ${secret}`);
      }

      const result = await drain();
      assert.equal(result.sent, 2);
      const mails = smtp.to(address);
      assert.equal(mails.length, 2);
      for (const m of mails) {
        assert.deepEqual(m.to, [address]);
        assert.ok(m.text.includes(`https://intact.example.test/melden/${org.slug}/postbus`), "the mail links to the mailbox");
        assert.ok(m.text.includes(org.name));
        for (const secret of [body, description, "Kanarie", sent.reference]) {
          assert.ok(!m.raw.includes(secret) && !m.text.includes(secret), `the mail does not contain ${secret}`);
        }
      }
      const done = await outboxRows();
      assert.ok(done.every((r) => r.status === "sent" && r.sent_at && r.recipient_sealed === null), "sent rows forget the address");
    });

    test("a reporter who is not anonymous gets the reference; no notice address, no mail", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Geen Adres");
      const coordinator = await orgRole(t.ctx, "coordinator", org.id);
      const quiet = await makeReport(t.ctx, org.slug);
      await drain();
      const before = await count();
      await cases.transition(t.ctx, coordinator, quiet.reportId, { action: "acknowledge" });
      await cases.sendMessage(t.ctx, coordinator, quiet.reportId, { body: "Hallo" });
      assert.equal(await count(), before, "no notice address: no outbox row");

      const address = uniqueAddress("vertrouwelijk");
      const known = await makeReport(t.ctx, org.slug, {
        mode: "confidential", identity: { name: "Anna de Vries", email: "", phone: "", relation: "employee" }, noticeEmail: address,
      });
      await cases.transition(t.ctx, coordinator, known.reportId, { action: "acknowledge" });
      await drain();
      const [mail] = smtp.to(address);
      assert.ok(mail, "the notice arrived");
      assert.ok(mail.text.includes(known.reference), "the reference is in the notice of a reporter who is known to the desk");
      assert.ok(!mail.text.includes("Anna de Vries"), "never a name");
    });

    test("the notice commits with its transaction or not at all", async () => {
      await drain();
      const before = await count();
      await assert.rejects(inTransaction(t.ctx, async (trx) => {
        await enqueue(t.ctx, trx, {
          kind: "mailbox", organisationId: null, to: uniqueAddress("rollback"), locale: "nl", template: "mailbox.newMessage",
          params: { organisation: "Gemeente Terugdraai", url: "https://intact.example.test/melden/x/postbus", via: "receipt" },
        });
        throw new Error("something after the enqueue failed");
      }), /something after the enqueue failed/);
      assert.equal(await count(), before, "rolled back together");

      // Params outside the template's schema (a message text, say) are refused before anything is written.
      await assert.rejects(inTransaction(t.ctx, (trx) => enqueue(t.ctx, trx, {
        kind: "mailbox", organisationId: null, to: uniqueAddress("extra"), locale: "nl", template: "mailbox.newMessage",
        params: { organisation: "X", url: "https://intact.example.test/", via: "receipt", body: "geheim" } as never,
      })));
      assert.equal(await count(), before);
    });

    test("a failing SMTP server: attempts counted, retried later with backoff, then sent", async () => {
      await drain();
      const address = uniqueAddress("later");
      const id = await inTransaction(t.ctx, (trx) => enqueue(t.ctx, trx, {
        kind: "mailbox", organisationId: null, to: address, locale: "en", template: "mailbox.newMessage",
        params: { organisation: "Gemeente Later", url: "https://intact.example.test/melden/later/postbus", via: "receipt" },
      }));
      // A port where nothing listens.
      const gone = await startSmtp();
      await gone.close();
      const dead = createMailTransport({ smtpUrl: `smtp://127.0.0.1:${gone.port}` })!;
      const t0 = Date.now();
      const r1 = await sendPending(t.ctx, dead, t0);
      dead.close();
      assert.deepEqual(r1, { sent: 0, retried: 1, failed: 0 });
      let row = (await t.ctx.db.selectFrom("outbox").selectAll().where("id", "=", id).executeTakeFirstOrThrow());
      assert.equal(row.status, "pending");
      assert.equal(Number(row.attempts), 1);
      assert.ok(row.next_attempt_at > new Date(t0).toISOString(), "next attempt later");
      assert.equal(row.next_attempt_at, new Date(t0 + 60_000).toISOString(), "first retry after a minute");
      assert.ok(row.last_error && !row.last_error.includes(address) && row.last_error.length < 40, `short error without address: ${row.last_error}`);

      // Not due yet: nothing is sent.
      assert.equal((await sendPending(t.ctx, transport, t0 + 30_000)).sent, 0);
      assert.equal(smtp.to(address).length, 0);
      // Due again: sent.
      assert.equal((await sendPending(t.ctx, transport, t0 + 61_000)).sent, 1);
      row = (await t.ctx.db.selectFrom("outbox").selectAll().where("id", "=", id).executeTakeFirstOrThrow());
      assert.equal(row.status, "sent");
      assert.equal(Number(row.attempts), 2);
      assert.equal(smtp.to(address).length, 1);
      assert.match(smtp.to(address)[0]!.text, /There is a new message for you/);
    });

    test("after the last attempt a row is failed; a claim abandoned by a dead sender is taken over", async () => {
      await drain();
      const address = uniqueAddress("never");
      const id = await inTransaction(t.ctx, (trx) => enqueue(t.ctx, trx, {
        kind: "mailbox", organisationId: null, to: address, locale: "nl", template: "mailbox.newMessage",
        params: { organisation: "Gemeente Nooit", url: "https://intact.example.test/melden/nooit/postbus", via: "receipt" },
      }));
      const refusing: MailTransport = { sendMail: async () => { throw Object.assign(new Error(`421 try again <${address}>`), { code: "EENVELOPE", responseCode: 421 }); }, close() {} };
      let at = Date.now();
      for (let i = 1; i <= MAX_ATTEMPTS; i++) {
        const r = await sendPending(t.ctx, refusing, at);
        assert.equal(r.retried + r.failed, 1, `attempt ${i}`);
        const row = (await t.ctx.db.selectFrom("outbox").selectAll().where("id", "=", id).executeTakeFirstOrThrow());
        assert.equal(Number(row.attempts), i);
        assert.equal(row.status, i < MAX_ATTEMPTS ? "pending" : "failed");
        assert.equal(row.last_error, "EENVELOPE 421");
        at = Date.parse(row.next_attempt_at) + 1;
      }

      // A sender that claimed a row and died: the claim runs out and another sender delivers it.
      const address2 = uniqueAddress("orphan");
      const id2 = await inTransaction(t.ctx, (trx) => enqueue(t.ctx, trx, {
        kind: "mailbox", organisationId: null, to: address2, locale: "nl", template: "mailbox.newMessage",
        params: { organisation: "Gemeente Wees", url: "https://intact.example.test/melden/wees/postbus", via: "receipt" },
      }));
      const t0 = Date.now();
      await t.ctx.db.updateTable("outbox").set({ status: "sending", attempts: 1, next_attempt_at: new Date(t0 + CLAIM_MS).toISOString() }).where("id", "=", id2).execute();
      assert.equal((await sendPending(t.ctx, transport, t0)).sent, 0, "still claimed");
      assert.equal((await sendPending(t.ctx, transport, t0 + CLAIM_MS + 1)).sent, 1, "claim ran out: taken over");
      assert.equal(smtp.to(address2).length, 1);
    });

    test("an overdue acknowledgement reminds the coordinator once; an assigned coordinator alone", async () => {
      await drain();
      const org = await makeOrganisation(t.ctx, "Gemeente Termijn");
      const coordinator = await orgRole(t.ctx, "coordinator", org.id);
      const investigator = await actorWith(t.ctx, "investigator", { type: "organisation", id: org.id, organisationId: org.id });
      const sent = await makeReport(t.ctx, org.slug, { description: "Kanarie-termijn-3X" });
      const day = today();
      const due = addDays(day, -2);
      await t.ctx.db.updateTable("reports").set({ ack_due_on: due }).where("id", "=", sent.reportId).execute();

      await runDeadlineReminders(t.ctx);
      const recorded = await t.ctx.db.selectFrom("reminders_sent").selectAll().where("report_id", "=", sent.reportId).execute();
      assert.deepEqual(recorded.map((r) => [r.kind, r.due_on]), [["acknowledgement.overdue", due]]);
      await drain();
      const mails = smtp.to(coordinator.email);
      assert.equal(mails.length, 1, "one reminder");
      assert.ok(mails[0]!.text.includes(sent.reference));
      assert.ok(mails[0]!.text.includes(`https://intact.example.test/meldingen/${sent.reportId}`));
      assert.ok(!mails[0]!.text.includes("Kanarie"), "no content in a reminder");
      assert.equal(smtp.to(investigator.email).length, 0, "an investigator gets no desk reminder");

      await runDeadlineReminders(t.ctx);
      await runDeadlineReminders(t.ctx);
      await drain();
      assert.equal(smtp.to(coordinator.email).length, 1, "no second reminder for the same deadline");

      // Two coordinators; the case is assigned to one: only that one is reminded.
      const second = await orgRole(t.ctx, "coordinator", org.id);
      const assigned = await makeReport(t.ctx, org.slug);
      await cases.assign(t.ctx, coordinator, assigned.reportId, { coordinatorId: second.accountId });
      await t.ctx.db.updateTable("reports").set({ ack_due_on: addDays(day, 3) }).where("id", "=", assigned.reportId).execute();
      await runDeadlineReminders(t.ctx);
      await drain();
      assert.equal(smtp.to(second.email).length, 1, "the assigned coordinator");
      assert.match(smtp.to(second.email)[0]!.raw, /Subject: Herinnering/);
      assert.equal(smtp.to(coordinator.email).length, 1, "the other coordinator got nothing new");
    });

    test("a case routed to the alternative recipient reminds only that account; an excluded account never", async () => {
      await drain();
      const org = await makeOrganisation(t.ctx, "Gemeente Alternatief");
      const coordinator = await orgRole(t.ctx, "coordinator", org.id);
      const involved = await orgRole(t.ctx, "coordinator", org.id);
      const alternative = await actorWith(t.ctx, "coordinator", { type: "organisation", id: org.id, organisationId: org.id });
      await makeReport(t.ctx, org.slug); // creates the settings
      await repo.updateSettings(t.ctx.db, org.id, { alternative_account_id: alternative.accountId });
      const aboutHandler = await makeReport(t.ctx, org.slug, { concernsHandler: "yes" });
      const excluding = await makeReport(t.ctx, org.slug);
      await cases.excludeAccount(t.ctx, coordinator, excluding.reportId, involved.accountId);
      const day = today();
      for (const r of [aboutHandler, excluding]) {
        await t.ctx.db.updateTable("reports").set({ ack_due_on: addDays(day, -1) }).where("id", "=", r.reportId).execute();
      }
      await runDeadlineReminders(t.ctx);
      await drain();
      const aboutHandlerMails = (address: string) => smtp.to(address).filter((m) => m.text.includes(aboutHandler.reference));
      assert.equal(aboutHandlerMails(alternative.email).length, 1);
      assert.equal(aboutHandlerMails(coordinator.email).length, 0);
      assert.equal(aboutHandlerMails(involved.email).length, 0);
      const excludingMails = (address: string) => smtp.to(address).filter((m) => m.text.includes(excluding.reference));
      assert.equal(excludingMails(coordinator.email).length, 1);
      assert.equal(excludingMails(involved.email).length, 0, "the excluded account does not learn of the case");
    });

    test("two runs at once send each row exactly once; the job lease lets one instance run and passes on when it expires", async () => {
      await drain();
      const addresses = Array.from({ length: 7 }, (_, i) => uniqueAddress(`once${i}`));
      await inTransaction(t.ctx, async (trx) => {
        for (const to of addresses) {
          await enqueue(t.ctx, trx, {
            kind: "mailbox", organisationId: null, to, locale: "nl", template: "mailbox.newMessage",
            params: { organisation: "Gemeente Eenmaal", url: "https://intact.example.test/melden/eenmaal/postbus", via: "receipt" },
          });
        }
      });
      // Two senders at once, without a lease: the claim decides.
      const [a, b] = await Promise.all([sendPending(t.ctx, transport), sendPending(t.ctx, transport)]);
      assert.equal(a.sent + b.sent, addresses.length);
      for (const to of addresses) assert.equal(smtp.to(to).length, 1, `one mail to ${to}`);

      // Two scheduler runs at once on two "instances": one holds the lease and runs, the other skips.
      const more = Array.from({ length: 3 }, (_, i) => uniqueAddress(`lease${i}`));
      await inTransaction(t.ctx, async (trx) => {
        for (const to of more) {
          await enqueue(t.ctx, trx, {
            kind: "mailbox", organisationId: null, to, locale: "nl", template: "mailbox.newMessage",
            params: { organisation: "Gemeente Eenmaal", url: "https://intact.example.test/melden/eenmaal/postbus", via: "receipt" },
          });
        }
      });
      const job: PeriodicJob = { name: `outbox-${kind}-test`, everyMs: 60_000, maxRunMs: 300_000, run: (ctx, at) => sendPending(ctx, transport, at) };
      const at = Date.now();
      const [r1, r2] = await Promise.all([runJobOnce(t.ctx, job, "instance-a", at), runJobOnce(t.ctx, job, "instance-b", at)]);
      assert.equal([r1, r2].filter((r) => r.ran).length, 1, "exactly one instance ran");
      for (const to of more) assert.equal(smtp.to(to).length, 1, `one mail to ${to}`);
      const winner = r1.ran ? "instance-a" : "instance-b", loser = r1.ran ? "instance-b" : "instance-a";

      // The same period: the other instance still skips; the holder itself may run again.
      assert.equal((await runJobOnce(t.ctx, job, loser, at + 10_000)).ran, false);
      assert.equal((await runJobOnce(t.ctx, job, winner, at + 60_000)).ran, true);
      // The holder dies mid-run (its lease is not given back): after maxRunMs another instance takes over.
      assert.ok(await acquireLease(t.ctx.db, job.name, winner, new Date(at + 120_000).toISOString(), new Date(at + 120_000 + job.maxRunMs).toISOString()));
      assert.equal((await runJobOnce(t.ctx, job, loser, at + 120_000 + 1_000)).ran, false, "still held");
      assert.equal((await runJobOnce(t.ctx, job, loser, at + 120_000 + job.maxRunMs + 1)).ran, true, "expired: taken over");
    });

    test("the scheduler runs a job at start, skips it while another instance holds it, and gives its lease back on stop", async () => {
      let runs = 0;
      let release!: () => void;
      const gate = new Promise<void>((r) => { release = r; });
      const job: PeriodicJob = { name: `probe-${kind}`, everyMs: 60_000, maxRunMs: 60_000, run: async (_ctx, _at, signal) => { runs++; await gate; return signal.aborted; } };
      const scheduler = startScheduler(t.ctx, [job], "instance-s");
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(runs, 1, "ran at start");
      assert.equal((await runJobOnce(t.ctx, job, "instance-other")).ran, false, "held while running");
      const stopped = scheduler.stop();
      release();
      await stopped;
      assert.equal(await t.ctx.db.selectFrom("job_leases").select("name").where("name", "=", job.name).executeTakeFirst(), undefined, "lease given back");
      assert.equal((await runJobOnce(t.ctx, job, "instance-other")).ran, true, "another instance takes over at once");
      assert.equal(runs, 2);
    });
  });
}
