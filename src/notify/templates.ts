import { z } from "zod";
import { formatDate } from "../ui/format.ts";
import { translator, type Locale } from "../ui/messages.ts";

// Subject and plain-text body of every e-mail, from the message catalogue. A template takes only the
// values its schema allows: references, dates, links and the organisation's name — never what a report or
// a message says, never a person's name. The params are checked when a mail is queued and again when it
// is rendered, so nothing else can slip into a mail or into the outbox table.

const url = z.string().url().max(500);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const reference = z.string().regex(/^[\w-]{1,40}$/);

export const TEMPLATES = {
  /** To a reporter: there is something new in the mailbox. No reference for an anonymous reporter. */
  "mailbox.newMessage": z.object({
    organisation: z.string().min(1).max(200), url, reference: reference.optional(), via: z.enum(["receipt", "account"]),
  }).strict(),
  /** To a handler: the acknowledgement (7 days) is due soon or overdue. */
  "reminder.acknowledgement": z.object({
    organisation: z.string().min(1).max(200), reference, dueOn: isoDate, state: z.enum(["dueSoon", "dueToday", "overdue"]), url,
  }).strict(),
  /** To a handler: the feedback (3 months after the acknowledgement) is due soon or overdue. */
  "reminder.feedback": z.object({
    organisation: z.string().min(1).max(200), reference, dueOn: isoDate, state: z.enum(["dueSoon", "dueToday", "overdue"]), url,
  }).strict(),
  /** To a coordinator: a report was handed over to them as the alternative recipient (it concerns a handler). */
  "case.handedOver": z.object({ organisation: z.string().min(1).max(200), reference, url }).strict(),
} as const;

export type TemplateName = keyof typeof TEMPLATES;
export type TemplateParams<T extends TemplateName> = z.input<(typeof TEMPLATES)[T]>;
export type Rendered = { subject: string; text: string };

export const isTemplate = (name: string): name is TemplateName => Object.prototype.hasOwnProperty.call(TEMPLATES, name);

export function checkParams<T extends TemplateName>(template: T, params: unknown): TemplateParams<T> {
  return TEMPLATES[template].parse(params) as TemplateParams<T>;
}

/** The e-mail for a template in a language. Throws on unknown templates or params outside the schema. */
export function render(template: string, locale: Locale, raw: unknown): Rendered {
  if (!isTemplate(template)) throw new Error(`Unknown e-mail template: ${template}`);
  const t = translator(locale);
  const footer = `\n\n-- \n${t("notify.footer")}\n`;
  if (template === "mailbox.newMessage") {
    const p = TEMPLATES[template].parse(raw);
    const intro = p.reference ? t("notify.mailbox.introReference", { reference: p.reference, organisation: p.organisation })
      : t("notify.mailbox.intro", { organisation: p.organisation });
    const open = p.via === "receipt" ? t("notify.mailbox.openReceipt") : t("notify.mailbox.openAccount");
    return {
      subject: t("notify.mailbox.subject"),
      text: `${intro}\n\n${open}\n${p.url}\n\n${t("notify.mailbox.noContent")}${footer}`,
    };
  }
  if (template === "case.handedOver") {
    const p = TEMPLATES[template].parse(raw);
    const vars = { reference: p.reference, organisation: p.organisation };
    return {
      subject: t("notify.handedOver.subject", vars),
      text: `${t("notify.handedOver.body", vars)}\n\n${t("notify.reminder.open")}\n${p.url}\n\n${t("notify.handedOver.noContent")}${footer}`,
    };
  }
  const p = TEMPLATES[template].parse(raw);
  const overdue = p.state === "overdue";
  const vars = { reference: p.reference, due: formatDate(p.dueOn, locale), organisation: p.organisation };
  const ack = template === "reminder.acknowledgement";
  const subject = ack ? t(overdue ? "notify.reminder.ackSubjectOverdue" : "notify.reminder.ackSubjectSoon", vars)
    : t(overdue ? "notify.reminder.feedbackSubjectOverdue" : "notify.reminder.feedbackSubjectSoon", vars);
  const body = ack ? t(overdue ? "notify.reminder.ackBodyOverdue" : "notify.reminder.ackBodySoon", vars)
    : t(overdue ? "notify.reminder.feedbackBodyOverdue" : "notify.reminder.feedbackBodySoon", vars);
  return {
    subject,
    text: `${body}\n\n${t("notify.reminder.open")}\n${p.url}\n\n${t("notify.reminder.why", vars)}${footer}`,
  };
}
