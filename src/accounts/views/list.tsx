import { Heading2, Link, Paragraph, Table, TableBody, TableCaption, TableCell, TableHeader, TableHeaderCell, TableRow } from "@utrecht/component-library-react";
import type { FieldErrors } from "../../http/errors.ts";
import { usePage } from "../../ui/context.tsx";
import { ErrorSummary, Form, SelectField, Submit, TextField } from "../../ui/forms.tsx";
import { Layout } from "../../ui/layout.tsx";
import { formatDateTime } from "../../ui/format.ts";

export type RoleLine = { id: string; role: string; scope: string; canRevoke: boolean };
export type AccountLine = {
  id: string; displayName: string; email: string; totpEnabled: boolean; disabled: boolean; lastLoginAt: string | null; roles: RoleLine[];
};
export type Option = { value: string; label: string };

export function AccountsPage({ accounts, roleOptions, errors, values }: {
  accounts: AccountLine[]; roleOptions: Option[]; errors: FieldErrors; values: Record<string, string>;
}) {
  const { t, locale, activeOrganisation } = usePage();
  return (
    <Layout title={t("accounts.title")} wide>
      {accounts.length ? (
        <div className="intact-table-wrap">
          <Table>
            <TableCaption>{t("accounts.caption", { organisation: activeOrganisation?.name ?? "" })}</TableCaption>
            <TableHeader><TableRow>
              <TableHeaderCell scope="col">{t("accounts.name")}</TableHeaderCell>
              <TableHeaderCell scope="col">{t("accounts.email")}</TableHeaderCell>
              <TableHeaderCell scope="col">{t("accounts.roles")}</TableHeaderCell>
              <TableHeaderCell scope="col">{t("accounts.totp")}</TableHeaderCell>
              <TableHeaderCell scope="col">{t("accounts.lastLogin")}</TableHeaderCell>
              <TableHeaderCell scope="col">{t("accounts.status")}</TableHeaderCell>
            </TableRow></TableHeader>
            <TableBody>
              {accounts.map((a) => (
                <TableRow key={a.id}>
                  <TableHeaderCell scope="row"><Link href={`/beheer/accounts/${a.id}`}>{a.displayName}</Link></TableHeaderCell>
                  <TableCell>{a.email}</TableCell>
                  <TableCell>
                    <ul className="intact-plain-list">
                      {a.roles.map((r) => <li key={r.id}>{r.role} — {r.scope}</li>)}
                    </ul>
                  </TableCell>
                  <TableCell>{a.totpEnabled ? t("accounts.on") : t("accounts.off")}</TableCell>
                  <TableCell>{a.lastLoginAt ? formatDateTime(a.lastLoginAt, locale) : t("accounts.never")}</TableCell>
                  <TableCell>{a.disabled ? <strong>{t("accounts.disabled")}</strong> : t("accounts.active")}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      ) : <Paragraph>{t("accounts.none")}</Paragraph>}

      <Heading2 id="toevoegen">{t("accounts.add")}</Heading2>
      <Form action="/beheer/accounts">
        <ErrorSummary errors={errors} labels={{ displayName: "accounts.name", email: "accounts.email", employeeNumber: "accounts.person", role: "accounts.role" }} />
        <TextField name="displayName" label="accounts.name" value={values.displayName} errors={errors} autoComplete="off" />
        <TextField name="email" label="accounts.email" type="email" value={values.email} errors={errors} autoComplete="off" />
        <TextField name="employeeNumber" label="accounts.person" hint="accounts.personHint" value={values.employeeNumber} errors={errors} optional width="short" autoComplete="off" />
        <SelectField name="role" label="accounts.role" hint="accounts.roleHint" options={roleOptions} value={values.role} empty={t("accounts.chooseRole")} errors={errors} />
        <div className="intact-actions"><Submit label="accounts.add" /></div>
      </Form>
    </Layout>
  );
}
