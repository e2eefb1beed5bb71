import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../context.ts";
import { Invalid, type FieldErrors } from "../http/errors.ts";
import { redirectWithFlash, sendPage } from "../http/pages.ts";
import { formBody, str } from "../http/validation.ts";
import { translator } from "../ui/messages.ts";
import { groupReceipt } from "./intake.ts";
import { registerForm, registerReport } from "./register.ts";
import { intakeUrls } from "./views/intake-shared.tsx";
import { REGISTER_LABELS, RegisteredPage, RegisterPage, type RegisterValues } from "./views/register.tsx";

// The desk registers a report that came in another way: one form, then the case (or, when the reporter
// gets a report code, a page that shows the code once). The organisation is the coordinator's active one.

const HANDLE = { access: { permission: "report.handle" as const } };
const FIELDS = Object.keys(REGISTER_LABELS);
const IDENTITY_FIELDS = ["name", "email", "phone", "relation"];

/** The form's flat fields as the service's input: the reporter's details together under `identity`. */
function registerInput(values: RegisterValues): Record<string, unknown> {
  const input: Record<string, unknown> = Object.fromEntries(Object.entries(values).filter(([k]) => !IDENTITY_FIELDS.includes(k)));
  input.identity = Object.fromEntries(IDENTITY_FIELDS.map((f) => [f, values[f] ?? ""]));
  return input;
}

/** The service's field errors on the form's names ("identity.name" → "name"). */
const formErrors = (fields: FieldErrors): FieldErrors =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k.startsWith("identity.") ? k.slice("identity.".length) : k, v]));

export function reportRegisterRoutes(app: FastifyInstance, ctx: Context) {
  const formPage = async (req: FastifyRequest, reply: FastifyReply, values: RegisterValues, errors: FieldErrors = {}, status = 200) => {
    const actor = req.actor!;
    const form = await registerForm(ctx, actor, actor.activeOrganisationId!);
    return sendPage(ctx, req, reply, "register.title", () => <RegisterPage form={form} values={values} errors={errors} />, status);
  };

  app.get("/meldingen/nieuw", { config: HANDLE }, async (req, reply) => formPage(req, reply, {}));

  app.post("/meldingen/nieuw", { config: HANDLE }, async (req, reply) => {
    const actor = req.actor!;
    const body = formBody(req.body);
    const values: RegisterValues = Object.fromEntries(FIELDS.map((f) => [f, str(body[f])]));
    let done: Awaited<ReturnType<typeof registerReport>>;
    try {
      done = await registerReport(ctx, actor, actor.activeOrganisationId!, registerInput(values));
    } catch (e) {
      if (e instanceof Invalid) return formPage(req, reply, values, formErrors(e.fields), 422);
      throw e;
    }
    if (!done.receipt) {
      return done.visible ? redirectWithFlash(reply, `/meldingen/${done.reportId}`, "register.flash.saved")
        : redirectWithFlash(reply, "/meldingen", "register.flash.savedElsewhere");
    }
    const title = translator(req.locale)("register.done.title", { reference: done.reference });
    return sendPage(ctx, req, reply, { text: title }, () => (
      <RegisteredPage title={title} done={{
        reference: done.reference, reportId: done.reportId, receiptGrouped: groupReceipt(done.receipt!), ackDueOn: done.ackDueOn,
        mailboxUrl: `${ctx.config.baseUrl}${intakeUrls(done.organisationSlug).mailbox}`, minutes: done.minutes, visible: done.visible,
      }} />
    ));
  });
}
