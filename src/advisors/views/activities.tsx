import {
  Button, ButtonLink, FormField, FormFieldDescription, FormFieldErrorMessage, FormLabel, Heading2, Link, Paragraph, Select, SelectOption,
  Table, TableBody, TableCaption, TableCell, TableFooter, TableHeader, TableHeaderCell, TableRow,
} from "@utrecht/component-library-react";
import type { FieldErrors } from "../../http/errors.ts";
import { unitOptions } from "../../organisations/views/tree.ts";
import { usePage } from "../../ui/context.tsx";
import { formatDate } from "../../ui/format.ts";
import { ErrorSummary, fieldId, Form, RadioGroupField, SelectField, Submit, TextField } from "../../ui/forms.tsx";
import { Layout } from "../../ui/layout.tsx";
import { isMessageKey, type MessageKey, type Translate } from "../../ui/messages.ts";
import type { ActivityForm, MyActivities } from "../activities.ts";
import { ACTIVITY_KINDS } from "../vocabulary.ts";
import { dateHintParams } from "./labels.ts";

// "Mijn activiteiten": the advisor's activities of a year with the people reached, and the one-page form to
// register one. Plain HTML forms; nothing needs JavaScript.

export const ACTIVITIES = "/activiteiten";

/** Every field of the form, for the error summary. */
export const ACTIVITY_LABELS: Record<string, MessageKey> = {
  activityOn: "advisorActivity.activityOn", kind: "advisorActivity.col.kind", organisationId: "advisorActivity.organisation",
  unitId: "advisorActivity.unit", peopleReached: "advisorActivity.peopleReached",
};

/** A kind in words; an unknown kind stays as it is. */
export function activityKindLabel(t: Translate, kind: string): string {
  const key = `advisorActivity.kind.${kind}`;
  return isMessageKey(key) ? t(key) : kind;
}

const day = (date: string) => `${date}T12:00:00Z`;

export function ActivitiesPage({ view }: { view: MyActivities }) {
  const { t, locale } = usePage();
  const number = (n: number) => new Intl.NumberFormat(locale === "nl" ? "nl-NL" : "en-GB").format(n);
  const { year, items } = view;
  const otherYears = view.years.filter((y) => y !== year);
  return (
    <Layout title={t("advisorActivity.title")} wide>
      <Paragraph>{t("advisorActivity.intro")}</Paragraph>
      <Paragraph><ButtonLink href={`${ACTIVITIES}/nieuw`} appearance="primary-action-button">{t("advisorActivity.new")}</ButtonLink></Paragraph>
      {items.length ? (
        <>
          <Paragraph data-testid="activity-summary">
            {items.length === 1
              ? t("advisorActivity.summaryOne", { year, people: number(view.peopleReached) })
              : t("advisorActivity.summary", { year, count: number(items.length), people: number(view.peopleReached) })}
          </Paragraph>
          {year === view.currentYear ? <Paragraph>{t("advisorActivity.correctHint")}</Paragraph> : null}
          <div className="intact-table-wrap">
            <Table data-testid="activity-table">
              <TableCaption>{t("advisorActivity.caption", { year })}</TableCaption>
              <TableHeader><TableRow>
                <TableHeaderCell scope="col">{t("advisorActivity.col.date")}</TableHeaderCell>
                <TableHeaderCell scope="col">{t("advisorActivity.col.kind")}</TableHeaderCell>
                {view.severalOrganisations ? <TableHeaderCell scope="col">{t("advisorActivity.col.organisation")}</TableHeaderCell> : null}
                <TableHeaderCell scope="col">{t("advisorActivity.col.unit")}</TableHeaderCell>
                <TableHeaderCell scope="col" numericColumn>{t("advisorActivity.col.people")}</TableHeaderCell>
                <TableHeaderCell scope="col"><span className="intact-visually-hidden">{t("advisorActivity.col.actions")}</span></TableHeaderCell>
              </TableRow></TableHeader>
              <TableBody>
                {items.map((a) => (
                  <TableRow key={a.id} data-activity={a.id}>
                    <TableHeaderCell scope="row">{formatDate(day(a.activityOn), locale)}</TableHeaderCell>
                    <TableCell>{activityKindLabel(t, a.kind)}</TableCell>
                    {view.severalOrganisations ? <TableCell>{a.organisationName}</TableCell> : null}
                    <TableCell>{a.unitName ?? t("advisorActivity.noUnit")}</TableCell>
                    <TableCell numericColumn>{number(a.peopleReached)}</TableCell>
                    <TableCell>{a.canDelete ? (
                      <Form action={`${ACTIVITIES}/${a.id}/verwijderen`} className="intact-inline-form">
                        <Button type="submit" appearance="secondary-action-button"
                          aria-label={t("advisorActivity.deleteLabel", { date: formatDate(day(a.activityOn), locale) })}>
                          {t("advisorActivity.delete")}
                        </Button>
                      </Form>
                    ) : null}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
              <TableFooter>
                <TableRow>
                  <TableHeaderCell scope="row" colSpan={view.severalOrganisations ? 4 : 3}>{t("advisorActivity.total")}</TableHeaderCell>
                  <TableCell numericColumn data-testid="activity-total">{number(view.peopleReached)}</TableCell>
                  <TableCell />
                </TableRow>
              </TableFooter>
            </Table>
          </div>
        </>
      ) : (
        <Paragraph data-testid="activity-empty">{t("advisorActivity.empty", { year })}</Paragraph>
      )}
      {otherYears.length ? (
        <>
          <Heading2>{t("advisorActivity.otherYears")}</Heading2>
          <ul className="utrecht-link-list">
            {otherYears.map((y) => (
              <li key={y} className="utrecht-link-list__item">
                <Link href={y === view.currentYear ? ACTIVITIES : `${ACTIVITIES}?jaar=${y}`}>{t("advisorActivity.yearLink", { year: y })}</Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Layout>
  );
}

export type ActivityValues = Record<string, string>;

/** The unit question: the units of every organisation in the pool, grouped by organisation when there are several. */
function UnitField({ form, value, errors }: { form: ActivityForm; value: string; errors: FieldErrors }) {
  const { t } = usePage();
  const id = fieldId("unitId");
  const error = errors.unitId;
  const several = form.organisations.length > 1;
  return (
    <FormField invalid={!!error} className="intact-field">
      <div className="utrecht-form-field__label">
        <FormLabel htmlFor={id}>{t("advisorActivity.unit")}<span className="intact-optional"> {t("field.optional")}</span></FormLabel>
      </div>
      <FormFieldDescription id={`${id}-hint`}>{t("advisorActivity.unitHint")}</FormFieldDescription>
      {error ? <FormFieldErrorMessage id={`${id}-error`}>{t(error)}</FormFieldErrorMessage> : null}
      <div className="utrecht-form-field__input">
        <Select id={id} name="unitId" defaultValue={value} invalid={!!error} aria-invalid={error ? true : undefined}
          aria-describedby={[`${id}-hint`, error ? `${id}-error` : ""].filter(Boolean).join(" ")}>
          <SelectOption value="">{t("advisorActivity.unitNone")}</SelectOption>
          {several
            ? form.organisations.filter((o) => o.units.length).map((o) => (
              <optgroup key={o.id} label={o.name}>
                {unitOptions(o.units).map((u) => <SelectOption key={u.value} value={u.value}>{u.label}</SelectOption>)}
              </optgroup>
            ))
            : unitOptions(form.organisations[0]?.units ?? []).map((u) => <SelectOption key={u.value} value={u.value}>{u.label}</SelectOption>)}
        </Select>
      </div>
    </FormField>
  );
}

/** The one-page form: date, kind, organisation (only asked when the pool has several), unit, people reached. */
/** `params`: the placeholders of an error message (the year of a published report). */
export function NewActivityPage({ form, values: v, errors, params }: { form: ActivityForm; values: ActivityValues; errors: FieldErrors; params?: Record<string, string | number> }) {
  const { t, locale } = usePage();
  const single = form.organisations.length === 1 ? form.organisations[0]! : null;
  const hasUnits = form.organisations.some((o) => o.units.length);
  return (
    <Layout title={t("advisorActivity.newTitle")}>
      <Paragraph><Link href={ACTIVITIES}>{t("advisorActivity.back")}</Link></Paragraph>
      <Paragraph>{t("advisorActivity.newIntro")}</Paragraph>
      <Form action={`${ACTIVITIES}/nieuw`}>
        <ErrorSummary errors={errors} labels={ACTIVITY_LABELS} params={params} />
        <TextField name="activityOn" label="advisorActivity.activityOn" hint="advisorActivity.activityOnHint" type="date" width="short"
          value={v.activityOn ?? form.today} errors={errors} params={params} hintParams={dateHintParams(form.today, locale)} />
        <RadioGroupField name="kind" legend="advisorActivity.kind" value={v.kind} errors={errors}
          options={ACTIVITY_KINDS.map((k) => ({ value: k, label: activityKindLabel(t, k) }))} />
        {single ? <input type="hidden" name="organisationId" value={single.id} /> : (
          <SelectField name="organisationId" label="advisorActivity.organisation" hint="advisorActivity.organisationHint"
            value={v.organisationId} empty={t("advisorActivity.chooseOrganisation")} errors={errors}
            options={form.organisations.map((o) => ({ value: o.id, label: o.name }))} />
        )}
        {hasUnits || errors.unitId ? <UnitField form={form} value={v.unitId ?? ""} errors={errors} /> : null}
        <TextField name="peopleReached" label="advisorActivity.peopleReached" hint="advisorActivity.peopleReachedHint"
          inputMode="numeric" width="short" autoComplete="off" value={v.peopleReached} errors={errors} />
        <div className="intact-actions"><Submit label="advisorActivity.save" /></div>
      </Form>
    </Layout>
  );
}
