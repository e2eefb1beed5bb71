import type { ReactNode } from "react";
import {
  Heading3, Link, Paragraph, Table, TableBody, TableCaption, TableCell, TableHeader, TableHeaderCell, TableRow,
} from "@utrecht/component-library-react";
import type { FieldErrors } from "../http/errors.ts";
import { pickFields, pickPrefix } from "../organisations/views/shared.ts";
import { usePage } from "../ui/context.tsx";
import { CheckboxField, ErrorSummary, Form, Submit, TextField } from "../ui/forms.tsx";
import { Layout } from "../ui/layout.tsx";
import type { MessageKey } from "../ui/messages.ts";
import type { OptionRow } from "./option-list.ts";

// The parts of a settings page for a list the administrator keeps (option-list.ts): the table with an edit
// link per entry, the form to add one, and one entry's edit page. Each list brings its own words.

export type OptionWords = {
  /** The list's name: the table's caption. */
  list: MessageKey;
  labelNl: MessageKey; labelEn: MessageKey; labelEnHint: MessageKey;
  position: MessageKey; positionHint: MessageKey; active: MessageKey; activeField: MessageKey;
  edit: MessageKey; add: MessageKey; back: MessageKey;
};

/** A field one list has besides the names (the report categories' kind). */
export type OptionExtra<Row> = {
  name: string; label: MessageKey;
  /** The value in the table. */
  cell: (row: Row) => ReactNode;
  /** The form field, with its current value. */
  field: (value: string, errors: FieldErrors, name: string) => ReactNode;
  value: (row: Row) => string;
};

export function OptionTable<Row extends OptionRow>({ rows, words, item, href, extra }: {
  /** What an entry is called in markup: the table is `data-testid="<item>-table"`, a row carries `data-<item>="<code>"`. */
  rows: Row[]; words: OptionWords; item: string; href: (row: Row) => string; extra?: OptionExtra<Row>;
}) {
  const { t } = usePage();
  return (
    <div className="intact-table-wrap">
      <Table data-testid={`${item}-table`}>
        <TableCaption className="intact-visually-hidden">{t(words.list)}</TableCaption>
        <TableHeader><TableRow>
          <TableHeaderCell scope="col">{t(words.position)}</TableHeaderCell>
          <TableHeaderCell scope="col">{t(words.labelNl)}</TableHeaderCell>
          <TableHeaderCell scope="col">{t(words.labelEn)}</TableHeaderCell>
          {extra ? <TableHeaderCell scope="col">{t(extra.label)}</TableHeaderCell> : null}
          <TableHeaderCell scope="col">{t(words.active)}</TableHeaderCell>
          <TableHeaderCell scope="col"><span className="intact-visually-hidden">{t(words.edit)}</span></TableHeaderCell>
        </TableRow></TableHeader>
        <TableBody>
          {rows.map((r) => (
            <TableRow key={r.id} {...{ [`data-${item}`]: r.code }} className={r.active ? undefined : "intact-category--inactive"}>
              <TableCell>{r.position}</TableCell>
              <TableHeaderCell scope="row">{r.label_nl}</TableHeaderCell>
              <TableCell lang="en">{r.label_en}</TableCell>
              {extra ? <TableCell>{extra.cell(r)}</TableCell> : null}
              <TableCell>{r.active ? t("form.yes") : t("form.no")}</TableCell>
              <TableCell>
                <Link href={href(r)}>{t(words.edit)}<span className="intact-visually-hidden"> {r.label_nl}</span></Link>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

/** The form that adds an entry; its fields carry `prefix` so their ids differ from the page's other forms. */
export function OptionAddForm<Row extends OptionRow>({ action, id, prefix, words, errors, values, extra }: {
  action: string; id: string; prefix: string; words: OptionWords; errors: FieldErrors; values: Record<string, string>; extra?: OptionExtra<Row>;
}) {
  const { t } = usePage();
  return (
    <>
      <Heading3 id={id}>{t(words.add)}</Heading3>
      <Form action={action}>
        <ErrorSummary errors={pickPrefix(errors, prefix)} labels={{
          [`${prefix}labelNl`]: words.labelNl, [`${prefix}labelEn`]: words.labelEn, ...(extra ? { [`${prefix}${extra.name}`]: extra.label } : {}),
        }} />
        <TextField name={`${prefix}labelNl`} label={words.labelNl} value={values[`${prefix}labelNl`]} errors={errors} />
        <TextField name={`${prefix}labelEn`} label={words.labelEn} hint={words.labelEnHint} value={values[`${prefix}labelEn`]} errors={errors} optional />
        {extra ? extra.field(values[`${prefix}${extra.name}`] ?? "", errors, `${prefix}${extra.name}`) : null}
        <div className="intact-actions"><Submit label={words.add} /></div>
      </Form>
    </>
  );
}

/** One entry's edit page: names, (extra), order, and whether it can be chosen. */
export function OptionEditPage<Row extends OptionRow>({ row, title, action, back, words, errors = {}, values, extra }: {
  row: Row; title: string; action: string; back: string; words: OptionWords; errors?: FieldErrors; values?: Record<string, string>; extra?: OptionExtra<Row>;
}) {
  const { t } = usePage();
  const v = values
    ? { ...values, active: !!values.active }
    : { labelNl: row.label_nl, labelEn: row.label_en, position: String(row.position), active: row.active === 1, ...(extra ? { [extra.name]: extra.value(row) } : {}) };
  const str = (k: string) => (v as Record<string, unknown>)[k] as string | undefined;
  return (
    <Layout title={title}>
      <Paragraph><Link href={back}>{t(words.back)}</Link></Paragraph>
      <Form action={action}>
        <ErrorSummary errors={pickFields(errors, ["labelNl", "labelEn", ...(extra ? [extra.name] : []), "position", "active", "_form"])} labels={{
          labelNl: words.labelNl, labelEn: words.labelEn, position: words.position, active: words.active, ...(extra ? { [extra.name]: extra.label } : {}),
        }} />
        <TextField name="labelNl" label={words.labelNl} value={str("labelNl")} errors={errors} />
        <TextField name="labelEn" label={words.labelEn} hint={words.labelEnHint} value={str("labelEn")} errors={errors} optional />
        {extra ? extra.field(str(extra.name) ?? "", errors, extra.name) : null}
        <TextField name="position" label={words.position} hint={words.positionHint} value={str("position")}
          inputMode="numeric" width="short" autoComplete="off" errors={errors} />
        <CheckboxField name="active" label={words.activeField} checked={v.active} errors={errors} />
        <div className="intact-actions"><Submit label="form.save" /></div>
      </Form>
    </Layout>
  );
}
