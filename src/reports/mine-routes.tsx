import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Actor } from "../access/actor.ts";
import type { Context } from "../context.ts";
import { Invalid, NotFound, type FieldErrors } from "../http/errors.ts";
import { redirectWithFlash, sendPage } from "../http/pages.ts";
import { formBody, str } from "../http/validation.ts";
import * as orgRepo from "../organisations/repository.ts";
import { translator } from "../ui/messages.ts";
import { intakeTarget, type IntakeTarget } from "./intake.ts";
import { fileOf, intakeFlow, type FlowCall } from "./intake-routes.tsx";
import { addFileToMyReport, listMyReports, myReportId, readMyReport, replyToMyReport } from "./mine.ts";
import { ACCOUNT_FLOW, MY_REPORTS, myReportUrls } from "./views/intake-shared.tsx";
import { MyReportPage, MyReportsPage } from "./views/mine.tsx";

// "Mijn meldingen" for a signed-in employee (report.create): the list of their reports, one report as its
// reporter sees it (messages both ways, files), and reporting while signed in — the same question flow as the
// public intake (intake-routes.tsx intakeFlow), for the active organisation, open or confidential, no receipt.
// These routes use the session like every staff page; the public intake stays sessionless.

const CREATE = { access: { permission: "report.create" as const } };
type IdRequest = FastifyRequest<{ Params: { id: string } }>;

/** The intake of the organisation the employee is working in now. */
async function activeTarget(ctx: Context, actor: Actor): Promise<IntakeTarget> {
  const id = actor.activeOrganisationId;
  const organisation = id ? await orgRepo.findOrganisation(ctx.db, [id], id) : undefined;
  if (!organisation) throw new NotFound();
  return intakeTarget(ctx, organisation.slug);
}

export function myReportRoutes(app: FastifyInstance, ctx: Context) {
  const flow = intakeFlow(ctx);
  const uploadRoute = { config: { ...CREATE, multipartOptions: flow.multipartOptions } };
  /** The signed-in flow: the throttles key on the account (an HMAC of it, in memory), the draft is bound to it. */
  const call = async (req: FastifyRequest): Promise<FlowCall> => {
    const actor = req.actor!;
    return { target: await activeTarget(ctx, actor), flow: ACCOUNT_FLOW, reporter: actor, client: `account:${actor.accountId}` };
  };

  app.get(MY_REPORTS, { config: CREATE }, async (req, reply) => {
    const actor = req.actor!;
    const [reports, target] = await Promise.all([listMyReports(ctx, actor), activeTarget(ctx, actor)]);
    return sendPage(ctx, req, reply, "mine.title", () => <MyReportsPage reports={reports} organisation={target.organisation} />);
  });

  // ---- reporting while signed in ----
  app.get(ACCOUNT_FLOW.start, { config: CREATE }, async (req, reply) => flow.begin(req, reply, await call(req)));
  // The step and send addresses are POST only; a GET (a reload, the language switch on an error page) starts over.
  for (const path of [ACCOUNT_FLOW.step, ACCOUNT_FLOW.send]) {
    app.get(path, { config: CREATE }, async (_req, reply) => reply.redirect(ACCOUNT_FLOW.start, 303));
  }
  app.post(ACCOUNT_FLOW.step, uploadRoute, async (req, reply) => flow.step(req, reply, await call(req)));
  app.post(ACCOUNT_FLOW.send, { config: CREATE }, async (req, reply) => flow.send(req, reply, await call(req)));

  // ---- one of my reports ----
  const reportPage = async (req: IdRequest, reply: FastifyReply, extra: { errors?: FieldErrors; body?: string; status?: number;
    fileProblem?: { errors: FieldErrors; params?: Record<string, string | number> } } = {}) => {
    const mailbox = await readMyReport(ctx, req.actor!, req.params.id);
    const title = translator(req.locale)("mailbox.title", { reference: mailbox.reference });
    return sendPage(ctx, req, reply, { text: title }, () => (
      <MyReportPage reportId={mailbox.reportId} title={title} mailbox={mailbox} errors={extra.errors ?? {}} body={extra.body}
        files={{ limits: flow.limits, ...extra.fileProblem }} />
    ), extra.status);
  };

  app.get(`${MY_REPORTS}/:id`, { config: CREATE }, async (req: IdRequest, reply) => reportPage(req, reply));

  app.post(`${MY_REPORTS}/:id/berichten`, { config: CREATE }, async (req: IdRequest, reply) => {
    const body = formBody(req.body).body;
    try {
      await replyToMyReport(ctx, req.actor!, req.params.id, { body });
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      return reportPage(req, reply, { errors: e.fields, body: str(body), status: 422 });
    }
    return redirectWithFlash(reply, myReportUrls(req.params.id).page, "mailbox.sent");
  });

  // A file for the desk, straight to the case (no pending state). The reporter is not offered it back.
  app.post(`${MY_REPORTS}/:id/bestanden`, uploadRoute, async (req: IdRequest, reply) => {
    const file = fileOf(req);
    if (!file) return reportPage(req, reply, { status: 422, fileProblem: { errors: { file: "intake.files.required" } } });
    if (!flow.uploads.hit(flow.uploads.key(`account:${req.actor!.accountId}`))) {
      return reportPage(req, reply, { status: 429, fileProblem: { errors: { file: "report.tooMany" } } });
    }
    try {
      await addFileToMyReport(ctx, req.actor!, req.params.id, file);
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      return reportPage(req, reply, { status: 422, fileProblem: { errors: e.fields, params: e.params } });
    }
    return redirectWithFlash(reply, myReportUrls(req.params.id).page, "mailbox.files.sent");
  });

  // The posting addresses answer a GET (the language switch on a page with an error) with the report itself.
  for (const suffix of ["berichten", "bestanden"]) {
    app.get(`${MY_REPORTS}/:id/${suffix}`, { config: CREATE }, async (req: IdRequest, reply) =>
      reply.redirect(myReportUrls(await myReportId(ctx, req.actor!, req.params.id)).page, 303));
  }
}
