import { Heading2, Link, Paragraph } from "@utrecht/component-library-react";
import type { FieldErrors } from "../../http/errors.ts";
import { usePage } from "../../ui/context.tsx";
import { ErrorSummary, Form, SelectField, Submit, TextField } from "../../ui/forms.tsx";
import { Layout } from "../../ui/layout.tsx";
import type { UnitEdit } from "../service.ts";
import { pickFields, unitKindOptions } from "./shared.ts";
import { unitOptions } from "./tree.ts";

export type UnitPageProps = {
  view: UnitEdit;
  /** Errors of the edit form (name, kind, parentId) or of the delete form (_form). */
  errors?: FieldErrors;
  values?: Record<string, string>;
};

export function UnitPage({ view, errors = {}, values }: UnitPageProps) {
  const { t } = usePage();
  const { unit } = view;
  const v = values ?? { name: unit.name, kind: unit.kind, parentId: unit.parent_id ?? "" };
  return (
    <Layout title={t("org.editUnitTitle", { name: unit.name })}>
      <Paragraph><Link href="/beheer/organisatie#eenheden">{t("org.backToOrganisation")}</Link></Paragraph>
      <Form action={`/beheer/organisatie/eenheden/${unit.id}`}>
        <ErrorSummary errors={pickFields(errors, ["name", "kind", "parentId"])}
          labels={{ name: "org.unitName", kind: "org.unitKind", parentId: "org.unitParent" }} />
        <TextField name="name" label="org.unitName" value={v.name} errors={errors} />
        <SelectField name="kind" label="org.unitKind" value={v.kind} options={unitKindOptions(t)} errors={errors} />
        <SelectField name="parentId" label="org.unitParent" hint="org.moveHint" value={v.parentId}
          options={unitOptions(view.units, unit)} empty={t("org.unitParentNone")} errors={errors} />
        <div className="intact-actions"><Submit label="form.save" /></div>
      </Form>

      <Heading2 id="verwijderen">{t("org.deleteUnit")}</Heading2>
      <Paragraph>{t("org.deleteUnitIntro")}</Paragraph>
      <Form action={`/beheer/organisatie/eenheden/${unit.id}/verwijderen`}>
        <ErrorSummary errors={pickFields(errors, ["_form"])} />
        <div className="intact-actions"><Submit label="org.delete" secondary /></div>
      </Form>
    </Layout>
  );
}
