import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../context.ts";
import { Conflict, Invalid, type FieldErrors } from "../http/errors.ts";
import { redirectWithFlash, sendPage } from "../http/pages.ts";
import { formBody, str } from "../http/validation.ts";
import { ImportFileError } from "./csv.ts";
import { listQuerySchema } from "./schema.ts";
import * as people from "./service.ts";
import { ImportDonePage, ImportPreviewPage, ImportUploadPage, IMPORT_PATH } from "./views/import.tsx";
import { PeopleListPage } from "./views/list.tsx";
import { NewPersonPage, PersonPage, valuesOf, type PersonFormValues } from "./views/person.tsx";

const VIEW = { access: { permission: "person.view" as const } };
const MANAGE = { access: { permission: "person.manage" as const } };
/** The signed preview can be larger than an ordinary form field (up to 20 000 rows, compressed). */
const COMMIT = { ...MANAGE, multipartOptions: { limits: { fieldSize: 8 * 1024 * 1024 } } };

const FORM_FIELDS = ["employeeNumber", "givenName", "familyName", "email", "unitId", "positionId", "managerNumber", "employmentType", "startDate", "endDate"] as const;
const formValues = (body: Record<string, unknown>): PersonFormValues => Object.fromEntries(FORM_FIELDS.map((f) => [f, str(body[f])]));

export function peopleRoutes(app: FastifyInstance, ctx: Context) {
  const org = (req: FastifyRequest) => req.actor!.activeOrganisationId!;
  const options = async (req: FastifyRequest) => ({
    units: await people.visibleUnits(ctx, req.actor!, org(req)), positions: await people.positionOptions(ctx, org(req)),
  });

  app.get("/beheer/medewerkers", { config: VIEW }, async (req, reply) => {
    const q = listQuerySchema.parse(req.query ?? {});
    const list = await people.listPeople(ctx, req.actor!, org(req), { q: q.q, unitId: q.eenheid, page: q.pagina });
    const units = await people.visibleUnits(ctx, req.actor!, org(req));
    return sendPage(ctx, req, reply, "people.title", () => <PeopleListPage view={{ ...list, units }} />);
  });

  // ---- add ----
  const newPage = async (req: FastifyRequest, reply: FastifyReply, values: PersonFormValues, errors: FieldErrors, status = 200) => {
    people.requireManage(req.actor!, org(req));
    const o = await options(req);
    return sendPage(ctx, req, reply, "people.newTitle", () => <NewPersonPage values={values} errors={errors} options={o} />, status);
  };
  app.get("/beheer/medewerkers/nieuw", { config: MANAGE }, async (req, reply) => newPage(req, reply, { employmentType: "employee" }, {}));
  app.post("/beheer/medewerkers", { config: MANAGE }, async (req, reply) => {
    const body = formBody(req.body);
    try {
      const { id } = await people.createPerson(ctx, req.actor!, org(req), body);
      return redirectWithFlash(reply, `/beheer/medewerkers/${id}`, "form.created");
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      return newPage(req, reply, formValues(body), e.fields, 422);
    }
  });

  // ---- import ----
  app.get(IMPORT_PATH, { config: MANAGE }, async (req, reply) => {
    people.requireManage(req.actor!, org(req));
    return sendPage(ctx, req, reply, "import.title", () => <ImportUploadPage problem={null} />);
  });
  app.post(IMPORT_PATH, { config: MANAGE }, async (req, reply) => {
    const file = formBody(req.body).file;
    const data = Buffer.isBuffer(file) ? file : typeof file === "string" ? Buffer.from(file, "utf8") : null;
    if (!data?.length) {
      people.requireManage(req.actor!, org(req));
      return sendPage(ctx, req, reply, "import.title", () => <ImportUploadPage problem={{ key: "import.fileRequired" }} />, 422);
    }
    try {
      const result = await people.importPeople(ctx, req.actor!, org(req), data, "preview");
      return sendPage(ctx, req, reply, "import.title", () => <ImportPreviewPage result={result} />);
    } catch (e) {
      if (!(e instanceof ImportFileError)) throw e;
      return sendPage(ctx, req, reply, "import.title", () => <ImportUploadPage problem={e.problem} />, 422);
    }
  });
  app.post(`${IMPORT_PATH}/bevestigen`, { config: COMMIT }, async (req, reply) => {
    const body = formBody(req.body);
    const mode = body.mode === "all" ? "all" : "valid";
    try {
      const result = await people.commitPreview(ctx, req.actor!, org(req), { payload: str(body.payload), signature: str(body.signature) }, mode);
      // The counts need parameters, which a flash cannot carry: the result is shown here. A reload posts the
      // same preview again: its nonce is recorded already, so it is refused (409, "import.alreadyDone") and writes nothing.
      return sendPage(ctx, req, reply, "import.title", () => <ImportDonePage result={result} />);
    } catch (e) {
      if (!(e instanceof Conflict)) throw e;
      return sendPage(ctx, req, reply, "import.title", () => <ImportUploadPage problem={{ key: e.messageKey }} />, 409);
    }
  });

  // ---- one person ----
  const personPage = async (req: FastifyRequest, reply: FastifyReply, id: string, edit?: { values: PersonFormValues; errors: FieldErrors }) => {
    const { person, can } = await people.getPerson(ctx, req.actor!, org(req), id);
    const o = can.manage ? await options(req) : { units: [], positions: [] };
    return sendPage(ctx, req, reply, { text: person.name }, () => (
      <PersonPage person={person} can={can} values={edit?.values ?? valuesOf(person)} errors={edit?.errors ?? {}} options={o} />
    ), edit ? 422 : 200);
  };
  app.get("/beheer/medewerkers/:id", { config: VIEW }, async (req, reply) => personPage(req, reply, (req.params as { id: string }).id));
  app.post("/beheer/medewerkers/:id", { config: MANAGE }, async (req, reply) => {
    const id = (req.params as { id: string }).id;
    const body = formBody(req.body);
    try {
      await people.updatePerson(ctx, req.actor!, org(req), id, body);
      return redirectWithFlash(reply, `/beheer/medewerkers/${id}`, "form.saved");
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      return personPage(req, reply, id, { values: formValues(body), errors: e.fields });
    }
  });
}
