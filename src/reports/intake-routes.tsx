import type { FastifyInstance } from "fastify";
import type { Context } from "../context.ts";

/** The public intake and the reporter's mailbox. */
export function intakeRoutes(_app: FastifyInstance, _ctx: Context) {}
