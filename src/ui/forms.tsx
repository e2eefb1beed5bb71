import type { ReactNode } from "react";
import {
  Button, Checkbox, FormField, FormFieldDescription, FormFieldErrorMessage, FormLabel, Heading2, Select, SelectOption, Textbox,
} from "@utrecht/component-library-react";
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
export function ErrorSummary({ errors, labels }: { errors: FieldErrors; labels?: Record<string, MessageKey> }) {
  const { t } = usePage();
  const entries = Object.entries(errors);
  if (!entries.length) return null;
  return (
    <div className="intact-error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
      <Heading2 id="error-summary-title">{t("error.summaryTitle")}</Heading2>
      <ul>
        {entries.map(([field, key]) => (
          <li key={field}>
            {field === "_form" ? t(key) : <a href={`#${fieldId(field)}`}>{labels?.[field] ? `${t(labels[field])}: ` : ""}{t(key)}</a>}
          </li>
        ))}
      </ul>
    </div>
  );
}

export const fieldId = (name: string) => `field-${name.replace(/[^a-zA-Z0-9_-]/g, "-")}`;

type FieldProps = { name: string; label: MessageKey; hint?: MessageKey; errors?: FieldErrors; optional?: boolean };

function Field({ name, label, hint, errors, optional, children, type }: FieldProps & { children: ReactNode; type?: string }) {
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
      {hint ? <FormFieldDescription id={`${id}-hint`}>{t(hint)}</FormFieldDescription> : null}
      {error ? <FormFieldErrorMessage id={`${id}-error`}>{t(error)}</FormFieldErrorMessage> : null}
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
  return (
    <div className="intact-field intact-field--checkbox">
      <Checkbox id={id} name={props.name} value="1" defaultChecked={props.checked} />
      <label htmlFor={id} className="utrecht-form-label utrecht-form-label--checkbox">{t(props.label)}</label>
    </div>
  );
}

export function FileField(props: FieldProps & { accept?: string }) {
  const error = props.errors?.[props.name];
  return (
    <Field {...props}>
      <input id={fieldId(props.name)} name={props.name} type="file" accept={props.accept} className="intact-file"
        aria-invalid={error ? true : undefined} aria-describedby={describedBy(props.name, props.hint, error)} />
    </Field>
  );
}

export function Submit({ label, secondary, name, value }: { label: MessageKey; secondary?: boolean; name?: string; value?: string }) {
  const { t } = usePage();
  return <Button type="submit" name={name} value={value} appearance={secondary ? "secondary-action-button" : "primary-action-button"}>{t(label)}</Button>;
}
