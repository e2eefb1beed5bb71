import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Context } from "../context.ts";
import * as accounts from "../accounts/service.ts";
import { createAccountSchema, grantSchema } from "../accounts/schema.ts";
import * as organisations from "../organisations/service.ts";
import { positionSchema, unitSchema } from "../organisations/schema.ts";
import { NotFound } from "../http/errors.ts";
import { apiRoute } from "./registry.ts";
import {
  accountOut, list, organisationOut, organisationParams, positionOut, roleAssignmentOut, toOrganisation, toPosition, toUnit, unitOut,
} from "./schemas.ts";

/** Organisations, units, positions, accounts and role assignments: the same services as the pages. */
export function organisationApi(app: FastifyInstance, ctx: Context) {
  apiRoute(app, {
    method: "GET", url: "/api/v1/organisations", operationId: "listOrganisations", tag: "organisations",
    summary: "Organisations whose structure you may see", access: { permission: "organisation.view" }, response: list(organisationOut),
  }, async ({ actor }) => ({ items: (await organisations.listVisibleOrganisations(ctx, actor)).map(toOrganisation) }));

  apiRoute(app, {
    method: "GET", url: "/api/v1/organisations/:organisationId", operationId: "getOrganisation", tag: "organisations",
    summary: "One organisation", access: { permission: "organisation.view" }, params: organisationParams, response: organisationOut,
  }, async ({ actor, params }) => toOrganisation(await organisations.getOrganisation(ctx, actor, params.organisationId)));

  apiRoute(app, {
    method: "GET", url: "/api/v1/organisations/:organisationId/units", operationId: "listUnits", tag: "organisations",
    summary: "The organisation's units (clusters, departments, teams), parents before children", access: { permission: "organisation.view" },
    params: organisationParams, response: list(unitOut),
  }, async ({ actor, params }) => ({ items: (await organisations.listUnits(ctx, actor, params.organisationId)).map(toUnit) }));

  apiRoute(app, {
    method: "POST", url: "/api/v1/organisations/:organisationId/units", operationId: "createUnit", tag: "organisations",
    summary: "Add a unit", access: { permission: "organisation.manage" }, params: organisationParams, body: unitSchema, response: unitOut, status: 201,
  }, async ({ actor, params, body }) => toUnit(await organisations.createUnit(ctx, actor, params.organisationId, body)));

  apiRoute(app, {
    method: "GET", url: "/api/v1/organisations/:organisationId/positions", operationId: "listPositions", tag: "organisations",
    summary: "The organisation's positions", access: { permission: "organisation.view" }, params: organisationParams, response: list(positionOut),
  }, async ({ actor, params }) => ({ items: (await organisations.listPositions(ctx, actor, params.organisationId)).map(toPosition) }));

  apiRoute(app, {
    method: "POST", url: "/api/v1/organisations/:organisationId/positions", operationId: "createPosition", tag: "organisations",
    summary: "Add a position", access: { permission: "organisation.manage" }, params: organisationParams, body: positionSchema, response: positionOut, status: 201,
  }, async ({ actor, params, body }) => toPosition(await organisations.createPosition(ctx, actor, params.organisationId, body)));

  apiRoute(app, {
    method: "GET", url: "/api/v1/organisations/:organisationId/accounts", operationId: "listAccounts", tag: "accounts",
    summary: "Accounts with a role in the organisation", access: { permission: "account.manage" }, params: organisationParams, response: list(accountOut),
  }, async ({ actor, params }) => ({ items: await accounts.listAccounts(ctx, actor, params.organisationId) }));

  apiRoute(app, {
    method: "POST", url: "/api/v1/organisations/:organisationId/accounts", operationId: "createAccount", tag: "accounts",
    summary: "Create an account with one role on the organisation; the temporary password is returned once",
    access: { permission: "account.manage" }, params: organisationParams, body: createAccountSchema,
    response: z.object({ account: accountOut, temporaryPassword: z.string() }), status: 201,
  }, async ({ actor, params, body }) => accounts.createAccount(ctx, actor, params.organisationId, body));

  apiRoute(app, {
    method: "GET", url: "/api/v1/organisations/:organisationId/role-assignments", operationId: "listRoleAssignments", tag: "accounts",
    summary: "Role assignments on the organisation, its units, and groups containing it", access: { permission: "account.manage" },
    params: organisationParams, response: list(roleAssignmentOut),
  }, async ({ actor, params }) => ({ items: await accounts.listRoleAssignments(ctx, actor, params.organisationId) }));

  apiRoute(app, {
    method: "POST", url: "/api/v1/organisations/:organisationId/role-assignments", operationId: "createRoleAssignment", tag: "accounts",
    summary: "Grant a role on the organisation or one of its units", access: { permission: "account.manage" },
    params: organisationParams, body: grantSchema.extend({ accountId: z.string().min(1).max(100) }), response: roleAssignmentOut, status: 201,
  }, async ({ actor, params, body }) => {
    const { accountId, ...grant } = body;
    return accounts.grantRole(ctx, actor, accountId, grant, { organisationId: params.organisationId });
  });

  apiRoute(app, {
    method: "DELETE", url: "/api/v1/organisations/:organisationId/role-assignments/:roleAssignmentId", operationId: "deleteRoleAssignment",
    tag: "accounts", summary: "Revoke a role assignment", access: { permission: "account.manage" },
    params: organisationParams.extend({ roleAssignmentId: z.string().min(1).max(100) }),
  }, async ({ actor, params }) => {
    const grant = (await accounts.listRoleAssignments(ctx, actor, params.organisationId)).find((g) => g.id === params.roleAssignmentId);
    if (!grant) throw new NotFound();
    await accounts.revokeRole(ctx, actor, grant.accountId, grant.id, { organisationId: params.organisationId });
  });
}
