import { Alert, Heading2, Paragraph, Table, TableBody, TableCaption, TableCell, TableHeader, TableHeaderCell, TableRow } from "@utrecht/component-library-react";
import { z } from "zod";
import type { FieldErrors } from "../../http/errors.ts";
import { usePage } from "../../ui/context.tsx";
import { formatDateTime } from "../../ui/format.ts";
import { ErrorSummary, FileField, Form, Submit } from "../../ui/forms.tsx";
import type { Locale, Translate } from "../../ui/messages.ts";
import { ALLOWED, type Notice, type Removed } from "../attachments/clean.ts";
import { draftUploadSchema, type CaseAttachment, type DraftUpload } from "../attachments/service.ts";
import type { MailboxFile } from "../intake.ts";
import type { Answers } from "./intake-shared.tsx";

// Attachments on the intake's files step, in the mailbox and on the case page: what was uploaded, what
// cleaning removed from it, and what it could not remove, always said in words.

/** The accept attribute of the file inputs: a hint for the browser's file chooser, never a check. */
export const ACCEPT = [...new Set(Object.values(ALLOWED).flatMap((a) => a.exts.map((e) => `.${e}`)))].join(",");

/** The uploads in a draft (the answers carry them as JSON under "uploads"); a malformed value counts as none. */
export function draftUploads(answers: Answers): DraftUpload[] {
  if (!answers.uploads) return [];
  try {
    const parsed = z.array(draftUploadSchema).safeParse(JSON.parse(answers.uploads));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

export function withUploads(answers: Answers, uploads: DraftUpload[]): Answers {
  const { uploads: _old, ...rest } = answers;
  return uploads.length ? { ...rest, uploads: JSON.stringify(uploads) } : rest;
}

/** "2,4 MB", "830 kB", "12 bytes". */
export function formatSize(bytes: number, locale: Locale): string {
  const n = (v: number, digits: number) => new Intl.NumberFormat(locale === "nl" ? "nl-NL" : "en-GB", { maximumFractionDigits: digits }).format(v);
  if (bytes >= 1024 * 1024) return `${n(bytes / (1024 * 1024), 1)} MB`;
  if (bytes >= 1024) return `${n(bytes / 1024, 0)} kB`;
  return `${bytes} bytes`;
}

/** "Locatie, cameragegevens en datum verwijderd." or "Geen verborgen gegevens gevonden." */
export function removedText(t: Translate, locale: Locale, removed: readonly Removed[]): string {
  if (!removed.length) return t("intake.files.nothingFound");
  const list = new Intl.ListFormat(locale === "nl" ? "nl" : "en", { type: "conjunction" }).format(removed.map((r) => t(`intake.files.removed.${r}`)));
  return t("intake.files.removedText", { list: list.charAt(0).toUpperCase() + list.slice(1) });
}

/** What was removed from one file, and what could not be. */
export function FileFacts({ removed, notice }: { removed: readonly Removed[]; notice: Notice | null }) {
  const { t, locale } = usePage();
  return (
    <>
      <span className="intact-file-facts">{removedText(t, locale, removed)}</span>
      {notice ? <> <span className="intact-file-facts intact-file-facts--notice">{t(`intake.files.notice.${notice}`)}</span></> : null}
    </>
  );
}

export type AttachmentLimits = { file: number; total: number; count: number };

export function LimitsText({ limits }: { limits: AttachmentLimits }) {
  const { t } = usePage();
  return <Paragraph>{t("intake.files.limits", { file: limits.file, total: limits.total, count: limits.count })}</Paragraph>;
}

// ---- the intake's files step -------------------------------------------------------------------------------

/** The files step's own part of the form: what was added (each with "Verwijderen"), a file chooser and "Toevoegen".
 *  The form around it is multipart and carries the sealed draft; "Volgende" follows below it. */
export function FilesStepFields({ uploads, errors, params, limits, notice }: {
  uploads: DraftUpload[]; errors: FieldErrors; params?: Record<string, string | number>; limits: AttachmentLimits; notice?: string;
}) {
  const { t, locale } = usePage();
  return (
    <>
      {notice ? <Alert type="ok" role="status"><Paragraph>{notice}</Paragraph></Alert> : null}
      <Paragraph>{t("intake.files.intro")}</Paragraph>
      <LimitsText limits={limits} />
      <Paragraph>{t("intake.files.hidden")}</Paragraph>
      <Heading2>{t("intake.files.listTitle")}</Heading2>
      {uploads.length ? (
        <ul className="intact-files" data-testid="uploads">
          {uploads.map((u) => (
            <li key={u.id} className="intact-files__item">
              <span className="intact-files__name">{u.name}</span> <span className="intact-files__size">({formatSize(u.size, locale)})</span>
              <br /><FileFacts removed={u.removed} notice={u.notice} />
              <div>
                <button type="submit" name="nav" value={`remove:${u.id}`} className="utrecht-button utrecht-button--subtle">
                  {t("intake.files.remove")}<span className="intact-visually-hidden"> {u.name}</span>
                </button>
              </div>
            </li>
          ))}
        </ul>
      ) : <Paragraph>{t("intake.files.none")}</Paragraph>}
      <FileField name="file" label="intake.files.choose" optional accept={ACCEPT} errors={errors} params={params} />
      <div className="intact-actions"><Submit label="intake.files.add" name="nav" value="upload" secondary /></div>
    </>
  );
}

// ---- the mailbox ---------------------------------------------------------------------------------------------

/** "U stuurde een bestand: …" in the reporter's messages; the file itself is not offered back. */
export function MailboxFiles({ files }: { files: MailboxFile[] }) {
  const { t, locale } = usePage();
  return (
    <div className="intact-message__body">
      <p>{files.length === 1 ? t("mailbox.files.youSent") : t("mailbox.files.youSentMany", { count: files.length })}</p>
      <ul className="intact-files">
        {files.map((f) => (
          <li key={f.id} className="intact-files__item">
            <span className="intact-files__name">{f.name}</span> <span className="intact-files__size">({formatSize(f.size, locale)})</span>
            <br /><FileFacts removed={f.removed} notice={f.notice} />
          </li>
        ))}
      </ul>
    </div>
  );
}

/** "Een bestand sturen": a multipart form of its own, straight to the case. */
export function MailboxFileForm({ action, errors, params, limits }: { action: string; errors: FieldErrors; params?: Record<string, string | number>; limits: AttachmentLimits }) {
  const { t } = usePage();
  return (
    <>
      <Heading2 id="bestand">{t("mailbox.files.title")}</Heading2>
      <Form action={action} multipart>
        <ErrorSummary errors={errors} labels={{ file: "intake.files.choose" }} params={params} />
        <Paragraph>{t("mailbox.files.intro")}</Paragraph>
        <LimitsText limits={limits} />
        <Paragraph>{t("intake.files.hidden")}</Paragraph>
        <Paragraph>{t("mailbox.files.noDownload")}</Paragraph>
        <FileField name="file" label="intake.files.choose" accept={ACCEPT} errors={errors} params={params} />
        <div className="intact-actions"><Submit label="mailbox.files.submit" /></div>
      </Form>
    </>
  );
}

// ---- the case page -------------------------------------------------------------------------------------------

const kindLabel = (t: Translate, a: CaseAttachment) => t(`case.attachments.kind.${ALLOWED[a.mediaType].family}`);

/** The case's files: name (a download link), kind, size, when, from whom, and what was removed on receipt. */
export function CaseAttachments({ attachments, href }: { attachments: CaseAttachment[]; href: (id: string) => string }) {
  const { t, locale } = usePage();
  return (
    <section id="bijlagen" aria-labelledby="bijlagen-title" className="intact-case-section">
      <Heading2 id="bijlagen-title">{t("case.attachments.title")}</Heading2>
      {attachments.length ? (
        <>
          <Paragraph>{t("case.attachments.intro")}</Paragraph>
          <div className="intact-table-wrap">
            <Table className="intact-attachments">
              <TableCaption>{t("case.attachments.caption", { count: attachments.length })}</TableCaption>
              <TableHeader><TableRow>
                <TableHeaderCell scope="col">{t("case.attachments.name")}</TableHeaderCell>
                <TableHeaderCell scope="col">{t("case.attachments.type")}</TableHeaderCell>
                <TableHeaderCell scope="col">{t("case.attachments.size")}</TableHeaderCell>
                <TableHeaderCell scope="col">{t("case.attachments.added")}</TableHeaderCell>
                <TableHeaderCell scope="col">{t("case.attachments.from")}</TableHeaderCell>
                <TableHeaderCell scope="col">{t("case.attachments.cleaned")}</TableHeaderCell>
              </TableRow></TableHeader>
              <TableBody>
                {attachments.map((a) => (
                  <TableRow key={a.id}>
                    <TableHeaderCell scope="row">
                      <a href={href(a.id)} download className="utrecht-link">{a.name}<span className="intact-visually-hidden"> ({t("case.attachments.download")})</span></a>
                    </TableHeaderCell>
                    <TableCell>{kindLabel(t, a)}</TableCell>
                    <TableCell>{formatSize(a.size, locale)}</TableCell>
                    <TableCell><time dateTime={a.createdAt}>{formatDateTime(a.createdAt, locale)}</time></TableCell>
                    <TableCell>{a.from === "reporter" ? t("case.attachments.fromReporter") : a.authorName ?? t("case.attachments.fromUnknown")}</TableCell>
                    <TableCell><FileFacts removed={a.removed} notice={a.notice} /></TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        </>
      ) : <Paragraph>{t("case.attachments.none")}</Paragraph>}
    </section>
  );
}

/** The names of the files that came in with one timeline entry (also in the case file, rendered outside a page). */
export function EntryFiles({ files, locale }: { files: CaseAttachment[]; locale: Locale }) {
  return files.length ? (
    <ul className="intact-plain-list">
      {files.map((f) => <li key={f.id}>{f.name} ({formatSize(f.size, locale)})</li>)}
    </ul>
  ) : null;
}
