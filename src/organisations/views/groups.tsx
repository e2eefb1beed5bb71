import { Heading2, Heading3, Paragraph, UnorderedList, UnorderedListItem } from "@utrecht/component-library-react";
import type { FieldErrors } from "../../http/errors.ts";
import { usePage } from "../../ui/context.tsx";
import { ErrorSummary, Form, SelectField, Submit, TextField } from "../../ui/forms.tsx";
import { Layout } from "../../ui/layout.tsx";
import type { GroupsView } from "../service.ts";
import { groupKindLabel, groupKindOptions, orgKindLabel, orgKindOptions, pickPrefix } from "./shared.ts";

/** Each group has its own forms on this page, so their field names carry the group id (unique ids). */
export const GROUP_PREFIX = "group.";
export const newOrgPrefix = (groupId: string) => `org-${groupId}.`;
export const memberPrefix = (groupId: string) => `member-${groupId}.`;

export type GroupsProps = { view: GroupsView; errors?: FieldErrors; values?: Record<string, string> };

export function GroupsPage({ view, errors = {}, values = {} }: GroupsProps) {
  const { t } = usePage();
  return (
    <Layout title={t("org.groups")}>
      <Paragraph>{t("org.groupIntro")}</Paragraph>
      {view.groups.length ? null : <Paragraph>{t("org.noGroups")}</Paragraph>}
      {view.groups.map((g) => {
        const o = newOrgPrefix(g.id), m = memberPrefix(g.id);
        const memberIds = new Set(g.members.map((x) => x.id));
        const candidates = view.candidates.filter((c) => !memberIds.has(c.id));
        return (
          <section key={g.id} className="intact-group" aria-labelledby={`group-${g.id}`} data-testid="group">
            <Heading2 id={`group-${g.id}`}>{g.name} <span className="intact-unit-kind">{`(${groupKindLabel(t, g.kind)})`}</span></Heading2>
            <Heading3>{t("org.groupMembers")}</Heading3>
            <UnorderedList>
              {g.members.map((x) => <UnorderedListItem key={x.id}>{x.name} <span className="intact-unit-kind">{`(${orgKindLabel(t, x.kind)})`}</span></UnorderedListItem>)}
            </UnorderedList>

            <Heading3>{t("org.createInGroup")}</Heading3>
            <Form action={`/beheer/samenwerking/${g.id}/organisaties`}>
              <ErrorSummary errors={pickPrefix(errors, o)} labels={{ [`${o}name`]: "org.name", [`${o}kind`]: "org.kind" }} />
              <TextField name={`${o}name`} label="org.name" value={values[`${o}name`]} errors={errors} />
              <SelectField name={`${o}kind`} label="org.kind" value={values[`${o}kind`] ?? "municipality"} options={orgKindOptions(t)} errors={errors} />
              <div className="intact-actions"><Submit label="org.create" /></div>
            </Form>

            <Heading3>{t("org.groupAddMember")}</Heading3>
            {candidates.length || pickPrefix(errors, m)[`${m}organisationId`] ? (
              <Form action={`/beheer/samenwerking/${g.id}/leden`}>
                <ErrorSummary errors={pickPrefix(errors, m)} labels={{ [`${m}organisationId`]: "org.groupMemberOrganisation" }} />
                <SelectField name={`${m}organisationId`} label="org.groupMemberOrganisation" value={values[`${m}organisationId`]}
                  options={candidates.map((c) => ({ value: c.id, label: c.name }))} empty={t("org.groupMemberChoose")} errors={errors} />
                <div className="intact-actions"><Submit label="org.groupAddMember" /></div>
              </Form>
            ) : <Paragraph>{t("org.groupNoCandidates")}</Paragraph>}
          </section>
        );
      })}

      {view.can.createGroup ? (
        <>
          <Heading2 id="nieuw-verband">{t("org.groupCreate")}</Heading2>
          <Paragraph>{t("org.groupCreateIntro")}</Paragraph>
          <Form action="/beheer/samenwerking">
            <ErrorSummary errors={pickPrefix(errors, GROUP_PREFIX)} labels={{ "group.name": "org.groupName", "group.kind": "org.groupKind" }} />
            <TextField name="group.name" label="org.groupName" value={values["group.name"]} errors={errors} />
            <SelectField name="group.kind" label="org.groupKind" value={values["group.kind"] ?? "region"} options={groupKindOptions(t)} errors={errors} />
            <div className="intact-actions"><Submit label="org.groupCreate" /></div>
          </Form>
        </>
      ) : null}
    </Layout>
  );
}
