import { Heading2, Paragraph, Table, TableBody, TableCaption, TableCell, TableHeader, TableHeaderCell, TableRow } from "@utrecht/component-library-react";
import type { FieldErrors } from "../../http/errors.ts";
import { usePage } from "../../ui/context.tsx";
import { formatDate, formatDateTime } from "../../ui/format.ts";
import { ErrorSummary, Form, RadioGroupField, Submit, TextAreaField } from "../../ui/forms.tsx";
import { Layout } from "../../ui/layout.tsx";
import type { ApprovalRequest } from "../service.ts";
import { codeLabel, dayInstant } from "./case-labels.ts";

/** The secretary's page: requested investigations with their metadata only, each with approve / reject. */
export function ApprovalsPage({ items, errors, failedId, values }: { items: ApprovalRequest[]; errors?: FieldErrors; failedId?: string; values?: Record<string, string> }) {
  const { t, locale } = usePage();
  return (
    <Layout title={t("approvals.title")} wide>
      <Paragraph>{t("approvals.intro")}</Paragraph>
      {!items.length ? <Paragraph>{t("approvals.empty")}</Paragraph> : (
        <>
          <Table className="intact-table">
            <TableCaption>{t("approvals.caption", { count: items.length })}</TableCaption>
            <TableHeader>
              <TableRow>
                <TableHeaderCell scope="col">{t("approvals.reference")}</TableHeaderCell>
                <TableHeaderCell scope="col">{t("approvals.organisation")}</TableHeaderCell>
                <TableHeaderCell scope="col">{t("approvals.received")}</TableHeaderCell>
                <TableHeaderCell scope="col">{t("approvals.category")}</TableHeaderCell>
                <TableHeaderCell scope="col">{t("approvals.by")}</TableHeaderCell>
                <TableHeaderCell scope="col">{t("approvals.requested")}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((a) => (
                <TableRow key={a.id}>
                  <TableHeaderCell scope="row"><a href={`#goedkeuring-${a.id}`}>{a.reference}</a></TableHeaderCell>
                  <TableCell>{a.organisationName}</TableCell>
                  <TableCell>{formatDate(dayInstant(a.receivedOn), locale)}</TableCell>
                  <TableCell>{a.categoryLabel ?? codeLabel(t, "case.kind", a.kind)}</TableCell>
                  <TableCell>{codeLabel(t, "case.investigationBy", a.investigationBy) || t("form.none")}</TableCell>
                  <TableCell>{formatDateTime(a.requestedAt, locale)}{a.coordinatorName ? ` — ${a.coordinatorName}` : ""}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {items.map((a) => {
            const own = failedId === a.id;
            const errs = own ? errors ?? {} : {};
            const prefix = `a-${a.id.slice(0, 8)}-`;
            return (
              <section key={a.id} id={`goedkeuring-${a.id}`} className="intact-section" aria-labelledby={`${prefix}title`}>
                <Heading2 id={`${prefix}title`}>{t("approvals.decideTitle", { reference: a.reference })}</Heading2>
                <Form action={`/goedkeuringen/${a.id}`}>
                  <ErrorSummary errors={Object.fromEntries(Object.entries(errs).map(([k, v]) => [prefix + k, v]))} />
                  <input type="hidden" name="version" value={String(a.version)} />
                  <input type="hidden" name="prefix" value={prefix} />
                  <RadioGroupField name={`${prefix}decision`} legend="approvals.decision" errors={Object.fromEntries(Object.entries(errs).map(([k, v]) => [prefix + k, v]))}
                    value={own ? values?.decision : undefined}
                    options={[{ value: "approve", label: t("approvals.approve") }, { value: "reject", label: t("approvals.reject"), hint: t("approvals.rejectHint") }]} />
                  <TextAreaField name={`${prefix}reason`} label="approvals.reason" hint="approvals.reasonHint" optional rows={3}
                    errors={Object.fromEntries(Object.entries(errs).map(([k, v]) => [prefix + k, v]))} value={own ? values?.reason : undefined} />
                  <Submit label="approvals.submit" />
                </Form>
              </section>
            );
          })}
        </>
      )}
    </Layout>
  );
}
