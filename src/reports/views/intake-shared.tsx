import type { ReactNode } from "react";
import { Button } from "@utrecht/component-library-react";
import { usePage } from "../../ui/context.tsx";
import { CsrfField } from "../../ui/forms.tsx";
import { Layout } from "../../ui/layout.tsx";
import type { MessageKey } from "../../ui/messages.ts";
import type { IntakeTarget } from "../intake.ts";
import { INTAKE_STEPS, intakeSteps, type IntakeStep } from "../schema.ts";
import { MODES, type Mode } from "../workflow.ts";

// What the intake and mailbox pages share: the answers carried from page to page, the order of the
// questions, and the page shell with the quick-exit link and the organisation's name.

/** The answers so far, flat (the identity's fields too); carried in the sealed `draft` field. */
export type Answers = Record<string, string>;

/** A neutral site for the quick exit: a plain link, nothing is loaded from it. */
export const QUICK_EXIT_URL = "https://nos.nl/";
export const HUIS_VOOR_KLOKKENLUIDERS_URL = "https://www.huisvoorklokkenluiders.nl/";

export const IDENTITY_FIELDS = Object.keys(intakeSteps.identity.shape);

export const intakeUrls = (slug: string) => ({
  start: `/melden/${slug}`,
  step: `/melden/${slug}/stap`,
  send: `/melden/${slug}/versturen`,
  mailbox: `/melden/${slug}/postbus`,
  messages: `/melden/${slug}/postbus/berichten`,
  files: `/melden/${slug}/postbus/bestanden`,
  signOut: `/melden/${slug}/postbus/afsluiten`,
  language: `/melden/${slug}/taal`,
});

/** One way through the questions. "public": anyone at /melden/<slug>, sessionless, with a receipt code.
 *  "account": a signed-in employee at /mijn-meldingen/nieuw, open or confidential only, without a receipt
 *  and without a notice address (they follow the report under "Mijn meldingen"). The steps are the same views. */
export type IntakeFlow = {
  kind: "public" | "account";
  /** The flow's first page, where "Terug" on the first question goes, where the brand links to, and the posting addresses. */
  start: string; back: string; home: string; step: string; send: string;
  /** The ways to be known this flow offers. */
  modes: readonly Mode[];
  /** The questions this flow asks (an anonymous report then skips the name). */
  steps: readonly IntakeStep[];
};

export function publicFlow(slug: string): IntakeFlow {
  const u = intakeUrls(slug);
  return { kind: "public", start: u.start, back: u.start, home: u.start, step: u.step, send: u.send, modes: MODES, steps: INTAKE_STEPS };
}

export const MY_REPORTS = "/mijn-meldingen";
export const myReportUrls = (id: string) => ({ page: `${MY_REPORTS}/${id}`, messages: `${MY_REPORTS}/${id}/berichten`, files: `${MY_REPORTS}/${id}/bestanden` });

export const ACCOUNT_FLOW: IntakeFlow = {
  kind: "account", start: `${MY_REPORTS}/nieuw`, back: MY_REPORTS, home: "/", step: `${MY_REPORTS}/nieuw/stap`, send: `${MY_REPORTS}/nieuw/versturen`,
  modes: ["open", "confidential"], steps: INTAKE_STEPS.filter((s) => s !== "notice"),
};

/** The questions this reporter gets, in order: no name and contact for an anonymous report. */
export const stepsFor = (answers: Answers, flow: IntakeFlow): IntakeStep[] =>
  flow.steps.filter((s) => s !== "identity" || answers.mode !== "anonymous");

/** The form fields of one question. */
export const stepFields = (step: IntakeStep): string[] => Object.keys(intakeSteps[step].shape);

/** The question a field of the whole report belongs to ("identity.name" → identity). */
export function stepOfField(field: string): IntakeStep | null {
  if (field.startsWith("identity")) return "identity";
  if (field === "file" || field === "files") return "files";
  return INTAKE_STEPS.find((s) => stepFields(s).includes(field)) ?? null;
}

export const STEP_TITLES: Record<IntakeStep, MessageKey> = {
  category: "intake.category.title", what: "intake.what.title", when: "intake.when.title", where: "intake.where.title",
  who: "intake.who.title", how: "intake.how.title", before: "intake.before.title", handler: "intake.handler.title", files: "intake.files.title",
  mode: "intake.modeStep.title", identity: "intake.identity.title", notice: "intake.notice.title",
};

export const ROW_LABELS: Record<IntakeStep, MessageKey> = {
  category: "intake.row.category", what: "intake.row.what", when: "intake.row.when", where: "intake.row.where",
  who: "intake.row.who", how: "intake.row.how", before: "intake.row.before", handler: "intake.row.handler", files: "intake.row.files",
  mode: "intake.row.mode", identity: "intake.row.identity", notice: "intake.row.notice",
};

/** The quick exit: a plain link to a neutral site, visible at the top of every intake and mailbox page. */
export function QuickExit() {
  const { t } = usePage();
  return (
    <a className="intact-quick-exit" href={QUICK_EXIT_URL} rel="noreferrer">
      {t("intake.quickExit")}<span className="intact-visually-hidden">: {t("intake.quickExitHint")}</span>
    </a>
  );
}

/** The shell of a public reporting page: the organisation as the brand, the quick exit, no staff navigation.
 *  The language switch stays on the intake's own (sessionless) address unless the page brings its own. */
export function IntakeLayout({ target, title, caption, languageSwitch, home, children }: {
  target: IntakeTarget; title: string; caption?: ReactNode; languageSwitch?: ReactNode;
  /** Where the brand links to (the signed-in flow: the start page of Intact). */
  home?: string; children: ReactNode;
}) {
  return (
    <Layout title={title} caption={caption} tools={<QuickExit />}
      languageSwitch={languageSwitch === undefined ? <IntakeLanguageSwitch slug={target.organisation.slug} /> : languageSwitch}
      brand={{ organisation: target.organisation.name, href: home ?? intakeUrls(target.organisation.slug).start }}>
      {children}
    </Layout>
  );
}

/** The language switch of the start and mailbox pages: back to the same page, in the other language. */
function IntakeLanguageSwitch({ slug }: { slug: string }) {
  const { t, locale, path } = usePage();
  const other = locale === "nl" ? "en" : "nl";
  return (
    <form method="post" action={intakeUrls(slug).language} className="intact-inline-form">
      <CsrfField />
      <input type="hidden" name="locale" value={other} />
      <input type="hidden" name="return" value={path} />
      <Button type="submit" appearance="subtle-button" lang={other}>{t("layout.languageSwitch")}</Button>
    </form>
  );
}

/** The language switch of a question page: it posts the answers so far along, so nothing is lost. */
export function DraftLanguageSwitch({ flow, draft, step, fromCheck }: { flow: IntakeFlow; draft: string; step: IntakeStep | "check"; fromCheck?: boolean }) {
  const { t, locale } = usePage();
  const other = locale === "nl" ? "en" : "nl";
  return (
    <form method="post" action={flow.step} className="intact-inline-form">
      <CsrfField />
      <input type="hidden" name="draft" value={draft} />
      <input type="hidden" name="step" value={step} />
      {fromCheck ? <input type="hidden" name="from" value="check" /> : null}
      <input type="hidden" name="nav" value="lang" />
      <input type="hidden" name="locale" value={other} />
      <Button type="submit" appearance="subtle-button" lang={other}>{t("layout.languageSwitch")}</Button>
    </form>
  );
}
