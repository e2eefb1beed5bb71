import type { ReactNode } from "react";
import {
  Button, Checkbox, FormField, FormFieldDescription, FormFieldErrorMessage, FormLabel, Heading2, Select, SelectOption, Textbox,
} from "@utrecht/component-library-react";
import { Fieldset, FieldsetLegend, RadioButton, Textarea } from "@utrecht/component-library-react";
import type { FieldErrors } from "../http/errors.ts";
import { usePage } from "./context.tsx";
import type { MessageKey } from "./messages.ts";

export const CsrfField = () => <input type="hidden" name="_csrf" value={usePage().csrfToken} />;

/** A POST form with its CSRF token. Works without JavaScript. */
export function Form({ action, children, multipart, className }: { action: string; children: ReactNode; multipart?: boolean; className?: string }) {
  return (
    <form method="post" action={action} encType={multipart ? "multipart/form-data" : undefined} noValidate className={className ?? "intact-form"}>
      <CsrfField />
      {children}
    </form>
  );
}

/** GOV.UK error summary: a heading, then a link to every field in error, at the top of the form. */
export function ErrorSummary({ errors, labels, params }: { errors: FieldErrors; labels?: Record<string, MessageKey>; params?: Record<string, string | number> }) {
  const { t } = usePage();
  const entries = Object.entries(errors);
  if (!entries.length) return null;
  return (
    <div className="intact-error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
      <Heading2 id="error-summary-title">{t("error.summaryTitle")}</Heading2>
      <ul>
        {entries.map(([field, key]) => (
          <li key={field}>
            {field === "_form" ? t(key, params) : <a href={`#${fieldId(field)}`}>{labels?.[field] ? `${t(labels[field])}: ` : ""}{t(key, params)}</a>}
          </li>
        ))}
      </ul>
    </div>
  );
}

export const fieldId = (name: string) => `field-${name.replace(/[^a-zA-Z0-9_-]/g, "-")}`;

type FieldProps = {
  name: string; label: MessageKey; hint?: MessageKey; errors?: FieldErrors; optional?: boolean;
  /** Values for placeholders in the error message (e.g. { max: 25 }). */
  params?: Record<string, string | number>;
  /** Values for placeholders in the hint (e.g. today's date as an example). */
  hintParams?: Record<string, string | number>;
};

function Field({ name, label, hint, errors, optional, params, hintParams, children, type }: FieldProps & { children: ReactNode; type?: string }) {
  const { t } = usePage();
  const id = fieldId(name);
  const error = errors?.[name];
  return (
    <FormField invalid={!!error} type={type} className="intact-field">
      <div className="utrecht-form-field__label">
        <FormLabel htmlFor={id} type={type === "checkbox" ? "checkbox" : undefined}>
          {t(label)}{optional ? <span className="intact-optional"> {t("field.optional")}</span> : null}
        </FormLabel>
      </div>
      {hint ? <FormFieldDescription id={`${id}-hint`}>{t(hint, hintParams)}</FormFieldDescription> : null}
      {error ? <FormFieldErrorMessage id={`${id}-error`}>{t(error, params)}</FormFieldErrorMessage> : null}
      <div className="utrecht-form-field__input">{children}</div>
    </FormField>
  );
}

const describedBy = (name: string, hint?: MessageKey, error?: string) =>
  [hint ? `${fieldId(name)}-hint` : "", error ? `${fieldId(name)}-error` : ""].filter(Boolean).join(" ") || undefined;

export function TextField(props: FieldProps & { value?: string | null; type?: "text" | "email" | "password" | "date" | "number"; autoComplete?: string; inputMode?: "numeric" | "text"; width?: "short" | "long" }) {
  const error = props.errors?.[props.name];
  return (
    <Field {...props}>
      <Textbox id={fieldId(props.name)} name={props.name} type={props.type ?? "text"} defaultValue={props.value ?? ""}
        invalid={!!error} aria-invalid={error ? true : undefined} aria-describedby={describedBy(props.name, props.hint, error)}
        autoComplete={props.autoComplete} inputMode={props.inputMode} required={!props.optional}
        className={props.width === "short" ? "intact-input--short" : undefined} />
    </Field>
  );
}

export function SelectField(props: FieldProps & { value?: string | null; options: { value: string; label: string }[]; empty?: string }) {
  const error = props.errors?.[props.name];
  return (
    <Field {...props}>
      <Select id={fieldId(props.name)} name={props.name} defaultValue={props.value ?? ""} invalid={!!error}
        aria-invalid={error ? true : undefined} aria-describedby={describedBy(props.name, props.hint, error)}>
        {props.empty !== undefined ? <SelectOption value="">{props.empty}</SelectOption> : null}
        {props.options.map((o) => <SelectOption key={o.value} value={o.value}>{o.label}</SelectOption>)}
      </Select>
    </Field>
  );
}

export function CheckboxField(props: FieldProps & { checked?: boolean }) {
  const { t } = usePage();
  const id = fieldId(props.name);
  const error = props.errors?.[props.name];
  return (
    <div className="intact-field intact-field--checkbox">
      {error ? <FormFieldErrorMessage id={`${id}-error`}>{t(error)}</FormFieldErrorMessage> : null}
      <Checkbox id={id} name={props.name} value="1" defaultChecked={props.checked} invalid={!!error}
        aria-invalid={error ? true : undefined} aria-describedby={describedBy(props.name, props.hint, error)} />
      <label htmlFor={id} className="utrecht-form-label utrecht-form-label--checkbox">{t(props.label)}</label>
      {props.hint ? <FormFieldDescription id={`${id}-hint`}>{t(props.hint)}</FormFieldDescription> : null}
    </div>
  );
}

export function FileField(props: FieldProps & { accept?: string; multiple?: boolean }) {
  const error = props.errors?.[props.name];
  return (
    <Field {...props}>
      <input id={fieldId(props.name)} name={props.name} type="file" accept={props.accept} multiple={props.multiple} className="intact-file"
        aria-invalid={error ? true : undefined} aria-describedby={describedBy(props.name, props.hint, error)} />
    </Field>
  );
}

export function Submit({ label, secondary, name, value }: { label: MessageKey; secondary?: boolean; name?: string; value?: string }) {
  const { t } = usePage();
  return <Button type="submit" name={name} value={value} appearance={secondary ? "secondary-action-button" : "primary-action-button"}>{t(label)}</Button>;
}

export function TextAreaField(props: FieldProps & { value?: string | null; rows?: number; maxLength?: number }) {
  const error = props.errors?.[props.name];
  return (
    <Field {...props}>
      <Textarea id={fieldId(props.name)} name={props.name} defaultValue={props.value ?? ""} rows={props.rows ?? 8} maxLength={props.maxLength}
        invalid={!!error} aria-invalid={error ? true : undefined} aria-describedby={describedBy(props.name, props.hint, error)}
        required={!props.optional} />
    </Field>
  );
}

export type RadioOption = { value: string; label: string; hint?: string };

/** A group of radio buttons in a fieldset: the legend asks the question, each option may have a hint.
 *  `groups` shows the options under sub-labels (still one question, one name). The first radio carries
 *  the field's id, so the error summary's link lands on it. */
export function RadioGroupField(props: {
  name: string; legend: MessageKey; hint?: MessageKey; errors?: FieldErrors; optional?: boolean; value?: string | null;
  options?: RadioOption[]; groups?: { label: string; options: RadioOption[] }[];
  /** A hint that is already translated (e.g. with the organisation's name in it); wins over `hint`. */
  hintText?: string;
}) {
  const { t } = usePage();
  const id = fieldId(props.name);
  const error = props.errors?.[props.name];
  const hint = props.hintText ?? (props.hint ? t(props.hint) : undefined);
  let index = 0;
  const radio = (o: RadioOption) => {
    const i = index++;
    const rid = i === 0 ? id : `${id}-${i}`;
    return (
      <div className="intact-radio" key={o.value}>
        <RadioButton id={rid} name={props.name} value={o.value} defaultChecked={props.value === o.value} invalid={!!error}
          aria-describedby={o.hint ? `${rid}-hint` : undefined} />
        <div className="intact-radio__text">
          <label htmlFor={rid} className="utrecht-form-label utrecht-form-label--radio">{o.label}</label>
          {o.hint ? <FormFieldDescription id={`${rid}-hint`}>{o.hint}</FormFieldDescription> : null}
        </div>
      </div>
    );
  };
  return (
    <Fieldset invalid={!!error} className="intact-field intact-radios"
      aria-describedby={[hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined}>
      <FieldsetLegend>
        {t(props.legend)}{props.optional ? <span className="intact-optional"> {t("field.optional")}</span> : null}
      </FieldsetLegend>
      {hint ? <FormFieldDescription id={`${id}-hint`}>{hint}</FormFieldDescription> : null}
      {error ? <FormFieldErrorMessage id={`${id}-error`}>{t(error)}</FormFieldErrorMessage> : null}
      {props.groups
        ? props.groups.map((g) => (
          <div className="intact-radio-group" key={g.label}>
            <p className="intact-radio-group__label">{g.label}</p>
            {g.options.map(radio)}
          </div>
        ))
        : (props.options ?? []).map(radio)}
    </Fieldset>
  );
}

/** Several checkboxes under one question (one name, repeated values). The fieldset carries the field's id,
 *  so the error summary's link lands on the group. Labels are plain text (already translated). */
export function CheckboxGroupField(props: {
  name: string; legend: MessageKey; hint?: MessageKey; errors?: FieldErrors; values?: string[];
  options: { value: string; label: string }[];
}) {
  const { t } = usePage();
  const id = fieldId(props.name);
  const error = props.errors?.[props.name];
  return (
    <Fieldset id={id} invalid={!!error} aria-describedby={describedBy(props.name, props.hint, error)} className="intact-field intact-checkboxes">
      <FieldsetLegend>{t(props.legend)}</FieldsetLegend>
      {props.hint ? <FormFieldDescription id={`${id}-hint`}>{t(props.hint)}</FormFieldDescription> : null}
      {error ? <FormFieldErrorMessage id={`${id}-error`}>{t(error)}</FormFieldErrorMessage> : null}
      {props.options.map((o, i) => (
        <div className="intact-field intact-field--checkbox" key={o.value}>
          <Checkbox id={`${id}-${i}`} name={props.name} value={o.value} defaultChecked={props.values?.includes(o.value)} />
          <label htmlFor={`${id}-${i}`} className="utrecht-form-label utrecht-form-label--checkbox">{o.label}</label>
        </div>
      ))}
    </Fieldset>
  );
}
