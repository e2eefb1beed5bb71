import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../context.ts";
import { Conflict, Invalid, type FieldErrors } from "../http/errors.ts";
import { redirectWithFlash, sendPage } from "../http/pages.ts";
import { formBody, formStrings as strings, prefixedErrors as prefixed, scopedFields as scoped } from "../http/validation.ts";
import { translator } from "../ui/messages.ts";
import * as org from "./service.ts";
import { GroupsPage, GROUP_PREFIX, memberPrefix, newOrgPrefix } from "./views/groups.tsx";
import { OverviewPage, POSITION_PREFIX, UNIT_PREFIX, type OverviewProps } from "./views/overview.tsx";
import { UnitPage } from "./views/unit.tsx";


type Params = { id: string };
type GroupParams = { groupId: string };

export function organisationRoutes(app: FastifyInstance, ctx: Context) {
  const active = (req: FastifyRequest) => req.actor!.activeOrganisationId!;

  const overview = async (req: FastifyRequest, reply: FastifyReply, props: Omit<OverviewProps, "view"> = {}, status = 200) => {
    const view = await org.getOverview(ctx, req.actor!, active(req));
    return sendPage(ctx, req, reply, "org.title", () => <OverviewPage view={view} {...props} />, status);
  };

  app.get("/beheer/organisatie", { config: { access: { permission: "organisation.view" } } }, async (req, reply) => overview(req, reply));

  app.post("/beheer/organisatie/instellingen", { config: { access: { permission: "organisation.manage" } } }, async (req, reply) => {
    const values = strings(req.body);
    try {
      await org.updateSettings(ctx, req.actor!, active(req), values);
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      return overview(req, reply, { errors: e.fields, values, form: "settings" }, 422);
    }
    return redirectWithFlash(reply, "/beheer/organisatie#instellingen", "form.saved");
  });

  app.post("/beheer/organisatie/eenheden", { config: { access: { permission: "organisation.manage" } } }, async (req, reply) => {
    const values = strings(req.body);
    try {
      await org.createUnit(ctx, req.actor!, active(req), scoped(values, UNIT_PREFIX));
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      return overview(req, reply, { errors: prefixed(e.fields, UNIT_PREFIX), values, form: "unit" }, 422);
    }
    return redirectWithFlash(reply, "/beheer/organisatie#eenheden", "org.unitCreated");
  });

  app.post("/beheer/organisatie/functies", { config: { access: { permission: "organisation.manage" } } }, async (req, reply) => {
    const values = strings(req.body);
    try {
      await org.createPosition(ctx, req.actor!, active(req), scoped(values, POSITION_PREFIX));
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      return overview(req, reply, { errors: prefixed(e.fields, POSITION_PREFIX), values, form: "position" }, 422);
    }
    return redirectWithFlash(reply, "/beheer/organisatie#functies", "org.positionCreated");
  });

  // ---- one unit ----
  const unitPage = async (req: FastifyRequest, reply: FastifyReply, errors: FieldErrors = {}, values?: Record<string, string>, status = 200) => {
    const view = await org.getUnit(ctx, req.actor!, active(req), (req.params as Params).id);
    const title = translator(req.locale)("org.editUnitTitle", { name: view.unit.name });
    return sendPage(ctx, req, reply, { text: title }, () => <UnitPage view={view} errors={errors} values={values} />, status);
  };

  app.get("/beheer/organisatie/eenheden/:id", { config: { access: { permission: "organisation.manage" } } }, async (req, reply) => unitPage(req, reply));

  app.post("/beheer/organisatie/eenheden/:id", { config: { access: { permission: "organisation.manage" } } }, async (req, reply) => {
    const values = strings(req.body);
    try {
      await org.updateUnit(ctx, req.actor!, active(req), (req.params as Params).id, values);
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      return unitPage(req, reply, e.fields, values, 422);
    }
    return redirectWithFlash(reply, "/beheer/organisatie#eenheden", "form.saved");
  });

  app.post("/beheer/organisatie/eenheden/:id/verwijderen", { config: { access: { permission: "organisation.manage" } } }, async (req, reply) => {
    try {
      await org.deleteUnit(ctx, req.actor!, active(req), (req.params as Params).id);
    } catch (e) {
      if (!(e instanceof Conflict)) throw e;
      return unitPage(req, reply, { _form: e.messageKey }, undefined, 409);
    }
    return redirectWithFlash(reply, "/beheer/organisatie#eenheden", "form.deleted");
  });

  // ---- groups of organisations ----
  const groupsPage = async (req: FastifyRequest, reply: FastifyReply, errors: FieldErrors = {}, values: Record<string, string> = {}, status = 200) => {
    const view = await org.listManagedGroups(ctx, req.actor!, req.actor!.activeOrganisationId);
    return sendPage(ctx, req, reply, "org.groups", () => <GroupsPage view={view} errors={errors} values={values} />, status);
  };

  app.get("/beheer/samenwerking", { config: { access: { permission: "group.manage" } } }, async (req, reply) => groupsPage(req, reply));

  app.post("/beheer/samenwerking", { config: { access: { permission: "group.manage" } } }, async (req, reply) => {
    const values = strings(req.body);
    try {
      await org.createGroup(ctx, req.actor!, active(req), scoped(values, GROUP_PREFIX));
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      return groupsPage(req, reply, prefixed(e.fields, GROUP_PREFIX), values, 422);
    }
    return redirectWithFlash(reply, "/beheer/samenwerking", "org.groupCreated");
  });

  app.post("/beheer/samenwerking/:groupId/organisaties", { config: { access: { permission: "group.manage" } } }, async (req, reply) => {
    const { groupId } = req.params as GroupParams;
    const values = strings(req.body);
    const prefix = newOrgPrefix(groupId);
    try {
      await org.createOrganisationInGroup(ctx, req.actor!, groupId, scoped(values, prefix));
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      return groupsPage(req, reply, prefixed(e.fields, prefix), values, 422);
    }
    return redirectWithFlash(reply, `/beheer/samenwerking#group-${groupId}`, "org.organisationCreated");
  });

  app.post("/beheer/samenwerking/:groupId/leden", { config: { access: { permission: "group.manage" } } }, async (req, reply) => {
    const { groupId } = req.params as GroupParams;
    const values = strings(req.body);
    const prefix = memberPrefix(groupId);
    try {
      await org.addOrganisationToGroup(ctx, req.actor!, groupId, scoped(values, prefix));
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      return groupsPage(req, reply, prefixed(e.fields, prefix), values, 422);
    }
    return redirectWithFlash(reply, `/beheer/samenwerking#group-${groupId}`, "org.groupMemberAdded");
  });
}
