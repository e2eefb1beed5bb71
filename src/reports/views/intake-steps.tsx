import { Alert, Button, DataList, DataListActions, DataListItem, DataListKey, DataListValue, Link, Paragraph } from "@utrecht/component-library-react";
import type { FieldErrors } from "../../http/errors.ts";
import { usePage } from "../../ui/context.tsx";
import { ErrorSummary, fieldId, Form, RadioGroupField, SelectField, Submit, TextAreaField, TextField } from "../../ui/forms.tsx";
import type { MessageKey, Translate } from "../../ui/messages.ts";
import type { IntakeTarget } from "../intake.ts";
import type { IntakeStep } from "../schema.ts";
import { HOW_KNOWN, KINDS, MODES } from "../workflow.ts";
import { draftUploads, FilesStepFields, formatSize, type AttachmentLimits } from "./attachments.tsx";
import {
  DraftLanguageSwitch, IDENTITY_FIELDS, IntakeLayout, intakeUrls, ROW_LABELS, stepFields, stepOfField, stepsFor, type Answers, type IntakeFlow,
} from "./intake-shared.tsx";

export const RELATIONS = ["employee", "former_employee", "hired", "external"] as const;

type StepProps = {
  target: IntakeTarget;
  /** The public flow or the signed-in one: its addresses, its ways to be known, its questions. */
  flow: IntakeFlow;
  step: IntakeStep;
  /** The answers so far with what was just typed on this page laid over them. */
  values: Answers;
  errors: FieldErrors;
  /** The sealed answers to carry on (without what was typed on this page when it did not pass). */
  draft: string;
  /** Opened from the check page with "Wijzigen": "Volgende" returns there. */
  fromCheck: boolean;
  title: string;
  /** The files step: the upload limits, a word on what just happened, and placeholders for an upload error. */
  files?: { limits: AttachmentLimits; notice?: string; params?: Record<string, string | number> };
  /** Why the reporter is back at the first question (a draft that did not open). */
  problem?: MessageKey;
};

/** One question per page, with "Volgende" (the form's first button, so Enter goes forward) and "Terug" as a real submit. */
export function IntakeStepPage({ target, flow, step, values, errors, draft, fromCheck, title, files, problem }: StepProps) {
  const { t } = usePage();
  const steps = stepsFor(values, flow);
  const n = steps.indexOf(step) + 1;
  const first = n === 1 && !fromCheck;
  return (
    <IntakeLayout target={target} title={title} home={flow.home}
      caption={<><span className="intact-caption__org">{target.organisation.name}</span> <span>{t("intake.progress", { n, total: steps.length })}</span></>}
      languageSwitch={<DraftLanguageSwitch flow={flow} draft={draft} step={step} fromCheck={fromCheck} />}>
      {problem ? <Alert type="warning" role="alert"><Paragraph>{t(problem)}</Paragraph></Alert> : null}
      {first && flow.kind === "account" ? <Paragraph>{t("mine.new.intro", { organisation: target.organisation.name })}</Paragraph> : null}
      {/* The files step sends its file with the answers: multipart, the sealed draft as one of its fields. */}
      <Form action={flow.step} multipart={step === "files"}>
        <ErrorSummary errors={errors} labels={step === "files" ? { file: "intake.files.choose" } : undefined} params={files?.params} />
        <input type="hidden" name="draft" value={draft} />
        <input type="hidden" name="step" value={step} />
        {fromCheck ? <input type="hidden" name="from" value="check" /> : null}
        {step === "files"
          ? <FilesStepFields uploads={draftUploads(values)} errors={errors} params={files?.params} notice={files?.notice}
            limits={files?.limits ?? { file: 0, total: 0, count: 0 }} />
          : <StepFields target={target} flow={flow} step={step} values={values} errors={errors} />}
        <div className="intact-actions">
          <Submit label="intake.next" name="nav" value="next" />
          {first ? <Link href={flow.back}>{t("form.back")}</Link> : <Submit label="form.back" name="nav" value="back" secondary />}
        </div>
      </Form>
    </IntakeLayout>
  );
}

const yesNo = (t: Translate) => [{ value: "yes", label: t("form.yes") }, { value: "no", label: t("form.no") }];

function StepFields({ target, flow, step, values, errors }: { target: IntakeTarget; flow: IntakeFlow; step: IntakeStep; values: Answers; errors: FieldErrors }) {
  const { t, locale } = usePage();
  const organisation = target.organisation.name;
  switch (step) {
    case "category": {
      const groups = KINDS.map((kind) => ({
        label: t(`intake.kind.${kind}`),
        options: target.categories.filter((c) => c.kind === kind).map((c) => ({ value: c.id, label: locale === "en" ? c.label_en : c.label_nl })),
      })).filter((g) => g.options.length);
      return <RadioGroupField name="categoryId" legend="intake.category.legend" hint="intake.category.hint" groups={groups} value={values.categoryId} errors={errors} />;
    }
    case "what":
      return <TextAreaField name="description" label="intake.what.label" hint="intake.what.hint" rows={12} value={values.description} errors={errors} />;
    case "when":
      return (
        <>
          <TextField name="occurredOn" label="intake.when.date" hint="intake.when.dateHint" width="short" optional value={values.occurredOn} errors={errors} />
          <TextField name="occurredWhen" label="intake.when.text" hint="intake.when.textHint" optional value={values.occurredWhen} errors={errors} />
        </>
      );
    case "where":
      return (
        <>
          {target.units.length ? (
            <SelectField name="unitId" label="intake.where.unit" optional value={values.unitId} empty={t("intake.where.unitNone")} errors={errors}
              options={[...target.units].sort((a, b) => a.name.localeCompare(b.name, "nl")).map((u) => ({ value: u.id, label: u.name }))} />
          ) : null}
          <TextField name="location" label="intake.where.location" hint="intake.where.locationHint" optional value={values.location} errors={errors} />
        </>
      );
    case "who":
      return <TextAreaField name="involved" label="intake.who.label" hint="intake.who.hint" rows={5} optional value={values.involved} errors={errors} />;
    case "how":
      return (
        <>
          <RadioGroupField name="howKnown" legend="intake.how.legend" value={values.howKnown} errors={errors}
            options={HOW_KNOWN.map((h) => ({ value: h, label: t(`intake.how.${h}`) }))} />
          <TextAreaField name="howKnownDetail" label="intake.how.detail" hint="intake.how.detailHint" rows={4} optional value={values.howKnownDetail} errors={errors} />
        </>
      );
    case "before":
      return (
        <>
          <RadioGroupField name="reportedBefore" legend="intake.before.legend" value={values.reportedBefore} errors={errors} options={yesNo(t)} />
          <TextAreaField name="reportedBeforeDetail" label="intake.before.detail" rows={4} optional value={values.reportedBeforeDetail} errors={errors} />
        </>
      );
    case "handler":
      return (
        <RadioGroupField name="concernsHandler" legend="intake.handler.legend" value={values.concernsHandler} errors={errors} options={yesNo(t)}
          hintText={t(target.hasAlternativeRecipient ? "intake.handler.hintAlternative" : "intake.handler.hintNoAlternative", { organisation })} />
      );
    case "files":
      return null;
    case "mode":
      return (
        <>
          <RadioGroupField name="mode" legend="intake.modeStep.legend" hint={flow.kind === "account" ? "mine.mode.hint" : "intake.modeStep.hint"}
            value={values.mode} errors={errors}
            options={flow.modes.map((m) => ({ value: m, label: t(`intake.mode.${m}`), hint: t(`intake.mode.${m}Hint`) }))} />
          {/* Signed in, a report is never anonymous: the way to that is the public form, after signing out. */}
          {flow.kind === "account" ? (
            <Paragraph>
              {t("mine.mode.anonymous")} <Link href={intakeUrls(target.organisation.slug).start}>{t("mine.anonymous.link")}</Link>
            </Paragraph>
          ) : null}
        </>
      );
    case "identity":
      return (
        <>
          <Paragraph>{t("intake.identity.intro")}</Paragraph>
          {flow.kind === "account" ? <Paragraph>{t("mine.identity.prefilled")}</Paragraph> : null}
          <TextField name="name" label="intake.identity.name" autoComplete="name" value={values.name} errors={errors} />
          <TextField name="email" label="intake.identity.email" type="email" autoComplete="email" optional value={values.email} errors={errors} />
          <TextField name="phone" label="intake.identity.phone" autoComplete="tel" optional value={values.phone} errors={errors} />
          <RadioGroupField name="relation" legend="intake.identity.relation" value={values.relation} errors={errors}
            options={RELATIONS.map((r) => ({ value: r, label: t(`intake.relation.${r}`) }))} />
        </>
      );
    case "notice":
      return (
        <>
          {values.mode === "anonymous" ? <Alert type="warning"><Paragraph>{t("intake.notice.anonymousWarning")}</Paragraph></Alert> : null}
          {/* No autofill: a browser would offer the reporter's own (often personal or work) address. */}
          <TextField name="noticeEmail" label="intake.notice.label" hint="intake.notice.hint" type="email" autoComplete="off" optional
            value={values.noticeEmail} errors={errors} />
        </>
      );
  }
}

// ---- check your answers ---------------------------------------------------------------------------

type Row = { step: IntakeStep; lines: string[] };

/** Every answer in the reader's words, one row per question. */
function summaryRows(target: IntakeTarget, flow: IntakeFlow, a: Answers, t: Translate, locale: string): Row[] {
  const category = target.categories.find((c) => c.id === a.categoryId);
  const unit = a.unitId ? target.units.find((u) => u.id === a.unitId)?.name ?? t("intake.check.unitUnknown") : "";
  const yn = (v: string | undefined) => (v === "yes" ? t("form.yes") : v === "no" ? t("form.no") : "");
  const label = (prefix: string, v: string | undefined, allowed: readonly string[]) =>
    v && allowed.includes(v) ? t(`${prefix}.${v}` as MessageKey) : "";
  const rows: Row[] = [
    { step: "category", lines: [category ? (locale === "en" ? category.label_en : category.label_nl) : ""] },
    { step: "what", lines: [a.description ?? ""] },
    { step: "when", lines: [a.occurredOn ?? "", a.occurredWhen ?? ""] },
    { step: "where", lines: [unit, a.location ?? ""] },
    { step: "who", lines: [a.involved ?? ""] },
    { step: "how", lines: [label("intake.how", a.howKnown, HOW_KNOWN), a.howKnownDetail ?? ""] },
    { step: "before", lines: [yn(a.reportedBefore), a.reportedBeforeDetail ?? ""] },
    { step: "handler", lines: [yn(a.concernsHandler)] },
    { step: "files", lines: draftUploads(a).length ? draftUploads(a).map((u) => `${u.name} (${formatSize(u.size, locale === "en" ? "en" : "nl")})`) : [t("intake.files.noneShort")] },
    { step: "mode", lines: [label("intake.mode", a.mode, MODES)] },
    { step: "identity", lines: [a.name ?? "", a.email ?? "", a.phone ?? "", label("intake.relation", a.relation, RELATIONS)] },
    { step: "notice", lines: [a.noticeEmail ?? ""] },
  ];
  const steps = stepsFor(a, flow);
  return rows.filter((r) => steps.includes(r.step)).map((r) => ({ ...r, lines: r.lines.filter((l) => l.trim() !== "") }));
}

/** The anchors the error summary links to: every field of a question, by its name in the whole report. */
const rowFields = (step: IntakeStep) =>
  step === "identity" ? IDENTITY_FIELDS.map((f) => `identity.${f}`) : step === "files" ? ["files", "file"] : stepFields(step);

export function IntakeCheckPage({ target, flow, answers, errors, draft, title }: {
  target: IntakeTarget; flow: IntakeFlow; answers: Answers; errors: FieldErrors; draft: string; title: string;
}) {
  const { t, locale } = usePage();
  const rows = summaryRows(target, flow, answers, t, locale);
  const labels = Object.fromEntries(Object.keys(errors).map((f) => [f, stepOfField(f)]).filter(([, s]) => s).map(([f, s]) => [f, ROW_LABELS[s as IntakeStep]]));
  const rowError = (step: IntakeStep) => Object.entries(errors).find(([f]) => stepOfField(f) === step)?.[1];
  return (
    <IntakeLayout target={target} title={title} caption={<span className="intact-caption__org">{target.organisation.name}</span>} home={flow.home}
      languageSwitch={<DraftLanguageSwitch flow={flow} draft={draft} step="check" />}>
      <ErrorSummary errors={errors} labels={labels} />
      <Paragraph>{t("intake.check.intro")}</Paragraph>
      <Form action={flow.step} className="intact-check">
        <input type="hidden" name="draft" value={draft} />
        <input type="hidden" name="step" value="check" />
        <input type="hidden" name="nav" value="goto" />
        <DataList className="intact-summary" data-testid="answers">
          {rows.map((r) => {
            const error = rowError(r.step);
            return (
              <DataListItem key={r.step} className={error ? "intact-summary__row intact-summary__row--error" : "intact-summary__row"}>
                <DataListKey>
                  {rowFields(r.step).map((f) => <span key={f} id={fieldId(f)} />)}
                  {t(ROW_LABELS[r.step])}
                </DataListKey>
                <DataListValue>
                  {error ? <span className="intact-summary__error">{t(error)}</span> : null}
                  {r.lines.length ? r.lines.map((l, i) => <span key={i} className="intact-line">{l}</span>) : <span className="intact-line">{t("intake.check.empty")}</span>}
                </DataListValue>
                <DataListActions>
                  <Button type="submit" name="target" value={r.step} appearance="secondary-action-button">
                    {t("intake.check.change")}<span className="intact-visually-hidden"> {t(ROW_LABELS[r.step])}</span>
                  </Button>
                </DataListActions>
              </DataListItem>
            );
          })}
        </DataList>
      </Form>
      <Form action={flow.send}>
        <input type="hidden" name="draft" value={draft} />
        <Paragraph>{t("intake.check.sendText")}</Paragraph>
        <div className="intact-actions">
          <Submit label="intake.check.send" />
        </div>
      </Form>
      <Form action={flow.step}>
        <input type="hidden" name="draft" value={draft} />
        <input type="hidden" name="step" value="check" />
        <div className="intact-actions"><Submit label="form.back" name="nav" value="back" secondary /></div>
      </Form>
    </IntakeLayout>
  );
}
