import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../context.ts";
import { Conflict, DomainError, Invalid, NotFound, type FieldErrors } from "../http/errors.ts";
import { redirectWithFlash, sendPage } from "../http/pages.ts";
import { formBody, prefixedErrors, scopedFields, str } from "../http/validation.ts";
import { addMonths, today } from "../reports/deadlines.ts";
import { translator, type MessageKey } from "../ui/messages.ts";
import { accountNames } from "../reports/repository.ts";
import { sendDownload } from "../reports/attachments/routes.ts";
import type { IncomingFile } from "../reports/attachments/service.ts";
import { NOTE_MAX_FILES } from "./note-files.ts";
import * as advisors from "./service.ts";
import { ContactPage } from "./views/contact.tsx";
import { CONTACT_LABELS, contactDefaults, ContactFormPage, type ContactValues } from "./views/contact-form.tsx";
import { ContactsPage } from "./views/contacts.tsx";
import { day } from "./views/labels.ts";

// The confidential advisor's pages: the overview, the register form, and one contact with its notes.
// A contact exists for its advisor only. The service answers 404 to everyone else who reaches it; the
// routes of one contact also answer 404, not 403, to a role without the advisor's permission, so a
// guessed contact address looks the same to a coordinator, an administrator or HR as an unknown one.

const READ = { access: { permission: "advisorContact.read" as const } };
const CREATE = { access: { permission: "advisorContact.create" as const } };
const NOTES = { access: { permission: "advisorContact.readNotes" as const } };

/** Turns the route-level refusal (403 "forbidden", from the access check) into 404; every other error passes on. */
async function hideRefusal(err: FastifyError | Error) {
  throw err instanceof DomainError && err.status === 403 && err.code === "forbidden" ? new NotFound() : err;
}

type Params = { id: string };
const FIELDS = Object.keys(CONTACT_LABELS).filter((f) => f !== "natures");

/** The posted form as the form's values: strings, and the natures (one field per ticked box) as a list. */
function contactValues(raw: unknown): ContactValues {
  const body = formBody(raw);
  const natures = [body.natures].flat().filter((n): n is string => typeof n === "string" && n !== "");
  return { ...Object.fromEntries(FIELDS.map((f) => [f, str(body[f])])), natures };
}

export function advisorRoutes(app: FastifyInstance, ctx: Context) {
  // ---- the overview ----
  app.get("/contacten", { config: READ }, async (req, reply) => {
    const actor = req.actor!;
    const status = (req.query as { status?: unknown }).status === "closed" ? "closed" : "open";
    const [items, figures] = await Promise.all([advisors.listMyContacts(ctx, actor, status), advisors.myFigures(ctx, actor)]);
    const canRegister = advisors.pool(actor).length > 0;
    return sendPage(ctx, req, reply, status === "closed" ? "contacts.closedTitle" : "contacts.title",
      () => <ContactsPage items={items} figures={figures} status={status} canRegister={canRegister} />);
  });

  // ---- the register form ----
  const formPage = async (req: FastifyRequest, reply: FastifyReply, values: ContactValues | null, errors: FieldErrors = {}, status = 200, params?: Record<string, string | number>) => {
    const form = await advisors.contactForm(ctx, req.actor!);
    return sendPage(ctx, req, reply, "contacts.new.title",
      () => <ContactFormPage form={form} values={values ?? contactDefaults(form)} errors={errors} params={params} />, status);
  };

  app.get("/contacten/nieuw", { config: CREATE }, async (req, reply) => formPage(req, reply, null));

  app.post("/contacten/nieuw", { config: CREATE }, async (req, reply) => {
    const values = contactValues(req.body);
    let id: string;
    try {
      id = (await advisors.createContact(ctx, req.actor!, values)).id;
    } catch (e) {
      if (e instanceof Invalid) return formPage(req, reply, values, e.fields, 422, e.params);
      throw e;
    }
    return redirectWithFlash(reply, `/contacten/${id}`, "contacts.flash.created");
  });

  // ---- one contact ----
  type Extra = { errors?: FieldErrors; values?: Record<string, string>; problem?: MessageKey; fileProblem?: Record<string, string | number> };
  const limits = { count: NOTE_MAX_FILES, file: Math.floor(ctx.config.attachmentMaxFileBytes / 2 ** 20) };
  const contactPage = async (req: FastifyRequest, reply: FastifyReply, extra: Extra = {}, status = 200) => {
    const actor = req.actor!;
    const view = await advisors.getContact(ctx, actor, (req.params as Params).id);
    const c = view.contact;
    const settings = await advisors.ensureAdvisorSetup(ctx, c.organisation_id);
    const can = {
      note: !c.notes_destroyed_at && advisors.pool(actor, "advisorContact.readNotes").includes(c.organisation_id),
      close: c.status === "open",
    };
    const title = translator(req.locale)("contacts.view.title", { date: day(c.contact_on, req.locale) });
    const own = c.advisor_account_id === actor.accountId && can.note;
    const successors = own ? {
      options: await advisors.possibleSuccessors(ctx, actor, c.id),
      current: c.successor_account_id ? (await accountNames(ctx.db, [c.successor_account_id])).get(c.successor_account_id) ?? null : null,
    } : null;
    return sendPage(ctx, req, reply, { text: title }, () => (
      <ContactPage view={view} can={can} successor={c.advisor_account_id !== actor.accountId} successors={successors}
        retention={{ months: settings.notes_retention_months, destroyOn: addMonths(today(), settings.notes_retention_months) }}
        errors={extra.errors} values={extra.values} problem={extra.problem} limits={limits} fileProblem={extra.fileProblem} />
    ), status);
  };

  app.get("/contacten/:id", { config: READ, errorHandler: hideRefusal }, async (req, reply) => contactPage(req, reply));

  /** Runs one action; on success back to the contact with a message, otherwise the contact again with the problem. */
  const act = async (req: FastifyRequest, reply: FastifyReply, run: (id: string) => Promise<MessageKey>, values: Record<string, string> = {}, prefix = "note.") => {
    const id = (req.params as Params).id;
    try {
      return redirectWithFlash(reply, `/contacten/${id}`, await run(id));
    } catch (e) {
      if (e instanceof Invalid) return contactPage(req, reply, { errors: prefixedErrors(e.fields, prefix), values, fileProblem: e.params }, 422);
      if (e instanceof Conflict) return contactPage(req, reply, { problem: e.messageKey }, 409);
      throw e;
    }
  };

  // A note and its files in one multipart form. Each file is cut one byte past the size limit (then refused in words);
  // a file past NOTE_MAX_FILES stops the parser, and that too is answered with the contact page and the reason, not a
  // bare 413 (the typed text comes back when the parser had read it; it comes before the files in the form).
  const noteRoute = {
    config: { ...NOTES, multipartOptions: { limits: { fileSize: ctx.config.attachmentMaxFileBytes + 1, files: NOTE_MAX_FILES, fields: 20 }, throwFileSizeLimit: false } },
    errorHandler: async (err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) => {
      if ((err as FastifyError).code !== "FST_FILES_LIMIT") return hideRefusal(err);
      const raw = formBody(req.body)["note.body"] as { value?: unknown } | undefined;
      return contactPage(req, reply, {
        errors: { "note.files": "advisor.noteFiles.tooMany" }, values: { "note.body": str(raw?.value) }, fileProblem: { max: NOTE_MAX_FILES },
      }, 422);
    },
  };

  app.post("/contacten/:id/notities", noteRoute, async (req, reply) => {
    const values = scopedFields(formBody(req.body), "note.");
    // An empty file part (the chooser left empty) is no file.
    const files: IncomingFile[] = (req.uploads ?? []).filter((u) => u.field === "note.files" && (u.data.length || u.filename))
      .map((u) => ({ name: u.filename, data: u.data, truncated: u.truncated }));
    return act(req, reply, async (id) => {
      await advisors.addNote(ctx, req.actor!, id, { body: values.body ?? "" }, files);
      return "contacts.flash.note";
    }, { "note.body": values.body ?? "" });
  });

  app.get("/contacten/:id/bestanden/:fileId", { config: NOTES, errorHandler: hideRefusal }, async (req, reply) => {
    const { id, fileId } = req.params as Params & { fileId: string };
    return sendDownload(reply, await advisors.readNoteFile(ctx, req.actor!, id, fileId));
  });

  // The version is required: without it (or with something that is no version) the service refuses with 422.
  app.post("/contacten/:id/afsluiten", { config: READ, errorHandler: hideRefusal }, async (req, reply) => act(req, reply, async (id) => {
    const version = formBody(req.body).version;
    await advisors.closeContact(ctx, req.actor!, id, { version: typeof version === "string" ? version : undefined });
    return "contacts.flash.closed";
  }));

  app.post("/contacten/:id/opvolger", { config: NOTES, errorHandler: hideRefusal }, async (req, reply) => {
    const body = formBody(req.body);
    const values = scopedFields(body, "successor.");
    return act(req, reply, async (id) => {
      await advisors.recordSuccessor(ctx, req.actor!, id, values);
      return "contacts.flash.successor";
    }, Object.fromEntries(Object.entries(values).map(([k, v]) => [`successor.${k}`, v])), "successor.");
  });

  app.post("/contacten/:id/melding", { config: READ, errorHandler: hideRefusal }, async (req, reply) => {
    const body = formBody(req.body);
    const values = scopedFields(body, "link.");
    return act(req, reply, async (id) => {
      await advisors.linkReport(ctx, req.actor!, id, values);
      return "contacts.flash.linked";
    }, Object.fromEntries(Object.entries(values).map(([k, v]) => [`link.${k}`, v])), "link.");
  });
}
