import {
  Heading2, Heading3, Link, Paragraph, Table, TableBody, TableCaption, TableCell, TableHeader, TableHeaderCell, TableRow,
} from "@utrecht/component-library-react";
import type { AdvisorNaturesTable } from "../../db/schema.ts";
import type { FieldErrors } from "../../http/errors.ts";
import { pickFields, pickPrefix } from "../../organisations/views/shared.ts";
import { usePage } from "../../ui/context.tsx";
import { CheckboxField, ErrorSummary, Form, Submit, TextField } from "../../ui/forms.tsx";
import { Layout } from "../../ui/layout.tsx";
import type { AdvisorSettingsView } from "../settings.ts";

// The advisors' settings page for the organisation's administrator: retention of notes, the report's
// threshold, and the natures a contact can carry. It configures the register; it shows no contact and no count.

export const ADVISOR_SETTINGS = "/beheer/vertrouwenspersonen";
export const SETTINGS_FIELDS = ["notesRetentionMonths", "suppressionThreshold"];
export const NATURE_PREFIX = "nature.";
export const natureUrl = (id: string) => `${ADVISOR_SETTINGS}/onderwerpen/${id}`;

export type AdvisorSettingsProps = {
  view: AdvisorSettingsView;
  errors?: FieldErrors;
  /** What was posted, when the page is shown again after invalid input (prefixed names as in the form). */
  values?: Record<string, string>;
  form?: "settings" | "nature";
};

export function AdvisorSettingsPage({ view, errors = {}, values = {}, form }: AdvisorSettingsProps) {
  const { t } = usePage();
  const settings = form === "settings"
    ? { notesRetentionMonths: values.notesRetentionMonths ?? "", suppressionThreshold: values.suppressionThreshold ?? "" }
    : { notesRetentionMonths: String(view.notesRetentionMonths), suppressionThreshold: String(view.suppressionThreshold) };
  const natureValues = form === "nature" ? values : {};
  return (
    <Layout title={t("advisorSettings.heading")} wide>
      <Paragraph>{t("advisorSettings.intro")}</Paragraph>

      <Heading2 id="instellingen">{t("advisorSettings.settings")}</Heading2>
      <Form action={`${ADVISOR_SETTINGS}/instellingen`}>
        <ErrorSummary errors={pickFields(errors, SETTINGS_FIELDS)}
          labels={{ notesRetentionMonths: "advisorSettings.retentionMonths", suppressionThreshold: "advisorSettings.threshold" }} />
        <TextField name="notesRetentionMonths" label="advisorSettings.retentionMonths" hint="advisorSettings.retentionHint"
          value={settings.notesRetentionMonths} inputMode="numeric" width="short" autoComplete="off" errors={errors} />
        <TextField name="suppressionThreshold" label="advisorSettings.threshold" hint="advisorSettings.thresholdHint"
          value={settings.suppressionThreshold} inputMode="numeric" width="short" autoComplete="off" errors={errors} />
        <div className="intact-actions"><Submit label="advisorSettings.saveSettings" /></div>
      </Form>

      <Heading2 id="onderwerpen">{t("advisorSettings.natures")}</Heading2>
      <Paragraph>{t("advisorSettings.naturesIntro")}</Paragraph>
      {view.natures.length ? <NatureTable natures={view.natures} /> : <Paragraph>{t("advisorSettings.noNatures")}</Paragraph>}

      <Heading3 id="onderwerp-toevoegen">{t("advisorSettings.addNature")}</Heading3>
      <Form action={`${ADVISOR_SETTINGS}/onderwerpen`}>
        <ErrorSummary errors={pickPrefix(errors, NATURE_PREFIX)} labels={{
          "nature.labelNl": "advisorSettings.natureLabelNl", "nature.labelEn": "advisorSettings.natureLabelEn",
        }} />
        <TextField name="nature.labelNl" label="advisorSettings.natureLabelNl" value={natureValues["nature.labelNl"]} errors={errors} />
        <TextField name="nature.labelEn" label="advisorSettings.natureLabelEn" hint="advisorSettings.natureLabelEnHint"
          value={natureValues["nature.labelEn"]} errors={errors} optional />
        <div className="intact-actions"><Submit label="advisorSettings.addNature" /></div>
      </Form>
    </Layout>
  );
}

function NatureTable({ natures }: { natures: AdvisorNaturesTable[] }) {
  const { t } = usePage();
  return (
    <div className="intact-table-wrap">
      <Table data-testid="nature-table">
        <TableCaption className="intact-visually-hidden">{t("advisorSettings.natures")}</TableCaption>
        <TableHeader><TableRow>
          <TableHeaderCell scope="col">{t("advisorSettings.naturePosition")}</TableHeaderCell>
          <TableHeaderCell scope="col">{t("advisorSettings.natureLabelNl")}</TableHeaderCell>
          <TableHeaderCell scope="col">{t("advisorSettings.natureLabelEn")}</TableHeaderCell>
          <TableHeaderCell scope="col">{t("advisorSettings.natureActive")}</TableHeaderCell>
          <TableHeaderCell scope="col"><span className="intact-visually-hidden">{t("advisorSettings.natureEdit")}</span></TableHeaderCell>
        </TableRow></TableHeader>
        <TableBody>
          {natures.map((n) => (
            <TableRow key={n.id} data-nature={n.code} className={n.active ? undefined : "intact-category--inactive"}>
              <TableCell>{n.position}</TableCell>
              <TableHeaderCell scope="row">{n.label_nl}</TableHeaderCell>
              <TableCell lang="en">{n.label_en}</TableCell>
              <TableCell>{n.active ? t("form.yes") : t("form.no")}</TableCell>
              <TableCell>
                <Link href={natureUrl(n.id)}>
                  {t("advisorSettings.natureEdit")}<span className="intact-visually-hidden"> {n.label_nl}</span>
                </Link>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

/** One nature's edit form: names, order, and whether advisors can choose it. */
export function NaturePage({ nature, errors = {}, values }: { nature: AdvisorNaturesTable; errors?: FieldErrors; values?: Record<string, string> }) {
  const { t } = usePage();
  const v = values
    ? { ...values, active: !!values.active }
    : { labelNl: nature.label_nl, labelEn: nature.label_en, position: String(nature.position), active: nature.active === 1 };
  return (
    <Layout title={t("advisorSettings.natureEditTitle", { name: nature.label_nl })}>
      <Paragraph><Link href={`${ADVISOR_SETTINGS}#onderwerpen`}>{t("advisorSettings.backToSettings")}</Link></Paragraph>
      <Form action={natureUrl(nature.id)}>
        <ErrorSummary errors={pickFields(errors, ["labelNl", "labelEn", "position", "active", "_form"])} labels={{
          labelNl: "advisorSettings.natureLabelNl", labelEn: "advisorSettings.natureLabelEn",
          position: "advisorSettings.naturePosition", active: "advisorSettings.natureActive",
        }} />
        <TextField name="labelNl" label="advisorSettings.natureLabelNl" value={v.labelNl} errors={errors} />
        <TextField name="labelEn" label="advisorSettings.natureLabelEn" hint="advisorSettings.natureLabelEnHint" value={v.labelEn} errors={errors} optional />
        <TextField name="position" label="advisorSettings.naturePosition" hint="advisorSettings.naturePositionHint" value={v.position}
          inputMode="numeric" width="short" autoComplete="off" errors={errors} />
        <CheckboxField name="active" label="advisorSettings.natureActiveField" checked={v.active} errors={errors} />
        <div className="intact-actions"><Submit label="form.save" /></div>
      </Form>
    </Layout>
  );
}
