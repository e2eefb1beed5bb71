import type { FastifyInstance } from "fastify";
import type { Context } from "../context.ts";
import { authRoutes } from "../auth/routes.ts";
import { homeRoutes } from "../home/routes.tsx";
import { healthRoutes } from "./health.ts";

/** Every module's routes, in one list: the matrix test walks what this registers. */
export async function registerRoutes(app: FastifyInstance, ctx: Context) {
  healthRoutes(app, ctx);
  authRoutes(app, ctx);
  homeRoutes(app, ctx);
}
