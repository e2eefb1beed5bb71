import type { FastifyInstance } from "fastify";
import type { Context } from "../context.ts";
import { ping } from "../db/database.ts";

export function healthRoutes(app: FastifyInstance, ctx: Context) {
  app.get("/healthz", { config: { access: "public", sessionless: true } }, async (_req, reply) => {
    try {
      await ping(ctx.db);
      return { status: "ok" };
    } catch {
      return reply.code(503).send({ status: "unavailable" });
    }
  });
}
