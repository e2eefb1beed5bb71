// A bare Fastify server: GET /page answers a fixed HTML body of BARE_BYTES bytes, GET /healthz "ok". What the
// case page would cost if rendering it cost nothing — the HTTP stack's own share, the ceiling of workload 3.
import Fastify from "fastify";

const bytes = Number(process.env.BARE_BYTES ?? 1024);
const body = Buffer.from(`<!doctype html><html><body>${"x".repeat(Math.max(0, bytes - 40))}</body></html>`.slice(0, Math.max(bytes, 0)));
const app = Fastify({ logger: false });
app.get("/page", async (_req, reply) => reply.type("text/html; charset=utf-8").header("Cache-Control", "no-store").send(body));
app.get("/healthz", async () => "ok");
await app.listen({ port: Number(process.env.PORT ?? 0), host: process.env.HOST ?? "127.0.0.1" });
console.log("bare server ready");
