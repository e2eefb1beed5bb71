import { Alert, Checkbox, FormFieldDescription, FormFieldErrorMessage, Link, Paragraph } from "@utrecht/component-library-react";
import type { FieldErrors } from "../../http/errors.ts";
import { unitOptions } from "../../organisations/views/tree.ts";
import { usePage } from "../../ui/context.tsx";
import { formatDate } from "../../ui/format.ts";
import { ErrorSummary, fieldId, Form, RadioGroupField, SelectField, Submit, TextAreaField, TextField } from "../../ui/forms.tsx";
import { Layout } from "../../ui/layout.tsx";
import type { MessageKey } from "../../ui/messages.ts";
import type { RegisterForm } from "../register.ts";
import { REGISTER_CHANNELS } from "../register.ts";
import { HOW_KNOWN, KINDS, MODES } from "../workflow.ts";
import { codeLabel, dayInstant } from "./case-labels.ts";
import { RELATIONS } from "./intake-steps.tsx";
import { FormSection } from "../../ui/sections.tsx";

// The desk's form for a report that came in another way: every question of the intake on one page, in
// fieldsets, for a coordinator who has the answers in front of them (a letter, notes of a phone call).

export type RegisterValues = Record<string, string>;

/** Every field on the form, for the error summary. */
export const REGISTER_LABELS: Record<string, MessageKey> = {
  channel: "register.channel", receivedOn: "register.receivedOn", consent: "register.consent", categoryId: "register.category",
  description: "register.description", occurredOn: "register.occurredOn", occurredWhen: "register.occurredWhen", unitId: "register.unit",
  location: "register.location", involved: "register.involved", howKnown: "register.howKnown", howKnownDetail: "register.howKnownDetail",
  reportedBefore: "register.reportedBefore", reportedBeforeDetail: "register.reportedBeforeDetail", concernsHandler: "register.concernsHandler",
  mode: "register.mode", name: "register.name", email: "register.email", phone: "register.phone", relation: "register.relation",
  locale: "register.locale", receipt: "register.receipt",
};

/** A checkbox with its hint and error tied to it (ui/forms' CheckboxField has neither). */
function Tick({ name, label, hint, checked, errors }: { name: string; label: MessageKey; hint: MessageKey; checked: boolean; errors: FieldErrors }) {
  const { t } = usePage();
  const id = fieldId(name);
  const error = errors[name];
  return (
    <div className="intact-field">
      {error ? <FormFieldErrorMessage id={`${id}-error`}>{t(error)}</FormFieldErrorMessage> : null}
      <div className="intact-field intact-field--checkbox">
        <Checkbox id={id} name={name} value="1" defaultChecked={checked} invalid={!!error} aria-invalid={error ? true : undefined}
          aria-describedby={[`${id}-hint`, error ? `${id}-error` : ""].filter(Boolean).join(" ")} />
        <label htmlFor={id} className="utrecht-form-label utrecht-form-label--checkbox">{t(label)}</label>
      </div>
      <FormFieldDescription id={`${id}-hint`}>{t(hint)}</FormFieldDescription>
    </div>
  );
}

export function RegisterPage({ form, values: v, errors }: { form: RegisterForm; values: RegisterValues; errors: FieldErrors }) {
  const { t, locale } = usePage();
  const yesNo = [{ value: "yes", label: t("form.yes") }, { value: "no", label: t("form.no") }];
  const categories = KINDS.map((kind) => ({
    label: t(`intake.kind.${kind}`),
    options: form.categories.filter((c) => c.kind === kind).map((c) => ({ value: c.id, label: locale === "en" ? c.label_en : c.label_nl })),
  })).filter((g) => g.options.length);
  return (
    <Layout title={t("register.title")}>
      <Paragraph><Link href="/meldingen">{t("register.back")}</Link></Paragraph>
      <Paragraph>{t("register.intro")}</Paragraph>
      <Form action="/meldingen/nieuw">
        <ErrorSummary errors={errors} labels={REGISTER_LABELS} />

        <FormSection title="register.section.arrival">
          <RadioGroupField name="channel" legend="register.channel" value={v.channel} errors={errors}
            options={REGISTER_CHANNELS.map((c) => ({ value: c, label: codeLabel(t, "case.channel", c) }))} />
          <TextField name="receivedOn" label="register.receivedOn" hint="register.receivedOnHint" type="date" width="short"
            value={v.receivedOn ?? form.today} errors={errors} />
          <Tick name="consent" label="register.consent" hint="register.consentHint" checked={v.consent === "1"} errors={errors} />
        </FormSection>

        <FormSection title="register.section.content">
          <RadioGroupField name="categoryId" legend="register.category" groups={categories} value={v.categoryId} errors={errors} />
          <TextAreaField name="description" label="register.description" hint="register.descriptionHint" rows={12} value={v.description} errors={errors} />
          <TextField name="occurredOn" label="register.occurredOn" hint="register.occurredOnHint" type="date" width="short" optional
            value={v.occurredOn} errors={errors} />
          <TextField name="occurredWhen" label="register.occurredWhen" hint="register.occurredWhenHint" optional value={v.occurredWhen} errors={errors} />
          {form.units.length ? (
            <SelectField name="unitId" label="register.unit" optional value={v.unitId} empty={t("register.unitNone")} errors={errors}
              options={unitOptions(form.units)} />
          ) : null}
          <TextField name="location" label="register.location" optional value={v.location} errors={errors} />
          <TextAreaField name="involved" label="register.involved" hint="register.involvedHint" rows={4} optional value={v.involved} errors={errors} />
          <RadioGroupField name="howKnown" legend="register.howKnown" value={v.howKnown} errors={errors}
            options={HOW_KNOWN.map((h) => ({ value: h, label: codeLabel(t, "case.howKnown", h) }))} />
          <TextAreaField name="howKnownDetail" label="register.howKnownDetail" rows={3} optional value={v.howKnownDetail} errors={errors} />
          <RadioGroupField name="reportedBefore" legend="register.reportedBefore" value={v.reportedBefore} errors={errors} options={yesNo} />
          <TextAreaField name="reportedBeforeDetail" label="register.reportedBeforeDetail" rows={3} optional value={v.reportedBeforeDetail} errors={errors} />
        </FormSection>

        <FormSection title="register.section.handler">
          <RadioGroupField name="concernsHandler" legend="register.concernsHandler" value={v.concernsHandler ?? "no"} errors={errors} options={yesNo}
            hint={form.hasAlternativeRecipient ? "register.concernsHandlerHint" : "register.concernsHandlerHintNone"} />
        </FormSection>

        <FormSection title="register.section.reporter">
          <RadioGroupField name="mode" legend="register.mode" value={v.mode} errors={errors}
            options={MODES.map((m) => ({ value: m, label: codeLabel(t, "case.mode", m), hint: m === "anonymous" ? t("register.modeAnonymousHint") : undefined }))} />
          <fieldset className="utrecht-form-fieldset__fieldset intact-form" aria-describedby="register-identity-hint">
            <legend className="utrecht-form-fieldset__legend">{t("register.identity")}</legend>
            <FormFieldDescription id="register-identity-hint">{t("register.identityHint")}</FormFieldDescription>
            <TextField name="name" label="register.name" autoComplete="off" value={v.name} errors={errors} />
            <TextField name="email" label="register.email" type="email" autoComplete="off" optional value={v.email} errors={errors} />
            <TextField name="phone" label="register.phone" autoComplete="off" optional value={v.phone} errors={errors} />
            <RadioGroupField name="relation" legend="register.relation" value={v.relation} errors={errors}
              options={RELATIONS.map((r) => ({ value: r, label: codeLabel(t, "case.relation", r) }))} />
          </fieldset>
          <RadioGroupField name="locale" legend="register.locale" hint="register.localeHint" value={v.locale ?? "nl"} errors={errors}
            options={(["nl", "en"] as const).map((l) => ({ value: l, label: t(`register.locale.${l}`) }))} />
        </FormSection>

        <FormSection title="register.section.code">
          <Tick name="receipt" label="register.receipt" hint="register.receiptHint" checked={v.receipt === "1"} errors={errors} />
        </FormSection>

        <div className="intact-actions"><Submit label="register.submit" /></div>
      </Form>
    </Layout>
  );
}

export type RegisteredView = {
  reference: string; reportId: string; receiptGrouped: string; mailboxUrl: string; ackDueOn: string; minutes: boolean; visible: boolean;
};

/** Shown once, in the response to the form: the receipt is never in a URL, a cookie or a log, and cannot be shown again. */
export function RegisteredPage({ done, title }: { done: RegisteredView; title: string }) {
  const { t, locale } = usePage();
  return (
    <Layout title={title}>
      <section className="intact-receipt-panel" aria-labelledby="receipt-label">
        <p id="receipt-label" className="intact-receipt-panel__label">{t("register.done.codeLabel")}</p>
        <p className="intact-receipt" data-testid="receipt">{done.receiptGrouped}</p>
      </section>
      <Alert type="warning">
        <Paragraph>{t("register.done.keepCode")}</Paragraph>
        <Paragraph>{t("register.done.dontKeep")}</Paragraph>
      </Alert>
      <Paragraph>{t("register.done.mailbox", { url: done.mailboxUrl })}</Paragraph>
      {done.minutes ? <Paragraph>{t("register.done.minutes")}</Paragraph> : null}
      {done.visible ? (
        <>
          <Paragraph>{t("register.done.ack", { date: formatDate(dayInstant(done.ackDueOn), locale) })}</Paragraph>
          <Paragraph><Link href={`/meldingen/${done.reportId}`}>{t("register.done.toCase")}</Link></Paragraph>
        </>
      ) : (
        <>
          <Alert type="info"><Paragraph>{t("register.done.elsewhere")}</Paragraph></Alert>
          <Paragraph><Link href="/meldingen">{t("register.done.toInbox")}</Link></Paragraph>
        </>
      )}
    </Layout>
  );
}
