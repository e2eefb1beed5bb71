import type { FastifyReply, FastifyRequest } from "fastify";
import type { ReactElement } from "react";
import { canInOrganisation } from "../access/actor.ts";
import type { Permission } from "../access/permissions.ts";
import type { Context } from "../context.ts";
import * as orgRepo from "../organisations/repository.ts";
import type { NavItem, PageContext } from "../ui/context.tsx";
import { isMessageKey, translator, type MessageKey } from "../ui/messages.ts";
import { renderDocument } from "../ui/render.tsx";

const FLASH = "intact_flash";

const NAV: { href: string; label: MessageKey; permission: Permission }[] = [
  { href: "/mijn-meldingen", label: "mine.nav", permission: "report.create" },
  { href: "/meldingen", label: "cases.nav", permission: "report.list" },
  { href: "/onderzoeken", label: "cases.navInvestigations", permission: "report.investigate" },
  { href: "/goedkeuringen", label: "approvals.title", permission: "report.approveInvestigation" },
  { href: "/contacten", label: "contacts.nav", permission: "advisorContact.read" },
  { href: "/activiteiten", label: "nav.advisorActivities", permission: "advisorContact.create" },
  { href: "/beheer/organisatie", label: "nav.structure", permission: "organisation.view" },
  { href: "/beheer/medewerkers", label: "nav.people", permission: "person.view" },
  { href: "/beheer/accounts", label: "nav.accounts", permission: "account.manage" },
  { href: "/beheer/samenwerking", label: "nav.groups", permission: "group.manage" },
  { href: "/beheer/meldpunt", label: "nav.reportSettings", permission: "organisation.manage" },
  { href: "/beheer/vertrouwenspersonen", label: "nav.advisorSettings", permission: "organisation.manage" },
  { href: "/beheer/logboek", label: "nav.audit", permission: "audit.view" },
];

export async function pageContext(ctx: Context, req: FastifyRequest, reply: FastifyReply): Promise<PageContext> {
  const actor = req.actor;
  const locale = req.locale;
  const t = translator(locale);
  let organisations: { id: string; name: string }[] = [];
  const orgIds = actor ? [...new Set(actor.grants.flatMap((g) => g.organisationIds))] : [];
  if (orgIds.length) {
    organisations = (await orgRepo.listOrganisations(ctx.db, orgIds)).map((o) => ({ id: o.id, name: o.name }));
  }
  const active = actor?.activeOrganisationId ?? null;
  const nav: NavItem[] = actor && active && req.session?.stage === "full"
    ? NAV.filter((n) => canInOrganisation(actor, n.permission, active)).map(({ href, label }) => ({ href, label }))
    : [];
  const flashKey = req.cookies[FLASH];
  if (flashKey) reply.clearCookie(FLASH, { path: "/" });
  return {
    t, locale, path: req.url.split("?")[0] ?? "/", csrfToken: reply.generateCsrf(), actor,
    organisations, activeOrganisation: organisations.find((o) => o.id === active) ?? null, nav,
    flash: flashKey && isMessageKey(flashKey) ? t(flashKey) : null,
  };
}

/** Renders a page. Authenticated and intake pages are never cached (no-store is set for every HTML page). */
export async function sendPage(ctx: Context, req: FastifyRequest, reply: FastifyReply, title: MessageKey | { text: string },
  render: (t: PageContext["t"]) => ReactElement, status = 200): Promise<FastifyReply> {
  const pc = await pageContext(ctx, req, reply);
  const heading = typeof title === "string" ? pc.t(title) : title.text;
  return reply.code(status).type("text/html; charset=utf-8").send(renderDocument(pc, heading, render(pc.t)));
}

/** Post/redirect/get with a one-time message for the next page. */
export function redirectWithFlash(reply: FastifyReply, to: string, flash?: MessageKey): FastifyReply {
  if (flash) reply.setCookie(FLASH, flash, { path: "/", httpOnly: true, sameSite: "lax", maxAge: 60 });
  return reply.redirect(to, 303);
}

/** Only same-site paths: never "//host" or a scheme, so sign-in and language switches cannot redirect elsewhere. Only
 *  printable ASCII, as a browser sends a path (percent-encoded): the value goes into the Location header, which cannot
 *  hold other characters (a "/Ā" made the redirect fail with a 500). */
export function safeReturnPath(v: unknown, fallback = "/"): string {
  return typeof v === "string" && /^\/(?![\/\\])[\x21-\x7e]*$/.test(v) ? v : fallback;
}
