import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../context.ts";
import { Invalid, type FieldErrors } from "../http/errors.ts";
import { redirectWithFlash, sendPage } from "../http/pages.ts";
import { formBody, formStrings as strings, prefixedErrors as prefixed, scopedFields as scoped } from "../http/validation.ts";
import { translator } from "../ui/messages.ts";
import * as settings from "./settings.ts";
import { CATEGORY_PREFIX, CategoryPage, MEASURE_PREFIX, MeasurePage, ReportSettingsPage, type ReportSettingsProps } from "./views/settings.tsx";

// The reporting desk's settings page for the organisation's administrator (organisation.manage).
// It configures the desk and never shows a case.


type Params = { id: string };
const MANAGE = { config: { access: { permission: "organisation.manage" as const } } };

export function reportSettingsRoutes(app: FastifyInstance, ctx: Context) {
  const active = (req: FastifyRequest) => req.actor!.activeOrganisationId!;

  const page = async (req: FastifyRequest, reply: FastifyReply, props: Omit<ReportSettingsProps, "view"> = {}, status = 200) => {
    const view = await settings.getReportSettings(ctx, req.actor!, active(req));
    return sendPage(ctx, req, reply, "reportSettings.title", () => <ReportSettingsPage view={view} {...props} />, status);
  };

  app.get("/beheer/meldpunt", MANAGE, async (req, reply) => page(req, reply));

  app.post("/beheer/meldpunt/instellingen", MANAGE, async (req, reply) => {
    const values = strings(req.body);
    try {
      await settings.updateReportSettings(ctx, req.actor!, active(req), values);
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      return page(req, reply, { errors: e.fields, values, form: "settings" }, 422);
    }
    return redirectWithFlash(reply, "/beheer/meldpunt#instellingen", "form.saved");
  });

  app.post("/beheer/meldpunt/categorieen", MANAGE, async (req, reply) => {
    const values = strings(req.body);
    try {
      await settings.createCategory(ctx, req.actor!, active(req), scoped(values, CATEGORY_PREFIX));
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      return page(req, reply, { errors: prefixed(e.fields, CATEGORY_PREFIX), values, form: "category" }, 422);
    }
    return redirectWithFlash(reply, "/beheer/meldpunt#onderwerpen", "reportSettings.categoryCreated");
  });

  // ---- one category ----
  const categoryPage = async (req: FastifyRequest, reply: FastifyReply, errors: FieldErrors = {}, values?: Record<string, string>, status = 200) => {
    const category = await settings.getCategory(ctx, req.actor!, active(req), (req.params as Params).id);
    const title = translator(req.locale)("reportSettings.categoryEditTitle", { name: category.label_nl });
    return sendPage(ctx, req, reply, { text: title }, () => <CategoryPage category={category} errors={errors} values={values} />, status);
  };

  app.get("/beheer/meldpunt/categorieen/:id", MANAGE, async (req, reply) => categoryPage(req, reply));

  app.post("/beheer/meldpunt/categorieen/:id", MANAGE, async (req, reply) => {
    const values = strings(req.body);
    try {
      await settings.updateCategory(ctx, req.actor!, active(req), (req.params as Params).id, values);
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      return categoryPage(req, reply, e.fields, values, 422);
    }
    return redirectWithFlash(reply, "/beheer/meldpunt#onderwerpen", "form.saved");
  });

  app.post("/beheer/meldpunt/maatregelen", MANAGE, async (req, reply) => {
    const values = strings(req.body);
    try {
      await settings.createMeasure(ctx, req.actor!, active(req), scoped(values, MEASURE_PREFIX));
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      return page(req, reply, { errors: prefixed(e.fields, MEASURE_PREFIX), values, form: "measure" }, 422);
    }
    return redirectWithFlash(reply, "/beheer/meldpunt#maatregelen", "reportSettings.measureCreated");
  });

  // ---- one measure ----
  const measurePage = async (req: FastifyRequest, reply: FastifyReply, errors: FieldErrors = {}, values?: Record<string, string>, status = 200) => {
    const measure = await settings.getMeasure(ctx, req.actor!, active(req), (req.params as Params).id);
    const title = translator(req.locale)("reportSettings.measureEditTitle", { name: measure.label_nl });
    return sendPage(ctx, req, reply, { text: title }, () => <MeasurePage measure={measure} errors={errors} values={values} />, status);
  };

  app.get("/beheer/meldpunt/maatregelen/:id", MANAGE, async (req, reply) => measurePage(req, reply));

  app.post("/beheer/meldpunt/maatregelen/:id", MANAGE, async (req, reply) => {
    const values = strings(req.body);
    try {
      await settings.updateMeasure(ctx, req.actor!, active(req), (req.params as Params).id, values);
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      return measurePage(req, reply, e.fields, values, 422);
    }
    return redirectWithFlash(reply, "/beheer/meldpunt#maatregelen", "form.saved");
  });
}
