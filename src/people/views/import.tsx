import { Alert, Heading2, Link, Paragraph, Table, TableBody, TableCaption, TableCell, TableHeader, TableHeaderCell, TableRow } from "@utrecht/component-library-react";
import { usePage } from "../../ui/context.tsx";
import { FileField, Form, Submit, fieldId } from "../../ui/forms.tsx";
import { Layout } from "../../ui/layout.tsx";
import type { MessageKey } from "../../ui/messages.ts";
import type { FileProblem } from "../csv.ts";
import type { ImportResult } from "../import.ts";

export const IMPORT_PATH = "/beheer/medewerkers/import";

/** The upload form. A problem with the whole file (or an expired preview) is shown above it. */
export function ImportUploadPage({ problem }: { problem: FileProblem | { key: MessageKey; params?: undefined } | null }) {
  const { t } = usePage();
  const message = problem ? t(problem.key, problem.params) : null;
  return (
    <Layout title={t("import.title")}>
      <Paragraph>{t("import.intro")}</Paragraph>
      <Paragraph>{t("import.columns")}</Paragraph>
      <Form action={IMPORT_PATH} multipart>
        {message ? (
          <div className="intact-error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
            <Heading2 id="error-summary-title">{t("error.summaryTitle")}</Heading2>
            <ul><li><a href={`#${fieldId("file")}`}>{message}</a></li></ul>
          </div>
        ) : null}
        <FileField name="file" label="import.file" accept=".csv,text/csv" errors={problem && !problem.params ? { file: problem.key } : {}} />
        <div className="intact-actions"><Submit label="import.preview" /></div>
      </Form>
    </Layout>
  );
}

const ACTION_LABEL = { create: "import.create", update: "import.update", unchanged: "import.unchanged", reject: "import.reject" } as const;

export function ImportPreviewPage({ result }: { result: ImportResult }) {
  const { t } = usePage();
  const s = result.summary;
  const valid = s.create + s.update + s.unchanged;
  return (
    <Layout title={t("import.title")} wide>
      <Paragraph data-testid="import-summary">{t("import.summary", s)}</Paragraph>
      {result.newPositions.length ? <Paragraph>{t("import.newPositions", { titles: result.newPositions.join(", ") })}</Paragraph> : null}
      {s.reject ? <Alert type="warning"><Paragraph>{valid ? t("import.hasErrors") : t("import.nothingToImport")}</Paragraph></Alert> : null}
      {result.signed && valid ? (
        <Form action={`${IMPORT_PATH}/bevestigen`} multipart>
          <input type="hidden" name="payload" value={result.signed.payload} />
          <input type="hidden" name="signature" value={result.signed.signature} />
          <div className="intact-actions">
            {s.reject ? <Submit name="mode" value="valid" label="import.commitValid" /> : <Submit name="mode" value="all" label="import.commitAll" />}
            <Link href={IMPORT_PATH}>{t("import.again")}</Link>
          </div>
        </Form>
      ) : <Paragraph><Link href={IMPORT_PATH}>{t("import.again")}</Link></Paragraph>}
      <div className="intact-table-wrap">
        <Table>
          <TableCaption>{t("import.previewCaption")}</TableCaption>
          <TableHeader><TableRow>
            <TableHeaderCell scope="col">{t("import.line")}</TableHeaderCell>
            <TableHeaderCell scope="col">{t("people.employeeNumber")}</TableHeaderCell>
            <TableHeaderCell scope="col">{t("people.name")}</TableHeaderCell>
            <TableHeaderCell scope="col">{t("import.action")}</TableHeaderCell>
            <TableHeaderCell scope="col">{t("import.reason")}</TableHeaderCell>
          </TableRow></TableHeader>
          <TableBody>
            {result.rows.map((r) => (
              <TableRow key={r.line} className={r.action === "reject" ? "intact-import-row--reject" : undefined}>
                <TableHeaderCell scope="row">{r.line}</TableHeaderCell>
                <TableCell>{r.employeeNumber || "—"}</TableCell>
                <TableCell>{r.name || "—"}</TableCell>
                <TableCell className={r.action === "reject" ? "intact-status--reject" : undefined}>{t(ACTION_LABEL[r.action])}</TableCell>
                <TableCell>
                  {r.errors.length ? (
                    <ul className="intact-import-reasons">{r.errors.map((e, i) => <li key={i}>{`${e.field}: ${t(e.key)}`}</li>)}</ul>
                  ) : null}
                  {r.changes.length ? <span>{t("import.changes", { fields: r.changes.join(", ") })}</span> : null}
                  {r.newPosition ? <span className="intact-import-note">{t("import.newPosition", { title: r.newPosition })}</span> : null}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
    </Layout>
  );
}

export function ImportDonePage({ result }: { result: ImportResult }) {
  const { t } = usePage();
  const c = result.committed!;
  return (
    <Layout title={t("import.title")}>
      <Alert type="ok" role="status">
        <Paragraph>{t("import.done", { create: c.created, update: c.updated })}</Paragraph>
        <Paragraph>{t("import.doneDetail", { unchanged: c.unchanged, skipped: c.skipped, positions: c.positionsCreated })}</Paragraph>
      </Alert>
      <div className="intact-actions">
        <Link href="/beheer/medewerkers">{t("import.toList")}</Link>
        <Link href={IMPORT_PATH}>{t("import.again")}</Link>
      </div>
    </Layout>
  );
}
