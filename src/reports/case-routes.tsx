import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../context.ts";
import { Conflict, Invalid, type FieldErrors } from "../http/errors.ts";
import { redirectWithFlash, sendPage } from "../http/pages.ts";
import { formBody, prefixedErrors as prefixed, scopedFields as scoped, str } from "../http/validation.ts";
import * as orgRepo from "../organisations/repository.ts";
import { translator, type MessageKey } from "../ui/messages.ts";
import { caseMinutesRoutes } from "./minutes-routes.tsx";
import { mayRegister } from "./register.ts";
import { attachmentRoutes } from "./attachments/routes.ts";
import * as repo from "./repository.ts";
import { handOver } from "./handover.ts";
import * as cases from "./service.ts";
import { CasePage, FINDING_ROWS, type CaseForm } from "./views/case.tsx";
import { InboxPage, type InboxBase } from "./views/inbox.tsx";

// The handlers' pages: the inbox and the case with every step of its life. Coordinators work under
// /meldingen; an investigator sees the cases assigned to them under /onderzoeken (same views, fewer forms).
// Every action is a plain form: post, then redirect to the case (or the case again with 422/409).

const LIST = { access: { permission: "report.list" as const } };
const HANDLE = { access: { permission: "report.handle" as const } };
const INVESTIGATE = { access: { permission: "report.investigate" as const } };

type Params = { id: string };

/** Empty form values mean "no filter": they are left out before the query is parsed. */
function queryOf(raw: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(formBody(raw)).filter(([, v]) => v !== "" && v !== undefined));
}


/** A step's form → the service's input. Findings come as numbered rows; empty rows are skipped, and
 *  `rows` maps each finding back to its row so an error lands at the right field. */
function stepInput(body: Record<string, unknown>) {
  const action = str(body.action);
  const rows = Array.from({ length: FINDING_ROWS }, (_, i) => ({
    row: i, allegation: str(body[`findings.${i}.allegation`]).trim(), finding: str(body[`findings.${i}.finding`]),
  })).filter((r) => r.allegation || r.finding);
  const measures = [body.measures].flat().filter((m): m is string => typeof m === "string" && m !== "");
  const version = str(body.version);
  return {
    rows: rows.map((r) => r.row),
    input: {
      action, version: /^\d+$/.test(version) ? version : undefined,
      reason: str(body.reason), approvedBy: str(body.approvedBy), approvedOn: str(body.approvedOn), investigationBy: str(body.investigationBy),
      findings: action === "concludeInvestigation" ? rows.map(({ allegation, finding }) => ({ allegation, finding })) : [],
      measures: action === "decideMeasures" ? measures : [],
    },
  };
}

/** Step errors on the form's own names: "findings.1.finding" of the second filled row → that row's field. */
function stepErrors(fields: FieldErrors, rows: number[]): FieldErrors {
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(fields)) {
    const m = /^findings\.(\d+)\.(.+)$/.exec(k);
    if (m) out[`findings.${rows[Number(m[1])] ?? 0}.${m[2]}`] = v;
    else if (k.startsWith("measures")) out.measures = v;
    else if (k === "action" || k === "version") out._form = v;
    else out[k] = v;
  }
  return out;
}

export function caseRoutes(app: FastifyInstance, ctx: Context) {
  // ---- the inbox ----
  const inbox = async (req: FastifyRequest, reply: FastifyReply, base: InboxBase) => {
    const actor = req.actor!;
    // Under /onderzoeken only one's own investigations, also for someone who is a coordinator as well.
    const query = base === "/onderzoeken" ? { ...queryOf(req.query), investigator: "me" } : queryOf(req.query);
    let errors: FieldErrors = {};
    let result: cases.Inbox;
    try {
      result = await cases.listCases(ctx, actor, query, req.locale);
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      // A filter that is not one of the choices (an edited address): say so, and list without it.
      errors = e.fields;
      result = await cases.listCases(ctx, actor, Object.fromEntries(Object.entries(query).filter(([k]) => !(k in errors))), req.locale);
    }
    // A subject the list does not offer — one of another organisation than the one chosen (the organisation was
    // changed, the subject kept), or any subject while no organisation is chosen: say so, and list without it, so
    // that no filter applies that the form does not show.
    // The message stands at the subject list, or where there is none at the organisation choice: the step to take first.
    if (query.categoryId && !errors.categoryId && !result.options.categories.some((c) => c.id === query.categoryId)) {
      const field = !result.options.categories.length && result.options.organisations.length > 1 ? "organisationId" : "categoryId";
      const dropped = new Set([...Object.keys(errors), "categoryId"]);
      errors = { ...errors, [field]: "cases.filter.categoryOfOther" };
      result = await cases.listCases(ctx, actor, Object.fromEntries(Object.entries(query).filter(([k]) => !dropped.has(k))), req.locale);
    }
    // With one organisation there is no organisation choice, but its units still are a filter.
    const only = result.options.organisations.length === 1 ? result.options.organisations[0]! : null;
    if (only && !result.options.units.length) {
      result.options.units = (await orgRepo.listUnits(ctx.db, only.id)).map((u) => ({ id: u.id, name: u.name }));
    }
    const title = base === "/meldingen" ? "cases.title" : "cases.investigationsTitle";
    return sendPage(ctx, req, reply, title, () => <InboxPage inbox={result} base={base} errors={errors} canRegister={base === "/meldingen" && mayRegister(actor)} />, Object.keys(errors).length ? 422 : 200);
  };
  app.get("/meldingen", { config: LIST }, async (req, reply) => inbox(req, reply, "/meldingen"));
  app.get("/onderzoeken", { config: INVESTIGATE }, async (req, reply) => inbox(req, reply, "/onderzoeken"));

  // ---- one case ----
  type Extra = { form?: CaseForm; errors?: FieldErrors; values?: Record<string, unknown>; problem?: MessageKey };
  const casePage = async (req: FastifyRequest, reply: FastifyReply, base: InboxBase, extra: Extra = {}, status = 200) => {
    const view = await cases.getCase(ctx, req.actor!, (req.params as Params).id);
    const accountNames = new Map(Object.entries(view.names));
    const title = translator(req.locale)("case.title", { reference: view.report.reference });
    return sendPage(ctx, req, reply, { text: title }, () => (
      <CasePage view={view} base={base} accountNames={accountNames} form={extra.form} errors={extra.errors} values={extra.values} problem={extra.problem} />
    ), status);
  };
  app.get("/meldingen/:id", { config: LIST }, async (req, reply) => casePage(req, reply, "/meldingen"));
  app.get("/onderzoeken/:id", { config: INVESTIGATE }, async (req, reply) => casePage(req, reply, "/onderzoeken"));
  // Its files, as downloads (attachments/routes.ts).
  attachmentRoutes(app, ctx);

  /** Runs one action; on success back to the case with a message, otherwise the case again with the problem. */
  const act = async (req: FastifyRequest, reply: FastifyReply, base: InboxBase, form: CaseForm, values: Record<string, unknown>,
    run: (id: string) => Promise<MessageKey>, mapErrors: (f: FieldErrors) => FieldErrors) => {
    const id = (req.params as Params).id;
    try {
      const flash = await run(id);
      return redirectWithFlash(reply, `${base}/${id}`, flash);
    } catch (e) {
      if (e instanceof Invalid) return casePage(req, reply, base, { form, errors: mapErrors(e.fields), values }, 422);
      if (e instanceof Conflict) return casePage(req, reply, base, { problem: e.messageKey }, 409);
      throw e;
    }
  };
  // The minutes of an oral report: a new version, an approval given outside Intact (minutes-routes.tsx).
  caseMinutesRoutes(app, ctx, act);

  app.post("/meldingen/:id/stap", { config: HANDLE }, async (req, reply) => {
    const body = formBody(req.body);
    const { input, rows } = stepInput(body);
    return act(req, reply, "/meldingen", { kind: "step", action: input.action }, body, async (id) => {
      await cases.transition(ctx, req.actor!, id, input);
      return input.action === "acknowledge" ? "case.flash.acknowledged" : input.action === "close" ? "case.flash.closed" : "case.flash.step";
    }, (f) => stepErrors(f, rows));
  });

  app.post("/meldingen/:id/berichten", { config: HANDLE }, async (req, reply) => {
    const body = formBody(req.body);
    const fields = scoped(body, "message.");
    const feedback = fields.feedback === "1";
    return act(req, reply, "/meldingen", { kind: "message" }, body, async (id) => {
      await cases.sendMessage(ctx, req.actor!, id, { body: fields.body ?? "", feedback: feedback ? "1" : "" });
      return feedback ? "case.flash.feedback" : "case.flash.message";
    }, (f) => prefixed(f, "message."));
  });

  const note = (base: InboxBase) => async (req: FastifyRequest, reply: FastifyReply) => {
    const body = formBody(req.body);
    return act(req, reply, base, { kind: "note" }, body, async (id) => {
      await cases.addNote(ctx, req.actor!, id, { body: scoped(body, "note.").body ?? "" });
      return "case.flash.note";
    }, (f) => prefixed(f, "note."));
  };
  app.post("/meldingen/:id/notities", { config: HANDLE }, note("/meldingen"));
  app.post("/onderzoeken/:id/notities", { config: INVESTIGATE }, note("/onderzoeken"));

  app.post("/meldingen/:id/toewijzing", { config: HANDLE }, async (req, reply) => {
    const body = formBody(req.body);
    const fields = scoped(body, "assign.");
    return act(req, reply, "/meldingen", { kind: "assign" }, body, async (id) => {
      await cases.assign(ctx, req.actor!, id, { coordinatorId: fields.coordinatorId ?? "", investigatorId: fields.investigatorId ?? "" });
      return "case.flash.assigned";
    }, (f) => prefixed(f, "assign."));
  });

  app.post("/meldingen/:id/identiteit", { config: HANDLE }, async (req, reply) => {
    const body = formBody(req.body);
    const fields = scoped(body, "disclose.");
    return act(req, reply, "/meldingen", { kind: "disclose" }, body, async (id) => {
      await cases.discloseIdentity(ctx, req.actor!, id, { accountId: fields.accountId ?? "", basis: fields.basis ?? "", reason: fields.reason ?? "" });
      return "caseExtra.disclose.done";
    }, (f) => prefixed(f, "disclose."));
  });

  app.post("/meldingen/:id/uitsluiten", { config: HANDLE }, async (req, reply) => {
    const body = formBody(req.body);
    const fields = scoped(body, "exclude.");
    return act(req, reply, "/meldingen", { kind: "exclude" }, body, async (id) => {
      await cases.excludeByEmail(ctx, req.actor!, id, { email: fields.email ?? "" });
      return "caseExtra.exclude.done";
    }, (f) => prefixed(f, "exclude."));
  });

  // Handing over takes the case out of the actor's sight: back to the inbox, not to a 404.
  app.post("/meldingen/:id/overdragen", { config: HANDLE }, async (req, reply) => {
    const body = formBody(req.body);
    const id = (req.params as Params).id;
    try {
      await handOver(ctx, req.actor!, id, { reason: scoped(body, "handOver.").reason ?? "", version: body.version });
      return redirectWithFlash(reply, "/meldingen", "caseExtra.handOver.done");
    } catch (e) {
      if (e instanceof Invalid) return casePage(req, reply, "/meldingen", { form: { kind: "handOver" }, errors: prefixed(e.fields, "handOver."), values: body }, 422);
      if (e instanceof Conflict) return casePage(req, reply, "/meldingen", { problem: e.messageKey }, 409);
      throw e;
    }
  });

  app.post("/meldingen/:id/doorverwijzing", { config: HANDLE }, async (req, reply) => {
    const body = formBody(req.body);
    const fields = scoped(body, "refer.");
    return act(req, reply, "/meldingen", { kind: "refer" }, body, async (id) => {
      await cases.refer(ctx, req.actor!, id, { body: fields.body ?? "", reason: fields.reason ?? "" });
      return "case.flash.referred";
    }, (f) => prefixed(f, "refer."));
  });
}
