import type { FastifyInstance } from "fastify";
import type { Context } from "../context.ts";

/** The reporting desk in the API: the intake and mailbox (public, by receipt) and the handler side. */
export function reportApi(_app: FastifyInstance, _ctx: Context) {}
