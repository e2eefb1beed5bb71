import type { Permission } from "./permissions.ts";

/** What a route requires. "public": anyone; "authenticated": a signed-in account, whatever its roles;
 *  { permission }: that permission in the active organisation (pages) or anywhere (API, where the
 *  service then checks the record's own organisation and answers 404 outside it). */
export type Access = "public" | "authenticated" | { permission: Permission };

declare module "fastify" {
  interface FastifyContextConfig {
    access?: Access;
    /** Public routes that never look at who is asking (static files, health): no session lookup. */
    sessionless?: boolean;
  }
}
