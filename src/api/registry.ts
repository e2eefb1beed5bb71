import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Actor } from "../access/actor.ts";
import type { Permission } from "../access/permissions.ts";
import { DomainError, Invalid } from "../http/errors.ts";
import { fieldErrors } from "../http/validation.ts";

/** One API operation: its schemas are used both to parse the request and to write the OpenAPI document,
 *  and the response schema strips every field nobody listed before anything is sent. */
export type ApiOperation<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> = {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Fastify style, e.g. /api/v1/organisations/:organisationId/units */
  url: string;
  operationId: string;
  summary: string;
  tag: string;
  access: "public" | "authenticated" | { permission: Permission };
  params?: P;
  query?: Q;
  body?: B;
  response?: R;
  status?: number;
  /** Larger request bodies than the default 1 MiB (e.g. a CSV import). */
  bodyLimit?: number;
  /** Public operations only: never look at a session or token (the anonymous intake and mailbox), so an
   *  anonymous call cannot touch, and so be linked to, a signed-in session or an API token. */
  sessionless?: boolean;
  /** The answer is a file that the handler sends itself through `reply` (its own Content-Type), not JSON. */
  file?: boolean;
  /** What an error status means for this operation, in the OpenAPI document (replaces the general description). */
  errors?: Partial<Record<"400" | "403" | "404" | "409" | "422", string>>;
};

/** `body` is the parsed body; `rawBody` the body as sent, for services that parse their own input
 *  (parsing twice through a transforming schema is not always idempotent). */
type Input<P, Q, B> = { params: P; query: Q; body: B; rawBody: unknown; actor: Actor; req: FastifyRequest; reply: FastifyReply };

declare module "fastify" {
  interface FastifyInstance { apiOperations: ApiOperation[] }
}

export function apiRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  app: FastifyInstance, op: ApiOperation<P, Q, B, R>,
  handler: (input: Input<z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<z.input<R> | void>,
) {
  if (!app.hasDecorator("apiOperations")) app.decorate("apiOperations", []);
  app.apiOperations.push(op as unknown as ApiOperation);
  app.route({
    method: op.method, url: op.url, config: { access: op.access, ...(op.sessionless ? { sessionless: true } : {}) }, ...(op.bodyLimit ? { bodyLimit: op.bodyLimit } : {}),
    handler: async (req, reply) => {
      // A public operation that writes takes JSON only: a form post from another website (which a browser sends
      // without asking) could otherwise file reports in its visitors' names and past their throttles.
      if (op.access === "public" && op.body && !/^application\/json\b/i.test(String(req.headers["content-type"] ?? ""))) {
        throw new DomainError(415, "unsupported_media_type", "error.jsonOnly");
      }
      const parse = <T extends z.ZodType>(schema: T | undefined, value: unknown) => {
        if (!schema) return undefined as z.infer<T>;
        const r = schema.safeParse(value ?? {});
        if (!r.success) throw new Invalid(fieldErrors(r.error));
        return r.data as z.infer<T>;
      };
      const input = { params: parse(op.params, req.params), query: parse(op.query, req.query), body: parse(op.body, req.body), rawBody: req.body, actor: req.actor!, req, reply };
      const result = await handler(input);
      if (op.file) return reply;
      if (!op.response) return reply.code(op.status ?? 204).send();
      return reply.code(op.status ?? 200).type("application/json").send(op.response.parse(result));
    },
  });
}

const toSchema = (s: z.ZodType, io: "input" | "output") => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { target: "openapi-3.0", io, unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
};

/** The OpenAPI 3.0 document, generated from the registered operations. zod writes each schema for OpenAPI 3.0
 *  (`nullable: true`, one `type`, boolean `exclusiveMinimum`), not JSON Schema 2020-12, which is OpenAPI 3.1's. */
export function openApiDocument(ops: ApiOperation[], baseUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  const problem = { $ref: "#/components/schemas/Problem" };
  for (const op of ops) {
    const path = op.url.replace(/:([A-Za-z]+)/g, "{$1}");
    const parameters: unknown[] = [];
    for (const [where, schema] of [["path", op.params], ["query", op.query]] as const) {
      if (!schema) continue;
      const js = toSchema(schema, "input") as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(js.properties ?? {})) {
        parameters.push({ name, in: where, required: where === "path" || (js.required ?? []).includes(name), schema: s });
      }
    }
    const status = String(op.status ?? (op.response || op.file ? 200 : 204));
    const responses: Record<string, unknown> = {
      [status]: op.file ? { description: "The file", content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } }
        : op.response ? { description: "OK", content: { "application/json": { schema: toSchema(op.response, "output") } } } : { description: "No content" },
      "400": { description: "Bad request", content: { "application/problem+json": { schema: problem } } },
      "422": { description: "Invalid input", content: { "application/problem+json": { schema: problem } } },
    };
    if (op.access !== "public") {
      responses["401"] = { description: "Not authenticated", content: { "application/problem+json": { schema: problem } } };
      responses["403"] = { description: "No permission", content: { "application/problem+json": { schema: problem } } };
      responses["404"] = { description: "Not found, or not visible to you", content: { "application/problem+json": { schema: problem } } };
    }
    for (const [code, description] of Object.entries(op.errors ?? {})) {
      responses[code] = { description, content: { "application/problem+json": { schema: problem } } };
    }
    (paths[path] ??= {})[op.method.toLowerCase()] = {
      operationId: op.operationId, summary: op.summary, tags: [op.tag],
      ...(parameters.length ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: toSchema(op.body, "input") } } } } : {}),
      responses,
      ...(op.access === "public" ? { security: [] } : {}),
    };
  }
  return {
    openapi: "3.0.3",
    info: { title: "Intact API", version: "1.0.0", description: "Integrity management for Dutch public employers.",
      contact: { name: "Intact", url: baseUrl }, license: { name: "EUPL-1.2" } },
    servers: [{ url: `${baseUrl}/api/v1` }],
    security: [{ bearerAuth: [] }],
    tags: [...new Set(ops.map((o) => o.tag))].map((name) => ({ name })),
    paths: Object.fromEntries(Object.entries(paths).map(([p, v]) => [p.replace(/^\/api\/v1/, ""), v])),
    components: {
      securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", description: "A personal API token (intact_…)" } },
      schemas: {
        Problem: { type: "object", properties: {
          type: { type: "string" }, title: { type: "string" }, status: { type: "integer" }, code: { type: "string" },
          detail: { type: "string" }, instance: { type: "string" },
          invalidParams: { type: "array", items: { type: "object", properties: { name: { type: "string" }, code: { type: "string" }, reason: { type: "string" } } } },
        } },
      },
    },
  };
}
