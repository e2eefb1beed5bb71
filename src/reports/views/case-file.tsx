import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { escapeHtml } from "../../ui/render.tsx";
import { formatDate, formatDateTime } from "../../ui/format.ts";
import type { Locale, Translate } from "../../ui/messages.ts";
import type { CaseFile } from "../export.ts";
import { codeLabel, dayInstant } from "./case-labels.ts";
import { Timeline } from "./case.tsx";

// The case file as one self-contained HTML document: the print view in the browser links the stylesheet
// (the CSP forbids inline styles there); the PDF gets it inline (Chromium prints it without any request).

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return <><dt>{label}</dt><dd>{children || "—"}</dd></>;
}

function CaseFileBody({ file, t, locale, accountNames, actions }: { file: CaseFile; t: Translate; locale: Locale; accountNames: Map<string, string>; actions?: ReactNode }) {
  const { view, includeIdentity } = file;
  const r = view.report;
  const c = view.content;
  const day = (d: string | null) => (d ? formatDate(dayInstant(d), locale) : "");
  return (
    <main>
      <h1>{t("caseFile.title", { reference: r.reference })}</h1>
      <p className="doc-subtitle">{view.organisationName}</p>
      {actions}
      <p className="doc-notice">{t("caseFile.confidential")}</p>
      <h2>{t("caseFile.facts")}</h2>
      <dl className="doc-facts">
        <Fact label={t("case.field.reference")}>{r.reference}</Fact>
        <Fact label={t("case.field.received")}>{formatDateTime(r.received_at, locale)}</Fact>
        <Fact label={t("case.field.channel")}>{codeLabel(t, "case.channel", r.channel)}</Fact>
        <Fact label={t("case.field.mode")}>{codeLabel(t, "case.mode", r.mode)}</Fact>
        <Fact label={t("case.field.kind")}>{codeLabel(t, "case.kind", r.kind)}</Fact>
        <Fact label={t("case.field.category")}>{view.category ? (locale === "en" ? view.category.label_en : view.category.label_nl) : ""}</Fact>
        <Fact label={t("case.field.unit")}>{view.unitName ?? ""}</Fact>
        <Fact label={t("case.field.status")}>{codeLabel(t, "case.status", r.status)}</Fact>
        <Fact label={t("case.field.decision")}>{codeLabel(t, "case.decision", r.decision)}</Fact>
        <Fact label={t("case.field.coordinator")}>{view.coordinatorName ?? ""}</Fact>
        <Fact label={t("case.field.investigator")}>{view.investigatorName ?? ""}</Fact>
        <Fact label={t("caseFile.ackDue")}>{day(r.ack_due_on)}</Fact>
        <Fact label={t("caseFile.acknowledged")}>{r.acknowledged_at ? formatDateTime(r.acknowledged_at, locale) : ""}</Fact>
        <Fact label={t("caseFile.feedbackDue")}>{day(r.feedback_due_on)}</Fact>
        <Fact label={t("caseFile.feedbackGiven")}>{r.feedback_given_at ? formatDateTime(r.feedback_given_at, locale) : ""}</Fact>
        <Fact label={t("caseFile.closed")}>{r.closed_at ? formatDateTime(r.closed_at, locale) : ""}</Fact>
      </dl>
      <h2>{t("case.identity.title")}</h2>
      {r.mode === "anonymous" ? <p>{t("case.identity.anonymous")}</p>
        : includeIdentity && view.identity ? (
          <dl className="doc-facts">
            <Fact label={t("case.identity.name")}>{view.identity.name}</Fact>
            <Fact label={t("case.identity.email")}>{view.identity.email}</Fact>
            <Fact label={t("case.identity.phone")}>{view.identity.phone}</Fact>
            <Fact label={t("case.identity.relation")}>{codeLabel(t, "case.relation", view.identity.relation)}</Fact>
          </dl>
        ) : <p>{t("caseFile.identityLeftOut")}</p>}
      <h2>{t("case.content.title")}</h2>
      {c ? (
        <dl className="doc-facts">
          <Fact label={t("case.content.description")}><span className="doc-text">{c.description}</span></Fact>
          <Fact label={t("case.content.when")}>{[c.occurredOn ? day(c.occurredOn) : "", c.occurredWhen].filter(Boolean).join(" — ")}</Fact>
          <Fact label={t("case.content.where")}>{c.location}</Fact>
          <Fact label={t("case.content.involved")}><span className="doc-text">{c.involved}</span></Fact>
          <Fact label={t("case.content.howKnown")}>{[codeLabel(t, "case.howKnown", c.howKnown), c.howKnownDetail].filter(Boolean).join(" — ")}</Fact>
          <Fact label={t("case.content.reportedBefore")}>{[c.reportedBefore === "yes" ? t("form.yes") : t("form.no"), c.reportedBeforeDetail].filter(Boolean).join(" — ")}</Fact>
        </dl>
      ) : <p>{t("case.content.missing")}</p>}
      <Timeline view={view} accountNames={accountNames} t={t} locale={locale} />
      <footer>{t("caseFile.generated", { at: formatDateTime(file.generatedAt, locale), by: file.generatedBy })}</footer>
    </main>
  );
}

export type CaseFileDoc = { file: CaseFile; t: Translate; locale: Locale; accountNames: Map<string, string> };

/** The whole document. `style` is the print stylesheet's text (PDF) or omitted (then /assets/print.css is linked). */
export function caseFileHtml(doc: CaseFileDoc, opts: { style?: string; actions?: ReactNode } = {}): string {
  const body = renderToStaticMarkup(<CaseFileBody {...doc} actions={opts.actions} />);
  const title = doc.t("caseFile.title", { reference: doc.file.view.report.reference });
  const css = opts.style !== undefined ? `<style>${opts.style}</style>` : `<link rel="stylesheet" href="/assets/print.css">`;
  return `<!DOCTYPE html><html lang="${doc.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title>${css}</head><body>${body}</body></html>`;
}
