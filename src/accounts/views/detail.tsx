import { Alert, Button, DataList, DataListItem, DataListKey, DataListValue, Heading2, Link, Paragraph, Table, TableBody, TableCaption, TableCell, TableHeader, TableHeaderCell, TableRow } from "@utrecht/component-library-react";
import type { FieldErrors } from "../../http/errors.ts";
import { usePage } from "../../ui/context.tsx";
import { ErrorSummary, Form, SelectField, Submit } from "../../ui/forms.tsx";
import { Layout } from "../../ui/layout.tsx";
import { formatDateTime } from "../../ui/format.ts";
import type { AccountLine, Option } from "./list.tsx";

export type AccountDetail = AccountLine & { person: string | null };

export function AccountDetailPage({ account, roleOptions, unitOptions, can, errors, values, temporaryPassword }: {
  account: AccountDetail; roleOptions: Option[]; unitOptions: Option[];
  can: { block: boolean; grant: boolean }; errors: FieldErrors; values: Record<string, string>; temporaryPassword?: string;
}) {
  const { t, locale, activeOrganisation } = usePage();
  // The password goes into its own element, so it can be selected and copied on its own.
  const [before, after] = t("accounts.created", { password: "\u0000" }).split("\u0000");
  return (
    <Layout title={account.displayName} wide>
      {temporaryPassword ? (
        <Alert type="ok" role="status">
          <Paragraph>{before}<code className="intact-secret" data-testid="temporary-password">{temporaryPassword}</code>{after}</Paragraph>
        </Alert>
      ) : null}
      <Paragraph><Link href="/beheer/accounts">{t("accounts.backToList")}</Link></Paragraph>

      <Heading2>{t("accounts.details")}</Heading2>
      <DataList className="intact-datalist">
        <DataListItem><DataListKey>{t("accounts.email")}</DataListKey><DataListValue>{account.email}</DataListValue></DataListItem>
        {account.person ? <DataListItem><DataListKey>{t("accounts.person")}</DataListKey><DataListValue>{account.person}</DataListValue></DataListItem> : null}
        <DataListItem><DataListKey>{t("accounts.totp")}</DataListKey><DataListValue>{account.totpEnabled ? t("accounts.on") : t("accounts.off")}</DataListValue></DataListItem>
        <DataListItem><DataListKey>{t("accounts.lastLogin")}</DataListKey><DataListValue>{account.lastLoginAt ? formatDateTime(account.lastLoginAt, locale) : t("accounts.never")}</DataListValue></DataListItem>
        <DataListItem><DataListKey>{t("accounts.status")}</DataListKey><DataListValue>{account.disabled ? <strong>{t("accounts.disabled")}</strong> : t("accounts.active")}</DataListValue></DataListItem>
      </DataList>

      <Heading2 id="rollen">{t("accounts.roles")}</Heading2>
      {account.roles.length ? (
        <div className="intact-table-wrap">
          <Table>
            <TableCaption>{t("accounts.rolesCaption", { name: account.displayName })}</TableCaption>
            <TableHeader><TableRow>
              <TableHeaderCell scope="col">{t("accounts.role")}</TableHeaderCell>
              <TableHeaderCell scope="col">{t("accounts.scope")}</TableHeaderCell>
              <TableHeaderCell scope="col"><span className="intact-visually-hidden">{t("accounts.removeRole")}</span></TableHeaderCell>
            </TableRow></TableHeader>
            <TableBody>
              {account.roles.map((r) => (
                <TableRow key={r.id}>
                  <TableHeaderCell scope="row">{r.role}</TableHeaderCell>
                  <TableCell>{r.scope}</TableCell>
                  <TableCell>{r.canRevoke ? (
                    <Form action={`/beheer/accounts/${account.id}/rollen/${r.id}/intrekken`} className="intact-inline-form">
                      <Button type="submit" appearance="secondary-action-button">
                        {t("accounts.removeRole")} <span className="intact-visually-hidden">{r.role} — {r.scope}</span>
                      </Button>
                    </Form>) : null}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      ) : <Paragraph>{t("accounts.noGrants")}</Paragraph>}

      {can.grant ? (
        <>
          <Heading2 id="rol-toekennen">{t("accounts.addRole")}</Heading2>
          <Form action={`/beheer/accounts/${account.id}/rollen`}>
            <ErrorSummary errors={errors} labels={{ role: "accounts.role", unitId: "accounts.scope" }} />
            <SelectField name="role" label="accounts.role" options={roleOptions} value={values.role} empty={t("accounts.chooseRole")} errors={errors} />
            <SelectField name="unitId" label="accounts.scope" hint="accounts.scopeHint" options={unitOptions} value={values.unitId}
              empty={t("accounts.wholeOrganisation", { organisation: activeOrganisation?.name ?? "" })} errors={errors} />
            <div className="intact-actions"><Submit label="accounts.addRole" /></div>
          </Form>
        </>
      ) : null}

      {can.block ? (
        <>
          <Heading2 id="blokkeren">{t("accounts.blockTitle")}</Heading2>
          <Paragraph>{t("accounts.blockIntro")}</Paragraph>
          <Form action={`/beheer/accounts/${account.id}/blokkeren`}>
            <div className="intact-actions"><Submit label={account.disabled ? "accounts.unblock" : "accounts.block"} secondary /></div>
          </Form>
        </>
      ) : null}
    </Layout>
  );
}
