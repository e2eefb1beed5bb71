import type { Actor } from "../../src/access/actor.ts";
import type { Role } from "../../src/access/permissions.ts";
import * as authRepo from "../../src/auth/repository.ts";
import { loadActor } from "../../src/auth/service.ts";
import type { Context } from "../../src/context.ts";
import { newId } from "../../src/crypto/tokens.ts";
import { intakeTarget, submitReport } from "../../src/reports/intake.ts";
import type { ReportInput } from "../../src/reports/schema.ts";
import { grant, makeAccount } from "./fixtures.ts";

/** A complete set of intake answers; override what the test is about. */
export async function reportAnswers(ctx: Context, slug: string, over: Partial<ReportInput> = {}): Promise<ReportInput> {
  const target = await intakeTarget(ctx, slug);
  return {
    categoryId: target.categories[0]!.id, description: "Er verdwijnt geld uit de kas.", occurredOn: "", occurredWhen: "",
    unitId: "", location: "", involved: "", howKnown: "saw", howKnownDetail: "", reportedBefore: "no", reportedBeforeDetail: "",
    concernsHandler: "no", mode: "anonymous", noticeEmail: "", ...over,
  } as ReportInput;
}

/** Sends a report through the real intake service. */
export async function makeReport(ctx: Context, slug: string, over: Partial<ReportInput> = {}) {
  return submitReport(ctx, slug, await reportAnswers(ctx, slug, over), { locale: "nl" });
}

/** An account with one role on a scope, loaded as the services see it. */
export async function actorWith(ctx: Context, role: Role, scope: { type: "organisation" | "group"; id: string; organisationId: string | null }, activeOrganisationId: string | null = scope.organisationId): Promise<Actor> {
  const acc = await makeAccount(ctx, `${role}-${newId().slice(0, 8)}@example.test`);
  await grant(ctx, acc.id, role, scope.type, scope.id, scope.organisationId);
  return actorOf(ctx, acc.id, activeOrganisationId);
}

export async function actorOf(ctx: Context, accountId: string, activeOrganisationId: string | null = null): Promise<Actor> {
  const account = await authRepo.findAccount(ctx.db, accountId);
  return loadActor(ctx.db, account!, activeOrganisationId, "session");
}

export const orgRole = (ctx: Context, role: Role, organisationId: string) =>
  actorWith(ctx, role, { type: "organisation", id: organisationId, organisationId });
