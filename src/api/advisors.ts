import type { FastifyInstance } from "fastify";
import { z } from "zod";
import * as advisors from "../advisors/service.ts";
import { CONTACT_STATUSES, FOLLOW_UPS, FORMS, RELATIONS } from "../advisors/vocabulary.ts";
import type { Context } from "../context.ts";
import { NotFound } from "../http/errors.ts";
import { catalogues, isMessageKey } from "../ui/messages.ts";
import { apiRoute } from "./registry.ts";

// The confidential advisor's register in /api/v1: what a contact can say, registering one, and reading the
// advisor's own. Only the advisor's own contacts exist here (404 for anyone else's). The advisor's notes
// are not in the API: they stay on the contact's page, where their reading is audited.

const labelled = z.object({ code: z.string(), labelNl: z.string(), labelEn: z.string() });
/** A code of a fixed vocabulary with its words from the message catalogue ("advisor.relation.employee"). */
const vocabulary = (prefix: string, codes: readonly string[]) => codes.map((code) => {
  const key = `${prefix}.${code}`;
  return { code, labelNl: isMessageKey(key) ? catalogues.nl[key] : code, labelEn: isMessageKey(key) ? catalogues.en[key] : code };
});
const nature = (n: { code: string; label_nl: string; label_en: string }) => ({ code: n.code, labelNl: n.label_nl, labelEn: n.label_en });

const categoriesOut = z.object({
  /** The organisations of your pool: for each its natures (the codes for natures) and units (unitId). */
  organisations: z.array(z.object({
    id: z.string(), name: z.string(), natures: z.array(labelled), units: z.array(z.object({ id: z.string(), name: z.string() })),
  })),
  relations: z.array(labelled.extend({ code: z.enum(RELATIONS) })),
  forms: z.array(labelled.extend({ code: z.enum(FORMS) })),
  followUps: z.array(labelled.extend({ code: z.enum(FOLLOW_UPS) })),
});

/** What a contact holds: counts and codes, never a name. Documented here; createContact parses it itself (as
 *  for the page's form, every error at once, with the form's wording), so the schema lets the body through. */
const contactIn = z.object({
  contactOn: z.iso.date().describe("The day of the contact, yyyy-mm-dd: not in the future, not before 1 January of last year, and not in a year whose yearly report is already published for the organisation or a group it belongs to (422, advisor.yearPublished)"),
  organisationId: z.string().describe("An organisation of your pool (listAdvisorCategories)"),
  unitId: z.string().nullable().optional().describe("A unit of that organisation, or null"),
  relation: z.enum(RELATIONS),
  natures: z.array(z.string()).min(1).describe("One or more nature codes of the organisation"),
  people: z.number().int().min(1).max(500),
  form: z.enum(FORMS),
  conversations: z.number().int().min(1).max(500),
  minutes: z.number().int().min(0).max(100_000),
  followUp: z.enum(FOLLOW_UPS),
}).catch((c) => c.value as never);

const createdOut = z.object({
  id: z.string(), contactOn: z.string(), organisationId: z.string(), natures: z.array(z.string()), status: z.enum(CONTACT_STATUSES),
});

const contactSummaryOut = z.object({
  id: z.string(), contactOn: z.string(), organisationId: z.string(), organisationName: z.string(), natures: z.array(labelled),
  people: z.number().int(), status: z.enum(CONTACT_STATUSES), closedOn: z.string().nullable(),
});
const contactOut = contactSummaryOut.extend({
  unitId: z.string().nullable(), unitName: z.string().nullable(),
  relation: z.enum(RELATIONS), form: z.enum(FORMS), conversations: z.number().int(), minutes: z.number().int(), followUp: z.enum(FOLLOW_UPS),
  /** The day the notes will be destroyed (after closing), and when they were. */
  notesDestroyOn: z.string().nullable(), notesDestroyedAt: z.string().nullable(),
  version: z.number().int(),
});

type Status = (typeof CONTACT_STATUSES)[number];
const contactParams = z.object({ contactId: z.string().min(1).max(100) });

export function advisorApi(app: FastifyInstance, ctx: Context) {
  apiRoute(app, {
    method: "GET", url: "/api/v1/advisors/categories", operationId: "listAdvisorCategories", tag: "advisors",
    summary: "What a contact can say: the natures and units of the organisations of your pool (or of one, organisationId), and the fixed lists of relations, forms and follow-ups, with Dutch and English words",
    access: { permission: "advisorContact.create" }, query: z.object({ organisationId: z.string().min(1).max(100).optional() }), response: categoriesOut,
  }, async ({ actor, query }) => {
    const form = await advisors.contactForm(ctx, actor);
    const organisations = query.organisationId ? form.organisations.filter((o) => o.id === query.organisationId) : form.organisations;
    if (query.organisationId && !organisations.length) throw new NotFound();
    return {
      organisations: organisations.map((o) => ({ id: o.id, name: o.name, natures: o.natures.map(nature), units: o.units.map((u) => ({ id: u.id, name: u.name })) })),
      relations: vocabulary("advisor.relation", RELATIONS) as z.input<typeof categoriesOut>["relations"],
      forms: vocabulary("advisor.form", FORMS) as z.input<typeof categoriesOut>["forms"],
      followUps: vocabulary("advisor.followUp", FOLLOW_UPS) as z.input<typeof categoriesOut>["followUps"],
    };
  });

  apiRoute(app, {
    method: "POST", url: "/api/v1/advisors/contacts", operationId: "createAdvisorContact", tag: "advisors",
    summary: "Register a contact without names: the day, the organisation, who came, what about (natures), how, how long and what came of it; answers 201",
    access: { permission: "advisorContact.create" }, body: contactIn, response: createdOut, status: 201,
  }, async ({ actor, rawBody }) => {
    const row = await advisors.createContact(ctx, actor, rawBody);
    const view = await advisors.getContact(ctx, actor, row.id, { notes: false });
    return { id: row.id, contactOn: row.contact_on, organisationId: row.organisation_id, natures: view.natures.map((n) => n.code), status: row.status as Status };
  });

  apiRoute(app, {
    method: "GET", url: "/api/v1/advisors/contacts", operationId: "listMyAdvisorContacts", tag: "advisors",
    summary: "Your own contacts, newest first (at most 200); status: open or closed",
    access: { permission: "advisorContact.read" }, query: z.object({ status: z.enum(CONTACT_STATUSES, { error: "field.choose" }).optional() }),
    response: z.object({ items: z.array(contactSummaryOut) }),
  }, async ({ actor, query }) => ({
    items: (await advisors.listMyContacts(ctx, actor, query.status)).map(({ contact: c, organisationName, natures }) => ({
      id: c.id, contactOn: c.contact_on, organisationId: c.organisation_id, organisationName, natures: natures.map(nature),
      people: c.people, status: c.status as Status, closedOn: c.closed_on,
    })),
  }));

  apiRoute(app, {
    method: "GET", url: "/api/v1/advisors/contacts/:contactId", operationId: "getAdvisorContact", tag: "advisors",
    summary: "One of your contacts: its counts and natures (not your notes, which stay on the contact's page); 404 for any contact not yours",
    access: { permission: "advisorContact.read" }, params: contactParams, response: contactOut,
  }, async ({ actor, params }) => {
    const v = await advisors.getContact(ctx, actor, params.contactId, { notes: false });
    const c = v.contact;
    return {
      id: c.id, contactOn: c.contact_on, organisationId: c.organisation_id, organisationName: v.organisationName, natures: v.natures.map(nature),
      people: c.people, status: c.status as Status, closedOn: c.closed_on, unitId: c.unit_id, unitName: v.unitName,
      relation: c.relation as (typeof RELATIONS)[number], form: c.form as (typeof FORMS)[number], conversations: c.conversations, minutes: c.minutes,
      followUp: c.follow_up as (typeof FOLLOW_UPS)[number], notesDestroyOn: c.notes_destroy_on, notesDestroyedAt: c.notes_destroyed_at, version: Number(c.version),
    };
  });
}
