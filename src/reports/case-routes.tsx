import type { FastifyInstance } from "fastify";
import type { Context } from "../context.ts";

/** The handlers' pages: the inbox and the case. */
export function caseRoutes(_app: FastifyInstance, _ctx: Context) {}
