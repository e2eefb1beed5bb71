import {
  Heading2, Heading3, Link, Paragraph, Table, TableBody, TableCaption, TableCell, TableHeader, TableHeaderCell, TableRow,
} from "@utrecht/component-library-react";
import type { FieldErrors } from "../../http/errors.ts";
import { usePage } from "../../ui/context.tsx";
import { CheckboxField, ErrorSummary, Form, SelectField, Submit, TextField } from "../../ui/forms.tsx";
import { Layout } from "../../ui/layout.tsx";
import type { Overview } from "../service.ts";
import { orgKindLabel, orgKindOptions, pickFields, pickPrefix, unitKindLabel, unitKindOptions } from "./shared.ts";
import { buildTree, unitOptions, type TreeNode } from "./tree.ts";

/** Field names of the three forms on this page; the unit and position forms use a prefix so ids stay unique. */
export const SETTINGS_FIELDS = ["name", "slug", "kind", "totpRequired"];
export const UNIT_PREFIX = "unit.";
export const POSITION_PREFIX = "position.";

export type OverviewProps = {
  view: Overview;
  errors?: FieldErrors;
  /** What was posted, when the page is shown again after invalid input (prefixed names as in the form). */
  values?: Record<string, string>;
  /** Which form the values belong to. */
  form?: "settings" | "unit" | "position";
};

export function OverviewPage({ view, errors = {}, values = {}, form }: OverviewProps) {
  const { t } = usePage();
  const { organisation: org, counts, can } = view;
  const settings = form === "settings"
    ? { name: values.name ?? "", slug: values.slug ?? "", kind: values.kind ?? "", totpRequired: !!values.totpRequired }
    : { name: org.name, slug: org.slug, kind: org.kind, totpRequired: org.totp_required === 1 };
  const unitValues = form === "unit" ? values : {};
  const positionValues = form === "position" ? values : {};
  return (
    <Layout title={t("org.title")}>
      <Paragraph className="intact-counts" data-testid="org-counts">
        {t("org.counts", { units: counts.units, positions: counts.positions, people: counts.people, accounts: counts.accounts })}
      </Paragraph>

      <Heading2 id="instellingen">{t("org.settings")}</Heading2>
      <div className="intact-table-wrap">
        <Table>
          <TableCaption className="intact-visually-hidden">{t("org.settings")}</TableCaption>
          <TableBody>
            <TableRow><TableHeaderCell scope="row">{t("org.name")}</TableHeaderCell><TableCell>{org.name}</TableCell></TableRow>
            <TableRow><TableHeaderCell scope="row">{t("org.kind")}</TableHeaderCell><TableCell>{orgKindLabel(t, org.kind)}</TableCell></TableRow>
            <TableRow><TableHeaderCell scope="row">{t("org.slug")}</TableHeaderCell><TableCell><code>{org.slug}</code></TableCell></TableRow>
            <TableRow><TableHeaderCell scope="row">{t("org.totpRequiredShort")}</TableHeaderCell>
              <TableCell>{org.totp_required ? t("form.yes") : t("form.no")}</TableCell></TableRow>
          </TableBody>
        </Table>
      </div>
      {can.manage ? (
        <>
          <Heading3 id="instellingen-wijzigen">{t("org.editSettings")}</Heading3>
          <Form action="/beheer/organisatie/instellingen">
            <ErrorSummary errors={pickFields(errors, SETTINGS_FIELDS)} labels={{ name: "org.name", slug: "org.slug", kind: "org.kind", totpRequired: "org.totpRequired" }} />
            <TextField name="name" label="org.name" value={settings.name} errors={errors} />
            <TextField name="slug" label="org.slug" hint="org.slugHint" value={settings.slug} errors={errors} autoComplete="off" />
            <SelectField name="kind" label="org.kind" value={settings.kind} options={orgKindOptions(t)} errors={errors} />
            <CheckboxField name="totpRequired" label="org.totpRequired" checked={settings.totpRequired} errors={errors} />
            <div className="intact-actions"><Submit label="form.save" /></div>
          </Form>
        </>
      ) : null}

      <Heading2 id="eenheden">{t("org.units")}</Heading2>
      <Paragraph>{t("org.unitsIntro")}</Paragraph>
      {view.units.length ? (
        <div className="intact-tree" data-testid="unit-tree">
          <UnitList nodes={buildTree(view.units)} manage={can.manage} />
        </div>
      ) : <Paragraph>{t("org.noUnits")}</Paragraph>}
      {can.manage ? (
        <>
          <Heading3 id="eenheid-toevoegen">{t("org.addUnit")}</Heading3>
          <Form action="/beheer/organisatie/eenheden">
            <ErrorSummary errors={pickPrefix(errors, UNIT_PREFIX)}
              labels={{ "unit.name": "org.unitName", "unit.kind": "org.unitKind", "unit.parentId": "org.unitParent" }} />
            <TextField name="unit.name" label="org.unitName" value={unitValues["unit.name"]} errors={errors} />
            <SelectField name="unit.kind" label="org.unitKind" value={unitValues["unit.kind"] ?? "department"} options={unitKindOptions(t)} errors={errors} />
            <SelectField name="unit.parentId" label="org.unitParent" value={unitValues["unit.parentId"]} options={unitOptions(view.units)}
              empty={t("org.unitParentNone")} errors={errors} />
            <div className="intact-actions"><Submit label="org.addUnit" /></div>
          </Form>
        </>
      ) : null}

      <Heading2 id="functies">{t("org.positions")}</Heading2>
      {view.positions.length ? (
        <div className="intact-table-wrap">
          <Table>
            <TableCaption className="intact-visually-hidden">{t("org.positions")}</TableCaption>
            <TableHeader><TableRow>
              <TableHeaderCell scope="col">{t("org.positionTitle")}</TableHeaderCell>
              <TableHeaderCell scope="col">{t("org.positionCode")}</TableHeaderCell>
            </TableRow></TableHeader>
            <TableBody>
              {view.positions.map((p) => (
                <TableRow key={p.id}><TableCell>{p.title}</TableCell><TableCell>{p.code ?? "—"}</TableCell></TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      ) : <Paragraph>{t("org.noPositions")}</Paragraph>}
      {can.manage ? (
        <>
          <Heading3 id="functie-toevoegen">{t("org.addPosition")}</Heading3>
          <Form action="/beheer/organisatie/functies">
            <ErrorSummary errors={pickPrefix(errors, POSITION_PREFIX)} labels={{ "position.title": "org.positionTitle", "position.code": "org.positionCode" }} />
            <TextField name="position.title" label="org.positionTitle" value={positionValues["position.title"]} errors={errors} />
            <TextField name="position.code" label="org.positionCode" value={positionValues["position.code"]} errors={errors} optional width="short" />
            <div className="intact-actions"><Submit label="org.addPosition" /></div>
          </Form>
        </>
      ) : null}
    </Layout>
  );
}

function UnitList({ nodes, manage }: { nodes: TreeNode[]; manage: boolean }) {
  const { t } = usePage();
  return (
    <ul>
      {nodes.map(({ unit, children }) => (
        <li key={unit.id}>
          {manage ? <Link href={`/beheer/organisatie/eenheden/${unit.id}`}>{unit.name}</Link> : <span>{unit.name}</span>}
          {" "}<span className="intact-unit-kind">{`(${unitKindLabel(t, unit.kind)})`}</span>
          {children.length ? <UnitList nodes={children} manage={manage} /> : null}
        </li>
      ))}
    </ul>
  );
}
