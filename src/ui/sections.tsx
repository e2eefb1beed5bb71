import type { ReactNode } from "react";
import { DataListItem, DataListKey, DataListValue, Heading2 } from "@utrecht/component-library-react";
import type { MessageKey } from "./messages.ts";
import { usePage } from "./context.tsx";

// The parts a record page (a case, an advisor's contact) and a long form (registering a report, a contact) are
// built from, so every such page has the same landmarks and headings.

/** A titled region of a record page; `id` is its anchor (the page's "on this page" links point at it). */
export function PageSection({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section id={id} aria-labelledby={`${id}-title`} className="intact-case-section">
      <Heading2 id={`${id}-title`}>{title}</Heading2>
      {children}
    </section>
  );
}

/** One label and value in a data list. */
export function DataItem({ label, children }: { label: string; children: ReactNode }) {
  return <DataListItem><DataListKey>{label}</DataListKey><DataListValue>{children}</DataListValue></DataListItem>;
}

/** A group of a long form's fields under a heading that is also the group's legend. */
export function FormSection({ title, children }: { title: MessageKey; children: ReactNode }) {
  const { t } = usePage();
  return (
    <fieldset className="utrecht-form-fieldset__fieldset intact-form">
      <legend className="utrecht-form-fieldset__legend"><Heading2>{t(title)}</Heading2></legend>
      {children}
    </fieldset>
  );
}
