import { Alert, DataList, DataListItem, DataListKey, DataListValue, Heading2, Heading3, Paragraph } from "@utrecht/component-library-react";
import type { ReportCategoriesTable, ReportMeasuresTable } from "../../db/schema.ts";
import type { FieldErrors } from "../../http/errors.ts";
import { pickFields } from "../../organisations/views/shared.ts";
import { usePage } from "../../ui/context.tsx";
import { ErrorSummary, Form, SelectField, Submit, TextField } from "../../ui/forms.tsx";
import { OptionAddForm, OptionEditPage, OptionTable, type OptionExtra, type OptionWords } from "../../lists/views.tsx";
import { Layout } from "../../ui/layout.tsx";
import { isMessageKey, type Translate } from "../../ui/messages.ts";
import type { ReportSettingsView } from "../settings.ts";
import { KINDS } from "../workflow.ts";

/** Field names of the two forms on the settings page; the category form uses a prefix so ids stay unique. */
export const SETTINGS_FIELDS = ["alternativeAccountId", "retentionYears"];
export const CATEGORY_PREFIX = "category.";
export const MEASURE_PREFIX = "measure.";

/** A category's kind in words; an unknown kind stays as it is. */
export function categoryKindLabel(t: Translate, kind: string): string {
  const key = `reportSettings.kind.${kind}`;
  return isMessageKey(key) ? t(key) : kind;
}
const kindOptions = (t: Translate) => KINDS.map((k) => ({ value: k, label: categoryKindLabel(t, k) }));

export type ReportSettingsProps = {
  view: ReportSettingsView;
  errors?: FieldErrors;
  /** What was posted, when the page is shown again after invalid input (prefixed names as in the form). */
  values?: Record<string, string>;
  form?: "settings" | "category" | "measure";
};

export function ReportSettingsPage({ view, errors = {}, values = {}, form }: ReportSettingsProps) {
  const { t } = usePage();
  const settings = form === "settings"
    ? { alternativeAccountId: values.alternativeAccountId ?? "", retentionYears: values.retentionYears ?? "" }
    : { alternativeAccountId: view.alternativeAccountId ?? "", retentionYears: String(view.retentionYears) };
  return (
    <Layout title={t("reportSettings.title")} wide>
      <Paragraph>{t("reportSettings.intro")}</Paragraph>

      <Heading2 id="adres">{t("reportSettings.addresses")}</Heading2>
      <Paragraph>{t("reportSettings.addressesIntro")}</Paragraph>
      <DataList className="intact-datalist intact-desk-addresses">
        <DataListItem>
          <DataListKey>{t("reportSettings.intakeAddress")}</DataListKey>
          <DataListValue><code className="intact-address" data-testid="intake-address">{view.intakeUrl}</code></DataListValue>
        </DataListItem>
        <DataListItem>
          <DataListKey>{t("reportSettings.mailboxAddress")}</DataListKey>
          <DataListValue><code className="intact-address" data-testid="mailbox-address">{view.mailboxUrl}</code></DataListValue>
        </DataListItem>
      </DataList>

      <Heading2 id="instellingen">{t("reportSettings.settings")}</Heading2>
      <Heading3 id="behandelaars">{t("reportSettings.alternativeTitle")}</Heading3>
      <Paragraph>{t("reportSettings.alternativeIntro")}</Paragraph>
      {!view.alternativeAccountId ? (
        <Alert type="warning" data-testid="no-alternative">
          <Paragraph>{t("reportSettings.noAlternativeWarning")}</Paragraph>
        </Alert>
      ) : !view.alternativeValid ? (
        <Alert type="warning" data-testid="alternative-invalid">
          <Paragraph>{t("reportSettings.alternativeNoLongerValid", { name: view.alternativeName ?? "—" })}</Paragraph>
        </Alert>
      ) : null}
      {!view.coordinators.length ? <Paragraph>{t("reportSettings.noCoordinators")}</Paragraph> : null}
      <Form action="/beheer/meldpunt/instellingen">
        <ErrorSummary errors={pickFields(errors, SETTINGS_FIELDS)}
          labels={{ alternativeAccountId: "reportSettings.alternativeAccount", retentionYears: "reportSettings.retentionYears" }} />
        <SelectField name="alternativeAccountId" label="reportSettings.alternativeAccount" hint="reportSettings.alternativeHint"
          value={settings.alternativeAccountId} options={view.coordinators.map((c) => ({ value: c.id, label: c.name }))}
          empty={t("reportSettings.alternativeNone")} errors={errors} />
        <TextField name="retentionYears" label="reportSettings.retentionYears" hint="reportSettings.retentionHint"
          value={settings.retentionYears} inputMode="numeric" width="short" autoComplete="off" errors={errors} />
        <div className="intact-actions"><Submit label="reportSettings.saveSettings" /></div>
      </Form>

      <Heading2 id="onderwerpen">{t("reportSettings.categories")}</Heading2>
      <Paragraph>{t("reportSettings.categoriesIntro")}</Paragraph>
      {view.categories.length
        ? <OptionTable rows={view.categories} words={CATEGORY_WORDS} item="category" href={(c) => `/beheer/meldpunt/categorieen/${c.id}`} extra={kindExtra(t)} />
        : <Paragraph>{t("reportSettings.noCategories")}</Paragraph>}
      <OptionAddForm action="/beheer/meldpunt/categorieen" id="onderwerp-toevoegen" prefix={CATEGORY_PREFIX} words={CATEGORY_WORDS}
        errors={errors} values={form === "category" ? values : {}} extra={kindExtra(t)} />

      <Heading2 id="maatregelen">{t("reportSettings.measures")}</Heading2>
      <Paragraph>{t("reportSettings.measuresIntro")}</Paragraph>
      {view.measures.length
        ? <OptionTable rows={view.measures} words={MEASURE_WORDS} item="measure" href={(m) => `/beheer/meldpunt/maatregelen/${m.id}`} />
        : <Paragraph>{t("reportSettings.noMeasures")}</Paragraph>}
      <OptionAddForm action="/beheer/meldpunt/maatregelen" id="maatregel-toevoegen" prefix={MEASURE_PREFIX} words={MEASURE_WORDS}
        errors={errors} values={form === "measure" ? values : {}} />
    </Layout>
  );
}

const CATEGORY_WORDS: OptionWords = {
  list: "reportSettings.categories", labelNl: "reportSettings.categoryLabelNl", labelEn: "reportSettings.categoryLabelEn",
  labelEnHint: "reportSettings.categoryLabelEnHint", position: "reportSettings.categoryPosition", positionHint: "reportSettings.categoryPositionHint",
  active: "reportSettings.categoryActive", activeField: "reportSettings.categoryActiveField", edit: "reportSettings.categoryEdit",
  add: "reportSettings.addCategory", back: "reportSettings.backToSettings",
};
const MEASURE_WORDS: OptionWords = {
  ...CATEGORY_WORDS, list: "reportSettings.measures", labelNl: "reportSettings.measureLabelNl", labelEn: "reportSettings.measureLabelEn",
  labelEnHint: "reportSettings.measureLabelEnHint", activeField: "reportSettings.measureActiveField", add: "reportSettings.addMeasure",
};

/** A category's kind: a column in the table and a choice in the forms. */
const kindExtra = (t: Translate): OptionExtra<ReportCategoriesTable> => ({
  name: "kind", label: "reportSettings.categoryKind",
  cell: (c) => categoryKindLabel(t, c.kind),
  value: (c) => c.kind,
  field: (value, errors, name) => (
    <SelectField name={name} label="reportSettings.categoryKind" hint="reportSettings.categoryKindHint" value={value}
      options={kindOptions(t)} empty={value ? undefined : t("reportSettings.chooseKind")} errors={errors} />
  ),
});

/** One category's edit form: names, kind, order, and whether reporters can choose it. */
export function CategoryPage({ category, errors, values }: { category: ReportCategoriesTable; errors?: FieldErrors; values?: Record<string, string> }) {
  const { t } = usePage();
  return <OptionEditPage row={category} title={t("reportSettings.categoryEditTitle", { name: category.label_nl })} action={`/beheer/meldpunt/categorieen/${category.id}`}
    back="/beheer/meldpunt#onderwerpen" words={CATEGORY_WORDS} errors={errors} values={values} extra={kindExtra(t)} />;
}

/** One measure's edit form: names, order, and whether handlers can choose it. */
export function MeasurePage({ measure, errors, values }: { measure: ReportMeasuresTable; errors?: FieldErrors; values?: Record<string, string> }) {
  const { t } = usePage();
  return <OptionEditPage row={measure} title={t("reportSettings.measureEditTitle", { name: measure.label_nl })} action={`/beheer/meldpunt/maatregelen/${measure.id}`}
    back="/beheer/meldpunt#maatregelen" words={MEASURE_WORDS} errors={errors} values={values} />;
}
