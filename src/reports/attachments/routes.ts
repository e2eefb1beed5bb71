import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../../context.ts";
import * as cases from "../service.ts";
import type { Download } from "./service.ts";
import { contentDisposition } from "./clean.ts";

// Downloads of a case's files, for the desk under /meldingen and an investigator under /onderzoeken, with
// the same permission as the case page and the same 404 for a case outside one's view.

type Params = { id: string; attachmentId: string };

/** Sends a decrypted file: never shown inline, never sniffed, never cached. */
export function sendDownload(reply: FastifyReply, d: Download): FastifyReply {
  return reply
    .header("Content-Type", d.mediaType === "text/plain" ? "text/plain; charset=utf-8" : d.mediaType)
    .header("Content-Disposition", contentDisposition(d.name))
    .header("Content-Length", String(d.size))
    .header("X-Content-Type-Options", "nosniff")
    .header("Cache-Control", "no-store")
    .send(d.body);
}

export function attachmentRoutes(app: FastifyInstance, ctx: Context) {
  const download = async (req: FastifyRequest, reply: FastifyReply) => {
    const { id, attachmentId } = req.params as Params;
    return sendDownload(reply, await cases.readAttachment(ctx, req.actor!, id, attachmentId));
  };
  app.get("/meldingen/:id/bijlagen/:attachmentId", { config: { access: { permission: "report.list" } } }, download);
  app.get("/onderzoeken/:id/bijlagen/:attachmentId", { config: { access: { permission: "report.investigate" } } }, download);
}
