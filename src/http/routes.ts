import type { FastifyInstance } from "fastify";
import type { Context } from "../context.ts";
import { authRoutes } from "../auth/routes.ts";
import { homeRoutes } from "../home/routes.tsx";
import { healthRoutes } from "./health.ts";
import { accountRoutes } from "../accounts/routes.tsx";
import { advisorRoutes } from "../advisors/routes.tsx";
import { advisorReportRoutes } from "../advisors/report-routes.tsx";
import { auditRoutes } from "../audit/routes.tsx";
import { organisationRoutes } from "../organisations/routes.tsx";
import { apiRoutes } from "../api/routes.ts";
import { peopleRoutes } from "../people/routes.tsx";
import { approvalRoutes } from "../reports/approval-routes.tsx";
import { caseRoutes } from "../reports/case-routes.tsx";
import { exportRoutes } from "../reports/export-routes.tsx";
import { intakeRoutes } from "../reports/intake-routes.tsx";
import { myReportRoutes } from "../reports/mine-routes.tsx";
import { reportRegisterRoutes } from "../reports/register-routes.tsx";
import { reportSettingsRoutes } from "../reports/settings-routes.tsx";
import { advisorActivityRoutes } from "../advisors/activities-routes.tsx";
import { advisorSettingsRoutes } from "../advisors/settings-routes.tsx";

/** Every module's routes, in one list: the matrix test walks what this registers. */
export async function registerRoutes(app: FastifyInstance, ctx: Context) {
  healthRoutes(app, ctx);
  authRoutes(app, ctx);
  homeRoutes(app, ctx);
  accountRoutes(app, ctx);
  auditRoutes(app, ctx);
  organisationRoutes(app, ctx);
  apiRoutes(app, ctx);
  peopleRoutes(app, ctx);
  intakeRoutes(app, ctx);
  myReportRoutes(app, ctx);
  caseRoutes(app, ctx);
  reportRegisterRoutes(app, ctx);
  approvalRoutes(app, ctx);
  exportRoutes(app, ctx);
  reportSettingsRoutes(app, ctx);
  advisorActivityRoutes(app, ctx);
  advisorSettingsRoutes(app, ctx);
  advisorRoutes(app, ctx);
  advisorReportRoutes(app, ctx);
}
