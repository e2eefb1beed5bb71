import { Paragraph } from "@utrecht/component-library-react";
import type { FieldErrors } from "../../http/errors.ts";
import { usePage } from "../../ui/context.tsx";
import { ErrorSummary, Form, Submit, TextField } from "../../ui/forms.tsx";
import { Layout } from "../../ui/layout.tsx";

export function SetupPage({ token, errors, values }: { token: string; errors: FieldErrors; values: Record<string, string> }) {
  const { t } = usePage();
  return (
    <Layout title={t("setup.title")}>
      <Paragraph>{t("setup.intro")}</Paragraph>
      <Form action="/inrichten">
        <ErrorSummary errors={errors} labels={{ organisationName: "setup.organisationName", displayName: "setup.displayName", email: "setup.email", password: "setup.password" }} />
        <input type="hidden" name="token" value={token} />
        <TextField name="organisationName" label="setup.organisationName" hint="setup.organisationNameHint" value={values.organisationName} errors={errors} autoComplete="organization" />
        <TextField name="displayName" label="setup.displayName" value={values.displayName} errors={errors} autoComplete="name" />
        <TextField name="email" label="setup.email" type="email" value={values.email} errors={errors} autoComplete="username" />
        <TextField name="password" label="setup.password" hint="setup.passwordHint" type="password" errors={errors} autoComplete="new-password" />
        <div className="intact-actions"><Submit label="setup.submit" /></div>
      </Form>
    </Layout>
  );
}
