import { Heading2, Paragraph } from "@utrecht/component-library-react";
import type { AdvisorNaturesTable } from "../../db/schema.ts";
import type { FieldErrors } from "../../http/errors.ts";
import { OptionAddForm, OptionEditPage, OptionTable, type OptionWords } from "../../lists/views.tsx";
import { pickFields } from "../../organisations/views/shared.ts";
import { usePage } from "../../ui/context.tsx";
import { ErrorSummary, Form, Submit, TextField } from "../../ui/forms.tsx";
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
      {view.natures.length
        ? <OptionTable rows={view.natures} words={NATURE_WORDS} item="nature" href={(n) => natureUrl(n.id)} />
        : <Paragraph>{t("advisorSettings.noNatures")}</Paragraph>}
      <OptionAddForm action={`${ADVISOR_SETTINGS}/onderwerpen`} id="onderwerp-toevoegen" prefix={NATURE_PREFIX} words={NATURE_WORDS}
        errors={errors} values={natureValues} />
    </Layout>
  );
}

const NATURE_WORDS: OptionWords = {
  list: "advisorSettings.natures", labelNl: "advisorSettings.natureLabelNl", labelEn: "advisorSettings.natureLabelEn",
  labelEnHint: "advisorSettings.natureLabelEnHint", position: "advisorSettings.naturePosition", positionHint: "advisorSettings.naturePositionHint",
  active: "advisorSettings.natureActive", activeField: "advisorSettings.natureActiveField", edit: "advisorSettings.natureEdit",
  add: "advisorSettings.addNature", back: "advisorSettings.backToSettings",
};

/** One nature's edit form: names, order, and whether advisors can choose it. */
export function NaturePage({ nature, errors, values }: { nature: AdvisorNaturesTable; errors?: FieldErrors; values?: Record<string, string> }) {
  const { t } = usePage();
  return <OptionEditPage row={nature} title={t("advisorSettings.natureEditTitle", { name: nature.label_nl })} action={natureUrl(nature.id)}
    back={`${ADVISOR_SETTINGS}#onderwerpen`} words={NATURE_WORDS} errors={errors} values={values} />;
}
