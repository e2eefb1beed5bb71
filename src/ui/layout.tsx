import type { ReactNode } from "react";
import {
  Alert, Button, Heading1, Link, Page, PageContent, PageFooter, PageHeader, Paragraph, Select, SelectOption, SkipLink,
} from "@utrecht/component-library-react";
import { usePage } from "./context.tsx";
import { CsrfField } from "./forms.tsx";

/** Optional parts of the shell for public pages (the reporting desk's intake and mailbox). */
export type LayoutExtras = {
  /** A short line above the h1 (e.g. "Vraag 3 van 11"). */
  caption?: ReactNode;
  /** The brand's organisation and where the brand links to, when no signed-in user's organisation applies. */
  brand?: { organisation: string; href: string };
  /** Extra links or buttons at the start of the header tools (e.g. the quick-exit link). */
  tools?: ReactNode;
  /** Replaces the language switch; null hides it (e.g. on a page that cannot be shown again). */
  languageSwitch?: ReactNode;
};

/** The page shell: skip link, header with the user's navigation, one h1, main content, footer. */
export function Layout({ title, children, wide, caption, brand, tools, languageSwitch }: { title: string; children: ReactNode; wide?: boolean } & LayoutExtras) {
  const p = usePage();
  const { t } = p;
  return (
    <Page className={wide ? "intact-page intact-page--wide" : "intact-page"}>
      <SkipLink href="#main">{t("layout.skip")}</SkipLink>
      <PageHeader className="intact-header">
        <div className="intact-header__bar">
          <a className="intact-brand" href={brand?.href ?? "/"}>
            <span className="intact-brand__name">{t("app.name")}</span>
            {brand ? <span className="intact-brand__org">{brand.organisation}</span>
              : p.activeOrganisation ? <span className="intact-brand__org">{p.activeOrganisation.name}</span> : null}
          </a>
          <div className="intact-header__tools">
            {tools}
            {languageSwitch !== undefined ? languageSwitch : <form method="post" action="/taal" className="intact-inline-form">
              <CsrfField />
              <input type="hidden" name="locale" value={p.locale === "nl" ? "en" : "nl"} />
              <input type="hidden" name="return" value={p.path} />
              <Button type="submit" appearance="subtle-button" lang={p.locale === "nl" ? "en" : "nl"}>{t("layout.languageSwitch")}</Button>
            </form>}
            {p.actor ? (
              <>
                <Link href="/account">{t("layout.account")}</Link>
                <form method="post" action="/uitloggen" className="intact-inline-form">
                  <CsrfField />
                  <Button type="submit" appearance="subtle-button">{t("layout.signOut")}</Button>
                </form>
              </>
            ) : null}
          </div>
        </div>
        {p.actor && p.organisations.length > 1 ? (
          <form method="post" action="/organisatie" className="intact-org-switch">
            <CsrfField />
            <input type="hidden" name="return" value="/" />
            <label htmlFor="org-switch" className="utrecht-form-label">{t("layout.switchOrganisation")}</label>
            <Select id="org-switch" name="organisationId" defaultValue={p.activeOrganisation?.id}>
              {p.organisations.map((o) => <SelectOption key={o.id} value={o.id}>{o.name}</SelectOption>)}
            </Select>
            <Button type="submit" appearance="secondary-action-button">{t("layout.switch")}</Button>
          </form>
        ) : null}
        {p.actor && p.nav.length ? (
          <nav aria-label={t("layout.nav")} className="intact-nav">
            <ul>
              <li><a href="/" aria-current={p.path === "/" ? "page" : undefined}>{t("layout.home")}</a></li>
              {p.nav.map((n) => (
                <li key={n.href}>
                  <a href={n.href} aria-current={p.path === n.href || p.path.startsWith(n.href + "/") ? "page" : undefined}>{t(n.label)}</a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
      </PageHeader>
      <PageContent>
        <main id="main" tabIndex={-1}>
          {p.flash ? <Alert type="ok" role="status"><Paragraph>{p.flash}</Paragraph></Alert> : null}
          {caption ? <p className="intact-caption">{caption}</p> : null}
          <Heading1>{title}</Heading1>
          {children}
        </main>
      </PageContent>
      <PageFooter className="intact-footer">
        <Paragraph>{t("layout.footer")}</Paragraph>
      </PageFooter>
    </Page>
  );
}
