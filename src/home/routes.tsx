import type { FastifyInstance } from "fastify";
import { Heading2, Link, Paragraph } from "@utrecht/component-library-react";
import { canInOrganisation, rolesIn } from "../access/actor.ts";
import type { Role } from "../access/permissions.ts";
import type { Context } from "../context.ts";
import { sendPage } from "../http/pages.ts";
import { counts } from "../organisations/repository.ts";
import { listCases } from "../reports/service.ts";
import { usePage } from "../ui/context.tsx";
import { Layout } from "../ui/layout.tsx";
import { translator, type MessageKey } from "../ui/messages.ts";

type Card = {
  role: Role; title: MessageKey; intro: MessageKey; links: { href: string; label: MessageKey }[]; figures?: string;
  /** Figures that are links (e.g. "Te laat: 2" → the inbox filtered on overdue cases). */
  counts?: { href: string; text: string }[]; countsLabel?: MessageKey;
};

/** Reporting a concern and following it (report.create: employees and managers). */
const MY_REPORT_LINKS: Card["links"] = [{ href: "/mijn-meldingen/nieuw", label: "mine.new" }, { href: "/mijn-meldingen", label: "mine.nav" }];
/** The confidential advisors' yearly report (aggregates only): advisors, coordinators, the secretary and auditors. */
const ADVISOR_REPORT_LINK: Card["links"][number] = { href: "/vertrouwenspersonen/jaarverslag", label: "advisorReport.nav" };

// The first page differs per role (UX.md): each role sees its own starting points, in a fixed order.
const CARDS: Card[] = [
  { role: "admin", title: "home.admin.title", intro: "home.admin.intro", links: [
    { href: "/beheer/organisatie", label: "nav.structure" }, { href: "/beheer/medewerkers", label: "nav.people" },
    { href: "/beheer/accounts", label: "nav.accounts" }, { href: "/beheer/meldpunt", label: "nav.reportSettings" },
    { href: "/beheer/vertrouwenspersonen", label: "nav.advisorSettings" },
    { href: "/beheer/logboek", label: "nav.audit" }] },
  { role: "hr", title: "home.hr.title", intro: "home.hr.intro", links: [
    { href: "/beheer/medewerkers", label: "nav.people" }, { href: "/beheer/medewerkers/import", label: "people.import" }] },
  { role: "coordinator", title: "home.coordinator.title", intro: "home.coordinator.intro", links: [
    { href: "/meldingen", label: "cases.home.inbox" }, { href: "/meldingen/nieuw", label: "register.link" }, { href: "/beheer/organisatie", label: "nav.structure" }, { href: "/beheer/medewerkers", label: "nav.people" }, ADVISOR_REPORT_LINK] },
  { role: "advisor", title: "home.advisor.title", intro: "home.advisor.intro", links: [
    { href: "/contacten/nieuw", label: "contacts.home.register" }, { href: "/contacten", label: "contacts.home.mine" },
    { href: "/activiteiten", label: "nav.advisorActivities" }, ADVISOR_REPORT_LINK] },
  { role: "investigator", title: "home.investigator.title", intro: "home.investigator.intro", links: [{ href: "/onderzoeken", label: "cases.home.investigations" }] },
  { role: "secretary", title: "home.secretary.title", intro: "home.secretary.intro", links: [
    { href: "/goedkeuringen", label: "approvals.title" }, { href: "/beheer/organisatie", label: "nav.structure" }, ADVISOR_REPORT_LINK] },
  { role: "manager", title: "home.manager.title", intro: "home.manager.intro", links: [{ href: "/beheer/medewerkers", label: "nav.people" }, ...MY_REPORT_LINKS] },
  { role: "auditor", title: "home.auditor.title", intro: "home.auditor.intro", links: [{ href: "/beheer/logboek", label: "nav.audit" }, ADVISOR_REPORT_LINK] },
  { role: "employee", title: "home.employee.title", intro: "home.employee.intro", links: MY_REPORT_LINKS },
];

function Home({ cards, noRoles }: { cards: Card[]; noRoles: boolean }) {
  const { t, actor } = usePage();
  return (
    <Layout title={t("home.title", { name: actor!.displayName })}>
      {noRoles ? <Paragraph>{t("home.noRoles")}</Paragraph> : null}
      <div className="intact-cards">
        {cards.map((c) => (
          <section key={c.role} className="intact-card" aria-labelledby={`card-${c.role}`}>
            <Heading2 id={`card-${c.role}`}>{t(c.title)}</Heading2>
            <Paragraph>{t(c.intro)}</Paragraph>
            {c.figures ? <Paragraph>{c.figures}</Paragraph> : null}
            {c.counts?.length ? (
              <ul className="intact-figures" aria-label={c.countsLabel ? t(c.countsLabel) : undefined}>
                {c.counts.map((n) => <li key={n.href}><Link href={n.href}>{n.text}</Link></li>)}
              </ul>
            ) : null}
            {c.links.length ? (
              <ul className="utrecht-link-list">
                {c.links.map((l) => <li key={l.href} className="utrecht-link-list__item"><Link href={l.href}>{t(l.label)}</Link></li>)}
              </ul>
            ) : null}
          </section>
        ))}
      </div>
    </Layout>
  );
}

export function homeRoutes(app: FastifyInstance, ctx: Context) {
  app.get("/", { config: { access: "authenticated" } }, async (req, reply) => {
    const actor = req.actor!;
    const roles = rolesIn(actor, actor.activeOrganisationId);
    const cards = CARDS.filter((c) => roles.includes(c.role)).map((c) => ({ ...c }));
    const admin = cards.find((c) => c.role === "admin");
    if (admin && actor.activeOrganisationId) {
      const n = await counts(ctx.db, actor.activeOrganisationId);
      admin.figures = translator(req.locale)("home.admin.figures", n);
    }
    // The coordinator's cases by deadline state: three counts, each a link to the inbox with that filter.
    const coordinator = cards.find((c) => c.role === "coordinator");
    if (coordinator && actor.activeOrganisationId && canInOrganisation(actor, "report.list", actor.activeOrganisationId)) {
      const t = translator(req.locale);
      const count = async (q: Record<string, string>) => (await listCases(ctx, actor, q, req.locale)).total;
      const [overdue, dueSoon, open] = await Promise.all([count({ deadline: "overdue" }), count({ deadline: "dueSoon" }), count({ status: "open" })]);
      coordinator.countsLabel = "cases.home.figuresLabel";
      coordinator.counts = [
        { href: "/meldingen?deadline=overdue", text: t("cases.home.overdue", { count: overdue }) },
        { href: "/meldingen?deadline=dueSoon", text: t("cases.home.dueSoon", { count: dueSoon }) },
        { href: "/meldingen?status=open", text: t("cases.home.open", { count: open }) },
      ];
    }
    // The document title says what the h1 says.
    return sendPage(ctx, req, reply, { text: translator(req.locale)("home.title", { name: actor.displayName }) }, () => <Home cards={cards} noRoles={!roles.length} />);
  });
}
