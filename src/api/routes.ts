import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Context } from "../context.ts";
import { advisorApi } from "./advisors.ts";
import { advisorReportApi } from "./advisor-report.ts";
import { apiRoute, openApiDocument } from "./registry.ts";
import { organisationApi } from "./organisations.ts";
import { peopleApi } from "./people.ts";
import { reportApi } from "./reports.ts";
import { grantOut } from "./schemas.ts";

/** /api/v1: the same services as the pages, for other systems. Resource names and versioning follow the
 *  NL API Design Rules (plural nouns, kebab-case paths, camelCase fields, major version in the path). */
export function apiRoutes(app: FastifyInstance, ctx: Context) {
  if (!app.hasDecorator("apiOperations")) app.decorate("apiOperations", []);

  app.get("/api/v1/openapi.json", { config: { access: "public" } }, async (_req, reply) =>
    reply.type("application/json").send(openApiDocument(app.apiOperations, ctx.config.baseUrl)));

  apiRoute(app, {
    method: "GET", url: "/api/v1/me", operationId: "getCurrentAccount", summary: "The signed-in account and its role grants",
    tag: "accounts", access: "authenticated",
    response: z.object({ id: z.string(), email: z.string(), displayName: z.string(), grants: z.array(grantOut) }),
  }, async ({ actor }) => ({
    id: actor.accountId, email: actor.email, displayName: actor.displayName,
    grants: actor.grants.map((g) => ({ role: g.role, scopeType: g.scopeType, scopeId: g.scopeId, organisationIds: g.organisationIds })),
  }));

  organisationApi(app, ctx);
  peopleApi(app, ctx);
  reportApi(app, ctx);
  advisorApi(app, ctx);
  advisorReportApi(app, ctx);
}
