import {
  Alert, DataList, DataListItem, DataListKey, DataListValue, Heading2, Heading3, Link, Paragraph,
  Table, TableBody, TableCaption, TableCell, TableHeader, TableHeaderCell, TableRow,
} from "@utrecht/component-library-react";
import type { ReportCategoriesTable, ReportMeasuresTable } from "../../db/schema.ts";
import type { FieldErrors } from "../../http/errors.ts";
import { pickFields, pickPrefix } from "../../organisations/views/shared.ts";
import { usePage } from "../../ui/context.tsx";
import { CheckboxField, ErrorSummary, Form, SelectField, Submit, TextField } from "../../ui/forms.tsx";
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
  const categoryValues = form === "category" ? values : {};
  const measureValues = form === "measure" ? values : {};
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
      {view.categories.length ? <CategoryTable categories={view.categories} /> : <Paragraph>{t("reportSettings.noCategories")}</Paragraph>}

      <Heading3 id="onderwerp-toevoegen">{t("reportSettings.addCategory")}</Heading3>
      <Form action="/beheer/meldpunt/categorieen">
        <ErrorSummary errors={pickPrefix(errors, CATEGORY_PREFIX)} labels={{
          "category.labelNl": "reportSettings.categoryLabelNl", "category.labelEn": "reportSettings.categoryLabelEn", "category.kind": "reportSettings.categoryKind",
        }} />
        <TextField name="category.labelNl" label="reportSettings.categoryLabelNl" value={categoryValues["category.labelNl"]} errors={errors} />
        <TextField name="category.labelEn" label="reportSettings.categoryLabelEn" hint="reportSettings.categoryLabelEnHint"
          value={categoryValues["category.labelEn"]} errors={errors} optional />
        <SelectField name="category.kind" label="reportSettings.categoryKind" hint="reportSettings.categoryKindHint"
          value={categoryValues["category.kind"] ?? ""} options={kindOptions(t)} empty={t("reportSettings.chooseKind")} errors={errors} />
        <div className="intact-actions"><Submit label="reportSettings.addCategory" /></div>
      </Form>

      <Heading2 id="maatregelen">{t("reportSettings.measures")}</Heading2>
      <Paragraph>{t("reportSettings.measuresIntro")}</Paragraph>
      {view.measures.length ? <MeasureTable measures={view.measures} /> : <Paragraph>{t("reportSettings.noMeasures")}</Paragraph>}

      <Heading3 id="maatregel-toevoegen">{t("reportSettings.addMeasure")}</Heading3>
      <Form action="/beheer/meldpunt/maatregelen">
        <ErrorSummary errors={pickPrefix(errors, MEASURE_PREFIX)} labels={{
          "measure.labelNl": "reportSettings.measureLabelNl", "measure.labelEn": "reportSettings.measureLabelEn",
        }} />
        <TextField name="measure.labelNl" label="reportSettings.measureLabelNl" value={measureValues["measure.labelNl"]} errors={errors} />
        <TextField name="measure.labelEn" label="reportSettings.measureLabelEn" hint="reportSettings.measureLabelEnHint"
          value={measureValues["measure.labelEn"]} errors={errors} optional />
        <div className="intact-actions"><Submit label="reportSettings.addMeasure" /></div>
      </Form>
    </Layout>
  );
}

function CategoryTable({ categories }: { categories: ReportCategoriesTable[] }) {
  const { t } = usePage();
  return (
    <div className="intact-table-wrap">
      <Table data-testid="category-table">
        <TableCaption className="intact-visually-hidden">{t("reportSettings.categories")}</TableCaption>
        <TableHeader><TableRow>
          <TableHeaderCell scope="col">{t("reportSettings.categoryPosition")}</TableHeaderCell>
          <TableHeaderCell scope="col">{t("reportSettings.categoryLabelNl")}</TableHeaderCell>
          <TableHeaderCell scope="col">{t("reportSettings.categoryLabelEn")}</TableHeaderCell>
          <TableHeaderCell scope="col">{t("reportSettings.categoryKind")}</TableHeaderCell>
          <TableHeaderCell scope="col">{t("reportSettings.categoryActive")}</TableHeaderCell>
          <TableHeaderCell scope="col"><span className="intact-visually-hidden">{t("reportSettings.categoryEdit")}</span></TableHeaderCell>
        </TableRow></TableHeader>
        <TableBody>
          {categories.map((c) => (
            <TableRow key={c.id} data-category={c.code} className={c.active ? undefined : "intact-category--inactive"}>
              <TableCell>{c.position}</TableCell>
              <TableHeaderCell scope="row">{c.label_nl}</TableHeaderCell>
              <TableCell lang="en">{c.label_en}</TableCell>
              <TableCell>{categoryKindLabel(t, c.kind)}</TableCell>
              <TableCell>{c.active ? t("form.yes") : t("form.no")}</TableCell>
              <TableCell>
                <Link href={`/beheer/meldpunt/categorieen/${c.id}`}>
                  {t("reportSettings.categoryEdit")}<span className="intact-visually-hidden"> {c.label_nl}</span>
                </Link>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

export type CategoryPageProps = {
  category: ReportCategoriesTable;
  errors?: FieldErrors;
  values?: Record<string, string>;
};

/** One category's edit form: names, kind, order, and whether reporters can choose it. */
export function CategoryPage({ category, errors = {}, values }: CategoryPageProps) {
  const { t } = usePage();
  const v = values
    ? { ...values, active: !!values.active }
    : { labelNl: category.label_nl, labelEn: category.label_en, kind: category.kind, position: String(category.position), active: category.active === 1 };
  return (
    <Layout title={t("reportSettings.categoryEditTitle", { name: category.label_nl })}>
      <Paragraph><Link href="/beheer/meldpunt#onderwerpen">{t("reportSettings.backToSettings")}</Link></Paragraph>
      <Form action={`/beheer/meldpunt/categorieen/${category.id}`}>
        <ErrorSummary errors={pickFields(errors, ["labelNl", "labelEn", "kind", "position", "active", "_form"])} labels={{
          labelNl: "reportSettings.categoryLabelNl", labelEn: "reportSettings.categoryLabelEn", kind: "reportSettings.categoryKind",
          position: "reportSettings.categoryPosition", active: "reportSettings.categoryActive",
        }} />
        <TextField name="labelNl" label="reportSettings.categoryLabelNl" value={v.labelNl} errors={errors} />
        <TextField name="labelEn" label="reportSettings.categoryLabelEn" hint="reportSettings.categoryLabelEnHint" value={v.labelEn} errors={errors} optional />
        <SelectField name="kind" label="reportSettings.categoryKind" hint="reportSettings.categoryKindHint" value={v.kind} options={kindOptions(t)} errors={errors} />
        <TextField name="position" label="reportSettings.categoryPosition" hint="reportSettings.categoryPositionHint" value={v.position}
          inputMode="numeric" width="short" autoComplete="off" errors={errors} />
        <CheckboxField name="active" label="reportSettings.categoryActiveField" checked={v.active} errors={errors} />
        <div className="intact-actions"><Submit label="form.save" /></div>
      </Form>
    </Layout>
  );
}

function MeasureTable({ measures }: { measures: ReportMeasuresTable[] }) {
  const { t } = usePage();
  return (
    <div className="intact-table-wrap">
      <Table data-testid="measure-table">
        <TableCaption className="intact-visually-hidden">{t("reportSettings.measures")}</TableCaption>
        <TableHeader><TableRow>
          <TableHeaderCell scope="col">{t("reportSettings.categoryPosition")}</TableHeaderCell>
          <TableHeaderCell scope="col">{t("reportSettings.measureLabelNl")}</TableHeaderCell>
          <TableHeaderCell scope="col">{t("reportSettings.measureLabelEn")}</TableHeaderCell>
          <TableHeaderCell scope="col">{t("reportSettings.categoryActive")}</TableHeaderCell>
          <TableHeaderCell scope="col"><span className="intact-visually-hidden">{t("reportSettings.categoryEdit")}</span></TableHeaderCell>
        </TableRow></TableHeader>
        <TableBody>
          {measures.map((m) => (
            <TableRow key={m.id} data-measure={m.code} className={m.active ? undefined : "intact-category--inactive"}>
              <TableCell>{m.position}</TableCell>
              <TableHeaderCell scope="row">{m.label_nl}</TableHeaderCell>
              <TableCell lang="en">{m.label_en}</TableCell>
              <TableCell>{m.active ? t("form.yes") : t("form.no")}</TableCell>
              <TableCell>
                <Link href={`/beheer/meldpunt/maatregelen/${m.id}`}>
                  {t("reportSettings.categoryEdit")}<span className="intact-visually-hidden"> {m.label_nl}</span>
                </Link>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

/** One measure's edit form: names, order, and whether handlers can choose it. */
export function MeasurePage({ measure, errors = {}, values }: { measure: ReportMeasuresTable; errors?: FieldErrors; values?: Record<string, string> }) {
  const { t } = usePage();
  const v = values
    ? { ...values, active: !!values.active }
    : { labelNl: measure.label_nl, labelEn: measure.label_en, position: String(measure.position), active: measure.active === 1 };
  return (
    <Layout title={t("reportSettings.measureEditTitle", { name: measure.label_nl })}>
      <Paragraph><Link href="/beheer/meldpunt#maatregelen">{t("reportSettings.backToSettings")}</Link></Paragraph>
      <Form action={`/beheer/meldpunt/maatregelen/${measure.id}`}>
        <ErrorSummary errors={pickFields(errors, ["labelNl", "labelEn", "position", "active", "_form"])} labels={{
          labelNl: "reportSettings.measureLabelNl", labelEn: "reportSettings.measureLabelEn",
          position: "reportSettings.categoryPosition", active: "reportSettings.categoryActive",
        }} />
        <TextField name="labelNl" label="reportSettings.measureLabelNl" value={v.labelNl} errors={errors} />
        <TextField name="labelEn" label="reportSettings.measureLabelEn" hint="reportSettings.measureLabelEnHint" value={v.labelEn} errors={errors} optional />
        <TextField name="position" label="reportSettings.categoryPosition" hint="reportSettings.categoryPositionHint" value={v.position}
          inputMode="numeric" width="short" autoComplete="off" errors={errors} />
        <CheckboxField name="active" label="reportSettings.measureActiveField" checked={v.active} errors={errors} />
        <div className="intact-actions"><Submit label="form.save" /></div>
      </Form>
    </Layout>
  );
}
