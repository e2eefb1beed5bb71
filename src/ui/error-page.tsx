import { Link, Paragraph } from "@utrecht/component-library-react";
import { Layout } from "./layout.tsx";
import { usePage } from "./context.tsx";

export function ErrorPage({ title, message }: { title: string; message: string }) {
  const { t } = usePage();
  return (
    <Layout title={title}>
      <Paragraph>{message}</Paragraph>
      <Paragraph><Link href="/">{t("error.back")}</Link></Paragraph>
    </Layout>
  );
}
