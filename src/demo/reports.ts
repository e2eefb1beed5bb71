// A handful of reports per demo organisation, in the states a desk meets in practice (new, late,
// in assessment with questions, waiting for the secretary, under investigation, closed), so the inbox,
// the deadlines and the secretary's page have something to show. Written through the real services;
// only the dates are moved back afterwards, so that deadlines fall due.
import type { Actor } from "../access/actor.ts";
import { loadActor } from "../auth/service.ts";
import * as authRepo from "../auth/repository.ts";
import type { Context } from "../context.ts";
import { inTransaction } from "../context.ts";
import { acknowledgementDue, addDays, feedbackDue, today } from "../reports/deadlines.ts";
import { intakeTarget, replyInMailbox, submitReport } from "../reports/intake.ts";
import * as repo from "../reports/repository.ts";
import type { ReportInput } from "../reports/schema.ts";
import * as cases from "../reports/service.ts";
import { DEMO_ACCOUNT_EMAILS, DEMO_GROUP_ACCOUNT_EMAILS, DEMO_ORGANISATIONS } from "./generate.ts";

export type Scenario = { category: string; description: string; mode: ReportInput["mode"]; daysAgo: number; steps: string[] };

export const SCENARIOS: Scenario[] = [
  { category: "fraud", mode: "anonymous", daysAgo: 2, steps: [],
    description: "Bij de balie van Burgerzaken worden leges contant betaald. Ik zie regelmatig dat er geen bon wordt gemaakt en dat het geld in een la gaat." },
  { category: "bullying", mode: "confidential", daysAgo: 10, steps: [],
    description: "Een collega wordt in het teamoverleg steeds belachelijk gemaakt door onze teamleider. Iedereen lacht mee en zij durft er niets van te zeggen." },
  { category: "conflict_of_interest", mode: "anonymous", daysAgo: 20, steps: ["acknowledge", "startAssessment", "question", "answer"],
    description: "Een inkoper gunt opdrachten voor groenonderhoud telkens aan hetzelfde bedrijf. Ik heb gehoord dat zijn zwager daar directeur is." },
  { category: "information", mode: "open", daysAgo: 35, steps: ["acknowledge", "startAssessment", "decideInvestigation"],
    description: "Gegevens uit het klantsysteem van de sociale dienst zijn gedeeld in een besloten groepsapp van medewerkers, met namen en adressen." },
  { category: "resources", mode: "confidential", daysAgo: 80, steps: ["acknowledge", "startAssessment", "decideInvestigation", "recordApproval", "assign"],
    description: "Een medewerker van de buitendienst gebruikt de bedrijfsbus in het weekend voor verhuizingen tegen betaling." },
  { category: "private_conduct", mode: "anonymous", daysAgo: 150, steps: ["acknowledge", "startAssessment", "decideNoAction", "feedback", "close"],
    description: "Een ambtenaar zou op sociale media denigrerende opmerkingen over inwoners van de wijk hebben geplaatst." },
];

async function actorByEmail(ctx: Context, email: string, organisationId: string): Promise<Actor | null> {
  const account = await authRepo.findAccountByEmail(ctx.db, email);
  return account ? loadActor(ctx.db, account, organisationId, "session") : null;
}

/** Adds the demo reports; returns how many were made. */
export async function loadDemoReports(ctx: Context): Promise<number> {
  let made = 0;
  const investigator = await authRepo.findAccountByEmail(ctx.db, DEMO_ACCOUNT_EMAILS.investigator);
  for (const org of DEMO_ORGANISATIONS) {
    const target = await intakeTarget(ctx, org.slug);
    const organisationId = target.organisation.id;
    const coordinator = (org.slug === "duinrand" ? await actorByEmail(ctx, DEMO_ACCOUNT_EMAILS.coordinator, organisationId) : null)
      ?? await actorByEmail(ctx, DEMO_GROUP_ACCOUNT_EMAILS.coordinator, organisationId);
    if (!coordinator) throw new Error("The demo coordinator is missing: load the demo region first");
    for (const s of SCENARIOS) {
      const category = target.categories.find((c) => c.code === s.category) ?? target.categories[0]!;
      const sent = await submitReport(ctx, org.slug, {
        categoryId: category.id, description: s.description, occurredOn: "", occurredWhen: "Sinds een paar weken", unitId: target.units[0]?.id ?? "",
        location: "", involved: "", howKnown: "saw", howKnownDetail: "", reportedBefore: "no", reportedBeforeDetail: "", concernsHandler: "no",
        mode: s.mode, noticeEmail: "",
        ...(s.mode === "anonymous" ? {} : { identity: { name: "J. de Vries", email: "", phone: "", relation: "employee" as const } }),
      }, { locale: "nl" });
      const step = (action: string, extra: Record<string, unknown> = {}) => cases.transition(ctx, coordinator, sent.reportId, { action, ...extra });
      for (const a of s.steps) {
        if (a === "question") await cases.sendMessage(ctx, coordinator, sent.reportId, { body: "Dank voor uw melding. Weet u sinds wanneer dit speelt?" });
        else if (a === "answer") await replyInMailbox(ctx, sent.reportId, { body: "Ik denk sinds het begin van dit jaar." });
        else if (a === "feedback") await cases.sendMessage(ctx, coordinator, sent.reportId, { body: "Wij hebben uw melding beoordeeld. Er volgt geen onderzoek; de leidinggevende is geïnformeerd.", feedback: "1" });
        else if (a === "assign") { if (org.slug === "duinrand" && investigator) await cases.assign(ctx, coordinator, sent.reportId, { investigatorId: investigator.id }); }
        else if (a === "decideInvestigation") await step(a, { investigationBy: "internal" });
        else if (a === "recordApproval") await step(a, { approvedBy: "De gemeentesecretaris", approvedOn: addDays(today(), -s.daysAgo + 14) });
        else await step(a);
      }
      // Move the dates back, so the deadlines fall where a real desk would have them.
      const receivedAt = `${addDays(today(), -s.daysAgo)}T09:30:00.000Z`;
      const row = (await repo.findReport(ctx.db, sent.reportId))!;
      const ackAt = row.acknowledged_at ? `${addDays(today(), -s.daysAgo + 3)}T10:00:00.000Z` : null;
      await inTransaction(ctx, (trx) => repo.updateReportIf(trx, sent.reportId, {}, {
        received_at: receivedAt, ack_due_on: acknowledgementDue(receivedAt),
        acknowledged_at: ackAt, feedback_due_on: ackAt ? feedbackDue(ackAt) : null,
      }));
      made++;
    }
  }
  return made;
}
