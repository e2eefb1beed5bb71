import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../context.ts";
import { Invalid, type FieldErrors } from "../http/errors.ts";
import { redirectWithFlash, sendPage } from "../http/pages.ts";
import { formBody, str } from "../http/validation.ts";
import { today } from "../reports/deadlines.ts";
import * as activities from "./activities.ts";
import { ACTIVITIES, ACTIVITY_LABELS, ActivitiesPage, NewActivityPage, type ActivityValues } from "./views/activities.tsx";

// The confidential advisor's activities: the list of a year and the form to register one. Only advisors
// (advisorContact.create); every advisor sees and deletes only their own.

const ADVISOR = { config: { access: { permission: "advisorContact.create" as const } } };
const FIELDS = Object.keys(ACTIVITY_LABELS);

export function advisorActivityRoutes(app: FastifyInstance, ctx: Context) {
  app.get(ACTIVITIES, ADVISOR, async (req, reply) => {
    const jaar = str((req.query as Record<string, unknown> | undefined)?.jaar);
    const view = await activities.listMyActivities(ctx, req.actor!, /^\d{4}$/.test(jaar) ? Number(jaar) : undefined);
    return sendPage(ctx, req, reply, "advisorActivity.title", () => <ActivitiesPage view={view} />);
  });

  const formPage = async (req: FastifyRequest, reply: FastifyReply, values: ActivityValues, errors: FieldErrors = {}, status = 200, params?: Record<string, string | number>) => {
    const form = await activities.activityForm(ctx, req.actor!);
    // The active organisation is the likely one; an advisor of a pool can choose another.
    const initial = { organisationId: req.actor!.activeOrganisationId ?? "", ...values };
    return sendPage(ctx, req, reply, "advisorActivity.newTitle", () => <NewActivityPage form={form} values={initial} errors={errors} params={params} />, status);
  };

  app.get(`${ACTIVITIES}/nieuw`, ADVISOR, async (req, reply) => formPage(req, reply, {}));

  app.post(`${ACTIVITIES}/nieuw`, ADVISOR, async (req, reply) => {
    const body = formBody(req.body);
    const values: ActivityValues = Object.fromEntries(FIELDS.map((f) => [f, str(body[f])]));
    let saved: Awaited<ReturnType<typeof activities.recordActivity>>;
    try {
      saved = await activities.recordActivity(ctx, req.actor!, values);
    } catch (e) {
      if (e instanceof Invalid) return formPage(req, reply, values, e.fields, 422, e.params);
      throw e;
    }
    // Back to the list of the activity's year, where it now shows.
    const year = saved.activity_on.slice(0, 4);
    return redirectWithFlash(reply, year === today().slice(0, 4) ? ACTIVITIES : `${ACTIVITIES}?jaar=${year}`, "advisorActivity.created");
  });

  app.post(`${ACTIVITIES}/:id/verwijderen`, ADVISOR, async (req, reply) => {
    await activities.deleteActivity(ctx, req.actor!, (req.params as { id: string }).id);
    return redirectWithFlash(reply, ACTIVITIES, "advisorActivity.deleted");
  });
}
