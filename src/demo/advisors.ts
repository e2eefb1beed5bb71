// The demo advisor's register: contacts over last year and this year, with several natures, groups and
// follow-ups, a few notes, some closed; and a handful of activities — so the advisor's overview and the
// yearly advisors' report have something to show. Written through the real services; deterministic.
import { loadActor } from "../auth/service.ts";
import * as authRepo from "../auth/repository.ts";
import type { Context } from "../context.ts";
import { recordActivity } from "../advisors/activities.ts";
import * as advisors from "../advisors/service.ts";
import { ACTIVITY_KINDS, FOLLOW_UPS, FORMS, RELATIONS } from "../advisors/vocabulary.ts";
import { addDays, today } from "../reports/deadlines.ts";
import { DEMO_ACCOUNT_EMAILS, DEMO_ORGANISATIONS } from "./generate.ts";

/** A small linear congruential generator: the same demo every time, without Math.random. */
function generator(seed: number) {
  let s = seed >>> 0;
  return (n: number) => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s % n; };
}

/** Adds the demo advisor's contacts and activities; returns how many contacts were made. */
export async function loadDemoAdvisorRegister(ctx: Context, count = 36): Promise<number> {
  const account = await authRepo.findAccountByEmail(ctx.db, DEMO_ACCOUNT_EMAILS.advisor);
  if (!account) return 0;
  const organisationId = (await ctx.db.selectFrom("organisations").select("id").where("slug", "=", DEMO_ORGANISATIONS[0]!.slug).executeTakeFirstOrThrow()).id;
  const actor = await loadActor(ctx.db, account, organisationId, "session");
  const form = await advisors.contactForm(ctx, actor);
  const natures = form.organisations.find((o) => o.id === organisationId)!.natures.map((n) => n.code);
  const r = generator(20260101);
  const first = advisors.earliestContactDate();
  const span = Math.max(1, Math.round((Date.parse(today()) - Date.parse(first)) / 86_400_000));
  // Bullying and aggression come up most, as in Rotterdam's table; a second nature now and then.
  const weighted = [...natures, "bullying", "bullying", "aggression", "aggression", "aggression", "work_situation"].filter((c) => natures.includes(c));
  for (let i = 0; i < count; i++) {
    const main = weighted[r(weighted.length)]!;
    const second = r(4) === 0 ? natures[r(natures.length)]! : main;
    const contact = await advisors.createContact(ctx, actor, {
      contactOn: addDays(first, r(span)), organisationId, relation: RELATIONS[r(3) === 0 ? r(RELATIONS.length) : 0],
      natures: [...new Set([main, second])], people: r(8) === 0 ? 2 : 1, form: FORMS[r(FORMS.length)], conversations: 1 + r(3),
      minutes: 30 + 15 * r(6), followUp: FOLLOW_UPS[r(5) === 0 ? 7 : r(3)],
    });
    if (i % 4 === 0) await advisors.addNote(ctx, actor, contact.id, { body: "Eerste gesprek gehad. Bezoeker denkt na over de volgende stap; over twee weken bellen." });
    if (i % 3 !== 0) await advisors.closeContact(ctx, actor, contact.id, { version: (await advisors.getContact(ctx, actor, contact.id, { notes: false })).contact.version });
  }
  for (let i = 0; i < 6; i++) {
    await recordActivity(ctx, actor, {
      activityOn: addDays(first, r(span)), organisationId, unitId: "", kind: ACTIVITY_KINDS[i % ACTIVITY_KINDS.length], peopleReached: i % 5 === 3 ? 0 : 8 + r(30),
    });
  }
  return count;
}
