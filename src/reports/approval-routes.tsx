import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../context.ts";
import { Conflict, Invalid, type FieldErrors } from "../http/errors.ts";
import { redirectWithFlash, sendPage } from "../http/pages.ts";
import { formBody, str } from "../http/validation.ts";
import * as cases from "./service.ts";
import { ApprovalsPage } from "./views/approvals.tsx";

const APPROVE = { access: { permission: "report.approveInvestigation" as const } };

/** The municipal secretary's approvals: metadata only, never the content of a case. */
export function approvalRoutes(app: FastifyInstance, ctx: Context) {
  const page = async (req: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldErrors; failedId?: string; values?: Record<string, string> } = {}, status = 200) => {
    const items = await cases.listApprovals(ctx, req.actor!, req.locale);
    return sendPage(ctx, req, reply, "approvals.title", () => <ApprovalsPage items={items} {...extra} />, status);
  };

  app.get("/goedkeuringen", { config: APPROVE }, async (req, reply) => page(req, reply));

  app.post("/goedkeuringen/:id", { config: APPROVE }, async (req, reply) => {
    const id = (req.params as { id: string }).id;
    const body = formBody(req.body);
    const prefix = str(body.prefix);
    const values = { decision: str(body[`${prefix}decision`]), reason: str(body[`${prefix}reason`]) };
    try {
      await cases.decideApproval(ctx, req.actor!, id, { ...values, version: str(body.version) });
    } catch (e) {
      if (e instanceof Invalid) return page(req, reply, { errors: e.fields, failedId: id, values }, 422);
      if (e instanceof Conflict) return page(req, reply, { errors: { _form: e.messageKey }, failedId: id, values }, 409);
      throw e;
    }
    return redirectWithFlash(reply, "/goedkeuringen", values.decision === "approve" ? "approvals.approved" : "approvals.rejected");
  });
}
