import { Alert, Paragraph } from "@utrecht/component-library-react";
import type { FieldErrors } from "../../http/errors.ts";
import { usePage } from "../../ui/context.tsx";
import { ErrorSummary, Form, Submit, TextField } from "../../ui/forms.tsx";
import { Layout } from "../../ui/layout.tsx";

export function LoginPage({ returnTo, errors, message, email }: { returnTo: string; errors: FieldErrors; message: string | null; email?: string }) {
  const { t } = usePage();
  return (
    <Layout title={t("login.title")}>
      {message ? <Alert type="error" role="alert"><Paragraph>{message}</Paragraph></Alert> : null}
      <Form action="/inloggen">
        <ErrorSummary errors={errors} labels={{ email: "login.email", password: "login.password" }} />
        <input type="hidden" name="return" value={returnTo} />
        <TextField name="email" label="login.email" type="email" autoComplete="username" value={email} errors={errors} />
        <TextField name="password" label="login.password" type="password" autoComplete="current-password" errors={errors} />
        <div className="intact-actions"><Submit label="login.submit" /></div>
      </Form>
    </Layout>
  );
}

export function MfaPage({ errors, message, returnTo }: { errors: FieldErrors; message: string | null; returnTo: string }) {
  const { t } = usePage();
  return (
    <Layout title={t("mfa.title")}>
      {message ? <Alert type="error" role="alert"><Paragraph>{message}</Paragraph></Alert> : null}
      <Paragraph>{t("mfa.intro")}</Paragraph>
      <Form action="/inloggen/code">
        <ErrorSummary errors={errors} labels={{ code: "mfa.code" }} />
        <input type="hidden" name="return" value={returnTo} />
        <TextField name="code" label="mfa.code" autoComplete="one-time-code" inputMode="numeric" width="short" errors={errors} />
        <div className="intact-actions"><Submit label="mfa.submit" /></div>
      </Form>
    </Layout>
  );
}

export function EnrolPage({ secret, qrSvg, errors }: { secret: string; qrSvg: string; errors: FieldErrors }) {
  const { t } = usePage();
  return (
    <Layout title={t("enrol.title")}>
      <ErrorSummary errors={errors} labels={{ code: "mfa.code" }} />
      <Paragraph>{t("enrol.intro")}</Paragraph>
      <ol className="utrecht-ordered-list">
        <li className="utrecht-ordered-list__item">{t("enrol.step1")}</li>
        <li className="utrecht-ordered-list__item">
          {t("enrol.step2")}
          <div className="intact-qr" role="img" aria-label={t("enrol.qrAlt")} dangerouslySetInnerHTML={{ __html: qrSvg }} />
          <p><code className="intact-secret" data-testid="totp-secret">{secret.replace(/(.{4})/g, "$1 ").trim()}</code></p>
        </li>
        <li className="utrecht-ordered-list__item">{t("enrol.step3")}</li>
      </ol>
      <Form action="/account/tweestaps">
        <TextField name="code" label="mfa.code" autoComplete="one-time-code" inputMode="numeric" width="short" errors={errors} />
        <div className="intact-actions"><Submit label="mfa.submit" /></div>
      </Form>
    </Layout>
  );
}

export function NewPasswordPage({ errors }: { errors: FieldErrors }) {
  const { t } = usePage();
  return (
    <Layout title={t("newPassword.title")}>
      <Paragraph>{t("newPassword.intro")}</Paragraph>
      <Form action="/account/nieuw-wachtwoord">
        <ErrorSummary errors={errors} labels={{ password: "account.newPassword" }} />
        <TextField name="password" label="account.newPassword" hint="setup.passwordHint" type="password" autoComplete="new-password" errors={errors} />
        <div className="intact-actions"><Submit label="newPassword.submit" /></div>
      </Form>
    </Layout>
  );
}
