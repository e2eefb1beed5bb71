import type { Actor } from "../access/actor.ts";
import { auditActorOf } from "../access/actor.ts";
import * as audit from "../audit/service.ts";
import type { Context } from "../context.ts";
import { inTransaction } from "../context.ts";
import { getCase, type CaseView } from "./service.ts";

// The case file (dossier): metadata, content, timeline, findings and measures in one document, as HTML
// for the print view and as a tagged PDF. The reporter's identity is left out unless the exporter may
// see it AND chooses to include it; either way the export is an audit event that says which.

export type CaseFile = { view: CaseView; includeIdentity: boolean; generatedAt: string; generatedBy: string };

export async function caseFile(ctx: Context, actor: Actor, id: string, opts: { includeIdentity: boolean; format: "html" | "pdf" }): Promise<CaseFile> {
  const view = await getCase(ctx, actor, id);
  const includeIdentity = opts.includeIdentity && view.identity !== null;
  await inTransaction(ctx, (trx) => audit.record(ctx, trx, {
    actor: auditActorOf(actor), action: "report.export", objectType: "report", objectId: id, organisationId: view.report.organisation_id,
    details: { reference: view.report.reference, format: opts.format, identity: includeIdentity },
  }));
  return { view, includeIdentity, generatedAt: new Date().toISOString(), generatedBy: actor.displayName };
}
