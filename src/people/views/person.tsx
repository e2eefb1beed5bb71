import { DataList, DataListItem, DataListKey, DataListValue, Heading2, Link, Paragraph } from "@utrecht/component-library-react";
import type { FieldErrors } from "../../http/errors.ts";
import { usePage } from "../../ui/context.tsx";
import { ErrorSummary, Form, SelectField, Submit, TextField } from "../../ui/forms.tsx";
import { formatDate } from "../../ui/format.ts";
import { Layout } from "../../ui/layout.tsx";
import type { MessageKey } from "../../ui/messages.ts";
import { unitOptions, type UnitLike } from "../../organisations/views/tree.ts";
import { EMPLOYMENT_TYPES } from "../schema.ts";
import type { PersonDetail } from "../service.ts";

export type PersonFormValues = Partial<Record<"employeeNumber" | "givenName" | "familyName" | "email" | "unitId" | "positionId" |
  "managerNumber" | "employmentType" | "startDate" | "endDate", string>>;
export type PersonFormOptions = { units: UnitLike[]; positions: { id: string; title: string }[] };

const LABELS: Record<keyof PersonFormValues, MessageKey> = {
  employeeNumber: "people.employeeNumber", givenName: "people.givenName", familyName: "people.familyName", email: "people.email",
  unitId: "people.unit", positionId: "people.position", managerNumber: "people.manager", employmentType: "people.employmentType",
  startDate: "people.startDate", endDate: "people.endDate",
};

export const valuesOf = (p: PersonDetail): PersonFormValues => ({
  employeeNumber: p.employeeNumber, givenName: p.givenName, familyName: p.familyName, email: p.email ?? "",
  unitId: p.unitId ?? "", positionId: p.positionId ?? "", managerNumber: p.manager?.employeeNumber ?? "",
  employmentType: p.employmentType, startDate: p.startDate ?? "", endDate: p.endDate ?? "",
});

function PersonForm({ action, values, errors, options }: { action: string; values: PersonFormValues; errors: FieldErrors; options: PersonFormOptions }) {
  const { t } = usePage();
  return (
    <Form action={action}>
      <ErrorSummary errors={errors} labels={LABELS} />
      <TextField name="employeeNumber" label="people.employeeNumber" value={values.employeeNumber} errors={errors} width="short" />
      <TextField name="givenName" label="people.givenName" value={values.givenName} errors={errors} autoComplete="off" />
      <TextField name="familyName" label="people.familyName" value={values.familyName} errors={errors} autoComplete="off" />
      <TextField name="email" label="people.email" type="email" value={values.email} errors={errors} optional autoComplete="off" />
      <SelectField name="unitId" label="people.unit" value={values.unitId} errors={errors} optional empty={t("form.none")}
        options={unitOptions(options.units)} />
      <SelectField name="positionId" label="people.position" value={values.positionId} errors={errors} optional empty={t("form.none")}
        options={options.positions.map((p) => ({ value: p.id, label: p.title }))} />
      <TextField name="managerNumber" label="people.manager" hint="people.managerHint" value={values.managerNumber} errors={errors} optional width="short" />
      <SelectField name="employmentType" label="people.employmentType" value={values.employmentType ?? "employee"} errors={errors}
        options={EMPLOYMENT_TYPES.map((e) => ({ value: e, label: t(`employment.${e}`) }))} />
      <TextField name="startDate" label="people.startDate" type="date" value={values.startDate} errors={errors} optional width="short" />
      <TextField name="endDate" label="people.endDate" type="date" value={values.endDate} errors={errors} optional width="short" />
      <div className="intact-actions"><Submit label="form.save" /><Link href="/beheer/medewerkers">{t("form.cancel")}</Link></div>
    </Form>
  );
}

export function PersonPage({ person, can, values, errors, options }: {
  person: PersonDetail; can: { manage: boolean }; values: PersonFormValues; errors: FieldErrors; options: PersonFormOptions;
}) {
  const { t, locale } = usePage();
  const row = (label: MessageKey, value: string | null | undefined) => (
    <DataListItem><DataListKey>{t(label)}</DataListKey><DataListValue>{value || "—"}</DataListValue></DataListItem>
  );
  return (
    <Layout title={person.name}>
      <Paragraph><Link href="/beheer/medewerkers">{t("form.back")}</Link></Paragraph>
      <Heading2>{t("people.details")}</Heading2>
      <DataList className="intact-datalist">
        {row("people.employeeNumber", person.employeeNumber)}
        {row("people.email", person.email)}
        {row("people.unit", person.unit?.name)}
        {row("people.position", person.position)}
        <DataListItem><DataListKey>{t("people.manager")}</DataListKey><DataListValue>
          {person.manager ? <Link href={`/beheer/medewerkers/${person.manager.id}`}>{`${person.manager.name} (${person.manager.employeeNumber})`}</Link> : "—"}
        </DataListValue></DataListItem>
        {row("people.employmentType", t(`employment.${person.employmentType}`))}
        {row("people.startDate", person.startDate ? formatDate(person.startDate, locale) : null)}
        {row("people.endDate", person.endDate ? formatDate(person.endDate, locale) : null)}
      </DataList>
      {can.manage ? (
        <>
          <Heading2 id="wijzigen">{t("people.edit")}</Heading2>
          <PersonForm action={`/beheer/medewerkers/${person.id}`} values={values} errors={errors} options={options} />
        </>
      ) : null}
    </Layout>
  );
}

export function NewPersonPage({ values, errors, options }: { values: PersonFormValues; errors: FieldErrors; options: PersonFormOptions }) {
  const { t } = usePage();
  return (
    <Layout title={t("people.newTitle")}>
      <PersonForm action="/beheer/medewerkers" values={values} errors={errors} options={options} />
    </Layout>
  );
}
