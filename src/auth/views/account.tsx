import { Alert, Button, Heading2, Link, Paragraph, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, UnorderedList, UnorderedListItem } from "@utrecht/component-library-react";
import type { FieldErrors } from "../../http/errors.ts";
import { usePage } from "../../ui/context.tsx";
import { ErrorSummary, Form, Submit, TextField } from "../../ui/forms.tsx";
import { Layout } from "../../ui/layout.tsx";
import { formatDateTime } from "../../ui/format.ts";

export type AccountView = {
  email: string; displayName: string; totpEnabled: boolean;
  roles: { role: string; scope: string }[];
  tokens: { id: string; name: string; created_at: string; expires_at: string; last_used_at: string | null; active: boolean }[];
};

export function AccountPage({ view, errors, newToken }: { view: AccountView; errors: FieldErrors; newToken?: string }) {
  const { t, locale } = usePage();
  return (
    <Layout title={t("account.title")}>
      <Paragraph>{view.displayName} — {view.email}</Paragraph>
      <Heading2>{t("account.roles")}</Heading2>
      {view.roles.length ? (
        <UnorderedList>{view.roles.map((r, i) => <UnorderedListItem key={i}>{r.role} — {r.scope}</UnorderedListItem>)}</UnorderedList>
      ) : <Paragraph>{t("account.noRoles")}</Paragraph>}
      <Heading2>{t("accounts.totp")}</Heading2>
      <Paragraph>{view.totpEnabled ? t("account.totpOn") : t("account.totpOff")}</Paragraph>
      {!view.totpEnabled ? <Paragraph><Link href="/account/tweestaps">{t("account.totpSetUp")}</Link></Paragraph> : null}

      <Heading2 id="wachtwoord">{t("account.passwordTitle")}</Heading2>
      <Form action="/account/wachtwoord">
        <ErrorSummary errors={pick(errors, ["current", "password"])} labels={{ current: "account.currentPassword", password: "account.newPassword" }} />
        <TextField name="current" label="account.currentPassword" type="password" autoComplete="current-password" errors={errors} />
        <TextField name="password" label="account.newPassword" hint="setup.passwordHint" type="password" autoComplete="new-password" errors={errors} />
        <div className="intact-actions"><Submit label="form.save" /></div>
      </Form>

      <Heading2 id="sleutels">{t("token.title")}</Heading2>
      <Paragraph>{t("token.intro")}</Paragraph>
      {newToken ? (
        <Alert type="ok" role="status">
          <Paragraph>{t("token.created")}</Paragraph>
          <p><code className="intact-secret" data-testid="new-token">{newToken}</code></p>
        </Alert>
      ) : null}
      {view.tokens.length ? (
        <div className="intact-table-wrap">
          <Table>
            <TableHeader><TableRow>
              <TableHeaderCell scope="col">{t("token.name")}</TableHeaderCell>
              <TableHeaderCell scope="col">{t("token.expires")}</TableHeaderCell>
              <TableHeaderCell scope="col">{t("token.lastUsed")}</TableHeaderCell>
              <TableHeaderCell scope="col">{t("token.status")}</TableHeaderCell>
              <TableHeaderCell scope="col"><span className="intact-visually-hidden">{t("token.revoke")}</span></TableHeaderCell>
            </TableRow></TableHeader>
            <TableBody>
              {view.tokens.map((tk) => (
                <TableRow key={tk.id}>
                  <TableCell>{tk.name}</TableCell>
                  <TableCell>{formatDateTime(tk.expires_at, locale)}</TableCell>
                  <TableCell>{tk.last_used_at ? formatDateTime(tk.last_used_at, locale) : "—"}</TableCell>
                  <TableCell>{tk.active ? t("token.active") : t("token.inactive")}</TableCell>
                  <TableCell>{tk.active ? (
                    <Form action={`/account/sleutels/${tk.id}/intrekken`} className="intact-inline-form">
                      <Button type="submit" appearance="secondary-action-button">{t("token.revoke")} <span className="intact-visually-hidden">{tk.name}</span></Button>
                    </Form>) : null}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      ) : <Paragraph>{t("token.none")}</Paragraph>}
      <Form action="/account/sleutels">
        <ErrorSummary errors={pick(errors, ["name", "days"])} labels={{ name: "token.name", days: "token.days" }} />
        <TextField name="name" label="token.name" hint="token.nameHint" errors={errors} />
        <TextField name="days" label="token.days" type="number" inputMode="numeric" width="short" value="90" errors={errors} />
        <div className="intact-actions"><Submit label="token.create" /></div>
      </Form>
    </Layout>
  );
}

function pick(errors: FieldErrors, keys: string[]): FieldErrors {
  return Object.fromEntries(Object.entries(errors).filter(([k]) => keys.includes(k)));
}
