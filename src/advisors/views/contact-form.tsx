import {
  FormField, FormFieldDescription, FormFieldErrorMessage, FormLabel, Link, Paragraph, Select, SelectOption,
} from "@utrecht/component-library-react";
import type { FieldErrors } from "../../http/errors.ts";
import { unitOptions } from "../../organisations/views/tree.ts";
import { usePage } from "../../ui/context.tsx";
import {
  CheckboxGroupField, ErrorSummary, fieldId, Form, RadioGroupField, SelectField, Submit, TextField,
} from "../../ui/forms.tsx";
import { Layout } from "../../ui/layout.tsx";
import type { Locale, MessageKey, Translate } from "../../ui/messages.ts";
import type { ContactForm } from "../service.ts";
import { FOLLOW_UPS, FORMS, RELATIONS } from "../vocabulary.ts";
import { dateHintParams, natureLabel, vocabularyLabel } from "./labels.ts";
import { FormSection } from "../../ui/sections.tsx";

// The register form: one page, for an advisor who has just had the conversation and wants it counted in
// under a minute. Defaults do the typical contact: today, the only organisation, 1 person, 1 conversation,
// 60 minutes. The answers that describe the contact (who, what about, how, what next) have no default, so
// a figure in the yearly report is never a default nobody looked at. No field takes a name.

/** The form's fields as posted: strings, and the natures as a list. */
export type ContactValues = {
  contactOn?: string; organisationId?: string; unitId?: string; relation?: string; people?: string; natures?: string[]; form?: string;
  conversations?: string; minutes?: string; followUp?: string;
};

export const CONTACT_LABELS: Record<string, MessageKey> = {
  contactOn: "contacts.field.contactOn", organisationId: "contacts.field.organisation", unitId: "contacts.field.unit",
  relation: "contacts.field.relation", people: "contacts.field.people", natures: "contacts.field.natures", form: "contacts.field.form",
  conversations: "contacts.field.conversations", minutes: "contacts.field.minutes", followUp: "contacts.field.followUp",
};

/** The defaults of a new contact. */
export const contactDefaults = (form: ContactForm): ContactValues => ({
  contactOn: form.today, organisationId: form.organisations.length === 1 ? form.organisations[0]!.id : "",
  unitId: "", people: "1", conversations: "1", minutes: "60", natures: [],
});

/** The natures to offer. A contact's natures must belong to its organisation (the service checks), and the
 *  checkboxes cannot follow an organisation chosen in the same form without JavaScript. So the form offers
 *  every nature of the pool once, by code: organisations of one pool (a region's municipalities) normally
 *  share the Rotterdam preset, and then this is simply their list. A nature that only some of them have
 *  says so in its label ("… (alleen bij Gemeente X)"); choosing it for another organisation is refused
 *  with a message, and the form comes back with everything typed. */
export function natureOptions(form: ContactForm, t: Translate, locale: Locale): { value: string; label: string }[] {
  const byCode = new Map<string, { label: string; organisations: string[] }>();
  for (const o of form.organisations) {
    for (const n of o.natures) {
      const entry = byCode.get(n.code) ?? { label: natureLabel(n, locale), organisations: [] };
      entry.organisations.push(o.name);
      byCode.set(n.code, entry);
    }
  }
  return [...byCode].map(([code, e]) => ({
    value: code,
    label: e.organisations.length === form.organisations.length ? e.label : t("contacts.field.natureOnlyIn", { label: e.label, organisations: e.organisations.join(", ") }),
  }));
}

/** With several organisations, the units under one heading per organisation (the service checks that the
 *  unit belongs to the chosen organisation). */
function GroupedUnitField({ form, value, errors }: { form: ContactForm; value: string; errors: FieldErrors }) {
  const { t } = usePage();
  const id = fieldId("unitId");
  const error = errors.unitId;
  return (
    <FormField invalid={!!error} className="intact-field">
      <div className="utrecht-form-field__label">
        <FormLabel htmlFor={id}>{t("contacts.field.unit")}<span className="intact-optional"> {t("field.optional")}</span></FormLabel>
      </div>
      <FormFieldDescription id={`${id}-hint`}>{t("contacts.field.unitHint")}</FormFieldDescription>
      {error ? <FormFieldErrorMessage id={`${id}-error`}>{t(error)}</FormFieldErrorMessage> : null}
      <div className="utrecht-form-field__input">
        <Select id={id} name="unitId" defaultValue={value} invalid={!!error} aria-invalid={error ? true : undefined}
          aria-describedby={[`${id}-hint`, error ? `${id}-error` : ""].filter(Boolean).join(" ")}>
          <SelectOption value="">{t("contacts.field.unitNone")}</SelectOption>
          {form.organisations.filter((o) => o.units.length).map((o) => (
            <optgroup key={o.id} label={o.name}>
              {unitOptions(o.units).map((u) => <SelectOption key={u.value} value={u.value}>{u.label}</SelectOption>)}
            </optgroup>
          ))}
        </Select>
      </div>
    </FormField>
  );
}

/** `params`: the placeholders of an error message (the year of a published report). */
export function ContactFormPage({ form, values: v, errors, params }: { form: ContactForm; values: ContactValues; errors: FieldErrors; params?: Record<string, string | number> }) {
  const { t, locale } = usePage();
  const only = form.organisations.length === 1 ? form.organisations[0]! : null;
  const hasUnits = form.organisations.some((o) => o.units.length);
  return (
    <Layout title={t("contacts.new.title")}>
      <Paragraph><Link href="/contacten">{t("contacts.back")}</Link></Paragraph>
      <Paragraph>{t("contacts.new.intro")}</Paragraph>
      <Form action="/contacten/nieuw">
        <ErrorSummary errors={errors} labels={CONTACT_LABELS} params={params} />

        <FormSection title="contacts.section.contact">
          <TextField name="contactOn" label="contacts.field.contactOn" hint="contacts.field.contactOnHint" type="date" width="short"
            value={v.contactOn} errors={errors} params={params} hintParams={dateHintParams(form.today, locale)} />
          {only ? (
            <>
              <input type="hidden" name="organisationId" value={only.id} />
              <Paragraph>{t("contacts.field.organisationFixed", { organisation: only.name })}</Paragraph>
            </>
          ) : (
            <SelectField name="organisationId" label="contacts.field.organisation" value={v.organisationId} errors={errors}
              empty={t("contacts.field.organisationChoose")} options={form.organisations.map((o) => ({ value: o.id, label: o.name }))} />
          )}
          {only && only.units.length ? (
            <SelectField name="unitId" label="contacts.field.unit" hint="contacts.field.unitHint" optional value={v.unitId} errors={errors}
              empty={t("contacts.field.unitNone")} options={unitOptions(only.units)} />
          ) : null}
          {!only && hasUnits ? <GroupedUnitField form={form} value={v.unitId ?? ""} errors={errors} /> : null}
          <RadioGroupField name="relation" legend="contacts.field.relation" value={v.relation} errors={errors}
            options={RELATIONS.map((r) => ({ value: r, label: vocabularyLabel(t, "advisor.relation", r) }))} />
          <TextField name="people" label="contacts.field.people" hint="contacts.field.peopleHint" inputMode="numeric" width="short"
            value={v.people} errors={errors} />
        </FormSection>

        <FormSection title="contacts.section.about">
          <CheckboxGroupField name="natures" legend="contacts.field.natures" hint="contacts.field.naturesHint" values={v.natures ?? []} errors={errors}
            options={natureOptions(form, t, locale)} />
        </FormSection>

        <FormSection title="contacts.section.time">
          <RadioGroupField name="form" legend="contacts.field.form" value={v.form} errors={errors}
            options={FORMS.map((f) => ({ value: f, label: vocabularyLabel(t, "advisor.form", f) }))} />
          <TextField name="conversations" label="contacts.field.conversations" inputMode="numeric" width="short" value={v.conversations} errors={errors} />
          <TextField name="minutes" label="contacts.field.minutes" hint="contacts.field.minutesHint" inputMode="numeric" width="short"
            value={v.minutes} errors={errors} />
        </FormSection>

        <FormSection title="contacts.section.followUp">
          <RadioGroupField name="followUp" legend="contacts.field.followUp" value={v.followUp} errors={errors}
            options={FOLLOW_UPS.map((f) => ({ value: f, label: vocabularyLabel(t, "advisor.followUp", f) }))} />
        </FormSection>

        <div className="intact-actions"><Submit label="contacts.new.submit" /></div>
      </Form>
    </Layout>
  );
}
