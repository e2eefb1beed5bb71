import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../context.ts";
import { Invalid, type FieldErrors } from "../http/errors.ts";
import { redirectWithFlash, sendPage } from "../http/pages.ts";
import { formStrings as strings, prefixedErrors as prefixed, scopedFields as scoped } from "../http/validation.ts";
import { translator } from "../ui/messages.ts";
import * as settings from "./settings.ts";
import { ADVISOR_SETTINGS, AdvisorSettingsPage, NATURE_PREFIX, NaturePage, type AdvisorSettingsProps } from "./views/settings.tsx";

// The advisors' settings page for the organisation's administrator (organisation.manage), for the active
// organisation. It configures the advisors' register and never shows a contact or a count of contacts.

type Params = { id: string };
const MANAGE = { config: { access: { permission: "organisation.manage" as const } } };

export function advisorSettingsRoutes(app: FastifyInstance, ctx: Context) {
  const active = (req: FastifyRequest) => req.actor!.activeOrganisationId!;

  const page = async (req: FastifyRequest, reply: FastifyReply, props: Omit<AdvisorSettingsProps, "view"> = {}, status = 200) => {
    const view = await settings.getAdvisorSettings(ctx, req.actor!, active(req));
    return sendPage(ctx, req, reply, "advisorSettings.title", () => <AdvisorSettingsPage view={view} {...props} />, status);
  };

  app.get(ADVISOR_SETTINGS, MANAGE, async (req, reply) => page(req, reply));

  app.post(`${ADVISOR_SETTINGS}/instellingen`, MANAGE, async (req, reply) => {
    const values = strings(req.body);
    try {
      await settings.updateAdvisorSettings(ctx, req.actor!, active(req), values);
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      return page(req, reply, { errors: e.fields, values, form: "settings" }, 422);
    }
    return redirectWithFlash(reply, `${ADVISOR_SETTINGS}#instellingen`, "form.saved");
  });

  app.post(`${ADVISOR_SETTINGS}/onderwerpen`, MANAGE, async (req, reply) => {
    const values = strings(req.body);
    try {
      await settings.createNature(ctx, req.actor!, active(req), scoped(values, NATURE_PREFIX));
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      return page(req, reply, { errors: prefixed(e.fields, NATURE_PREFIX), values, form: "nature" }, 422);
    }
    return redirectWithFlash(reply, `${ADVISOR_SETTINGS}#onderwerpen`, "advisorSettings.natureCreated");
  });

  // ---- one nature ----
  const naturePage = async (req: FastifyRequest, reply: FastifyReply, errors: FieldErrors = {}, values?: Record<string, string>, status = 200) => {
    const nature = await settings.getNature(ctx, req.actor!, active(req), (req.params as Params).id);
    const title = translator(req.locale)("advisorSettings.natureEditTitle", { name: nature.label_nl });
    return sendPage(ctx, req, reply, { text: title }, () => <NaturePage nature={nature} errors={errors} values={values} />, status);
  };

  app.get(`${ADVISOR_SETTINGS}/onderwerpen/:id`, MANAGE, async (req, reply) => naturePage(req, reply));

  app.post(`${ADVISOR_SETTINGS}/onderwerpen/:id`, MANAGE, async (req, reply) => {
    const values = strings(req.body);
    try {
      await settings.updateNature(ctx, req.actor!, active(req), (req.params as Params).id, values);
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      return naturePage(req, reply, e.fields, values, 422);
    }
    return redirectWithFlash(reply, `${ADVISOR_SETTINGS}#onderwerpen`, "form.saved");
  });
}
