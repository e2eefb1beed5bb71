import type { FastifyInstance } from "fastify";
import { organisationsWith } from "../access/actor.ts";
import type { Context } from "../context.ts";
import type { FieldErrors } from "../http/errors.ts";
import { sendPage } from "../http/pages.ts";
import { translator, type Translate } from "../ui/messages.ts";
import * as repo from "./repository.ts";
import { AuditLogPage, type LogFilter, type LogLine } from "./views/log.tsx";

const PAGE_SIZE = 50;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const str = (v: unknown) => (typeof v === "string" ? v.trim() : "");

/** A calendar date is read in Dutch time (as the page shows times): its start as a UTC instant. */
export function startOfDutchDay(date: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  const offsetAt = (ms: number) => {
    const parts = Object.fromEntries(new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Amsterdam", hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
    }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
    return Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!) - ms;
  };
  const first = guess - offsetAt(guess);
  return new Date(guess - offsetAt(first)).toISOString();
}

const validDate = (s: string) => DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
const nextDay = (s: string) => new Date(Date.parse(`${s}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

function who(t: Translate, r: { actor_type: string; actor_id: string | null; actor_name: string | null }): string {
  if (r.actor_type === "system") return t("audit.system", { id: r.actor_id ?? "" });
  if (r.actor_type === "anonymous" || !r.actor_id) return t("audit.anonymous");
  return r.actor_name ?? r.actor_id.slice(0, 8);
}

export function auditRoutes(app: FastifyInstance, ctx: Context) {
  app.get("/beheer/logboek", { config: { access: { permission: "audit.view" } } }, async (req, reply) => {
    const actor = req.actor!;
    // Only the organisations where the actor may read the log as a whole; never events of any other.
    const organisationIds = [...organisationsWith(actor, "audit.view").whole];
    const q = req.query as Record<string, unknown>;
    const filter: LogFilter = { action: str(q.action), from: str(q.from), to: str(q.to) };
    const errors: FieldErrors = {};
    if (filter.from && !validDate(filter.from)) errors.from = "field.date";
    if (filter.to && !validDate(filter.to)) errors.to = "field.date";
    if (!errors.from && !errors.to && filter.from && filter.to && filter.to < filter.from) errors.to = "audit.dateOrder";
    const page = Math.max(1, Math.min(100_000, Math.floor(Number(str(q.pagina)) || 1)));
    const actions = await repo.distinctActions(ctx.db, organisationIds);
    const t = translator(req.locale);
    let lines: LogLine[] = [], total = 0;
    if (!Object.keys(errors).length) {
      const result = await repo.search(ctx.db, {
        organisationIds,
        action: filter.action || undefined,
        from: filter.from ? startOfDutchDay(filter.from) : undefined,
        to: filter.to ? startOfDutchDay(nextDay(filter.to)) : undefined, // inclusive: up to the start of the next day
      }, page, PAGE_SIZE);
      total = result.total;
      lines = result.rows.map((r) => ({
        seq: Number(r.seq), occurredAt: r.occurred_at, who: who(t, r), action: r.action, objectType: r.object_type,
        objectId: r.object_id, details: r.details,
      }));
    }
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const pageHref = (n: number) => {
      const p = new URLSearchParams();
      if (filter.action) p.set("action", filter.action);
      if (filter.from) p.set("from", filter.from);
      if (filter.to) p.set("to", filter.to);
      p.set("pagina", String(n));
      return `/beheer/logboek?${p.toString()}`;
    };
    return sendPage(ctx, req, reply, "audit.title", () => (
      <AuditLogPage lines={lines} total={total} page={page} pages={pages} actions={actions} filter={filter} errors={errors} pageHref={pageHref} />
    ), Object.keys(errors).length ? 422 : 200);
  });
}
