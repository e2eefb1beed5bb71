import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Context } from "../context.ts";
import * as people from "../people/service.ts";
import { EMPLOYMENT_TYPES, personSchema } from "../people/schema.ts";
import { translator } from "../ui/messages.ts";
import { apiRoute } from "./registry.ts";
import { organisationParams } from "./schemas.ts";

const personSummary = z.object({
  id: z.string(), employeeNumber: z.string(), givenName: z.string(), familyName: z.string(), name: z.string(),
  unit: z.object({ id: z.string(), name: z.string() }).nullable(), position: z.string().nullable(), employmentType: z.enum(EMPLOYMENT_TYPES),
});
const personDetail = personSummary.extend({
  email: z.string().nullable(), unitId: z.string().nullable(), positionId: z.string().nullable(),
  manager: z.object({ id: z.string(), employeeNumber: z.string(), name: z.string() }).nullable(),
  startDate: z.string().nullable(), endDate: z.string().nullable(), createdAt: z.string(), updatedAt: z.string(),
});
const importRow = z.object({
  line: z.number().int(), employeeNumber: z.string(), name: z.string(), action: z.enum(["create", "update", "unchanged", "reject"]),
  changes: z.array(z.string()), errors: z.array(z.object({ field: z.string(), code: z.string(), reason: z.string() })), newPosition: z.string().nullable(),
});
const personParams = organisationParams.extend({ personId: z.string().min(1).max(100) });

/** Staff records: list, read, create, update, and the bulk import (preview first, like the page). */
export function peopleApi(app: FastifyInstance, ctx: Context) {
  apiRoute(app, {
    method: "GET", url: "/api/v1/organisations/:organisationId/people", operationId: "listPeople", tag: "people",
    summary: "Staff you may see (a unit grant sees its subtree), 50 a page", access: { permission: "person.view" }, params: organisationParams,
    query: z.object({ q: z.string().max(200).optional(), unitId: z.string().max(100).optional(), page: z.coerce.number().int().min(1).max(100_000).optional() }),
    response: z.object({ items: z.array(personSummary), total: z.number().int(), page: z.number().int(), pages: z.number().int(), pageSize: z.number().int() }),
  }, async ({ actor, params, query }) => people.listPeople(ctx, actor, params.organisationId, query));

  apiRoute(app, {
    method: "GET", url: "/api/v1/organisations/:organisationId/people/:personId", operationId: "getPerson", tag: "people",
    summary: "One staff member", access: { permission: "person.view" }, params: personParams, response: personDetail,
  }, async ({ actor, params }) => (await people.getPerson(ctx, actor, params.organisationId, params.personId)).person);

  apiRoute(app, {
    method: "POST", url: "/api/v1/organisations/:organisationId/people", operationId: "createPerson", tag: "people",
    summary: "Add a staff member", access: { permission: "person.manage" }, params: organisationParams, body: personSchema,
    response: personDetail, status: 201,
  }, async ({ actor, params, rawBody }) => {
    const { id } = await people.createPerson(ctx, actor, params.organisationId, rawBody);
    return (await people.getPerson(ctx, actor, params.organisationId, id)).person;
  });

  apiRoute(app, {
    method: "PUT", url: "/api/v1/organisations/:organisationId/people/:personId", operationId: "updatePerson", tag: "people",
    summary: "Replace a staff member's record", access: { permission: "person.manage" }, params: personParams, body: personSchema,
    response: personDetail,
  }, async ({ actor, params, rawBody }) => {
    await people.updatePerson(ctx, actor, params.organisationId, params.personId, rawBody);
    return (await people.getPerson(ctx, actor, params.organisationId, params.personId)).person;
  });

  apiRoute(app, {
    method: "POST", url: "/api/v1/organisations/:organisationId/people/imports", operationId: "importPeople", tag: "people",
    summary: "Import staff from a CSV export of an HR system. mode=preview writes nothing; mode=all writes only when no line is rejected; mode=valid writes the valid lines",
    access: { permission: "person.manage" }, params: organisationParams, bodyLimit: 17 * 1024 * 1024,
    body: z.object({ csv: z.string().min(1).max(16 * 1024 * 1024), mode: z.enum(["preview", "all", "valid"]) }),
    response: z.object({
      mode: z.enum(["preview", "all", "valid"]), rows: z.array(importRow),
      summary: z.object({ create: z.number().int(), update: z.number().int(), unchanged: z.number().int(), reject: z.number().int() }),
      newPositions: z.array(z.string()),
      committed: z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int(), skipped: z.number().int(), positionsCreated: z.number().int() }).optional(),
    }),
  }, async ({ actor, params, body, req }) => {
    const result = await people.importPeople(ctx, actor, params.organisationId, body.csv, body.mode);
    const t = translator(req.locale);
    return { ...result, rows: result.rows.map((r) => ({ ...r, errors: r.errors.map((e) => ({ field: e.field, code: e.key, reason: t(e.key) })) })) };
  });
}
