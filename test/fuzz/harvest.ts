// Before fuzzing: every page as every person, to learn the forms and query parameters the app offers; a walk through
// the public intake and the signed-in one (so the fuzzer holds real sealed drafts for every step); a people import up
// to its confirmation form; and the files a reporter might send.
import { Document, Packer, Paragraph } from "docx";
import { strToU8, zipSync } from "fflate";
import { PDFDocument } from "pdf-lib";
import sharp from "sharp";
import { photoWithExif } from "../helpers/attachments.ts";
import { multipart, urlencoded } from "./arbitraries.ts";
import { parseForms, parseQueryNames, routeMatcher, type FormSpec } from "./forms.ts";
import type { Knowledge } from "./requests.ts";
import { WHO, type Scene, type Who } from "../helpers/scene.ts";

/** Answers that pass each question of the intake (the rest: the first option, or what the page filled in). */
export const GOOD: Record<string, string> = {
  description: "Er verdwijnt geld uit de kas.", howKnown: "saw", reportedBefore: "no", concernsHandler: "no", name: "Eva Melder", relation: "employee",
  occurredOn: "", occurredWhen: "", location: "", involved: "", howKnownDetail: "", reportedBeforeDetail: "", noticeEmail: "", email: "", phone: "",
  people: "1", conversations: "1", minutes: "30", peopleReached: "10", days: "30",
};

/** Values the app accepts for a field, where the scene knows them: the test password and the accounts' addresses on
 *  the sign-in form, the open mailbox's receipt, organisation A, today. */
export function goodValues(scene: Scene): (url: string, field: string) => string[] | undefined {
  const day = new Date().toISOString().slice(0, 10);
  return (url, field) => {
    if (url === "/inloggen") return field === "email" ? [...scene.emails.values()] : field === "password" ? [scene.password] : undefined;
    if (field === "current") return [scene.password];
    if (field === "receipt" && url.includes("/postbus")) return [scene.receipt];
    if (field === "organisationId") return [scene.orgA.id];
    if (field === "code") return ["123456"];
    if (field === "employeeNumber") return ["F-1", "F-2", "F-3", "A-1"];
    if (field === "managerNumber") return ["", "A-1"];
    if (field === "startDate" || field === "endDate") return ["", day];
    if (/(On|Date)$/.test(field) && field !== "occurredOn") return [day];
    if (field === "email" && !url.startsWith("/melden/") && !url.startsWith("/mijn-meldingen/")) return ["nieuw@a.example", "eva@a.example"];
    return GOOD[field] !== undefined && GOOD[field] !== "" ? [GOOD[field]!] : undefined;
  };
}

/** Files a reporter might send, and files that lie or attack. */
export async function makeFiles(): Promise<Record<string, Buffer>> {
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 200, g: 10, b: 10 } } }).png().toBuffer();
  const pdfDoc = await PDFDocument.create();
  pdfDoc.addPage([200, 200]);
  pdfDoc.setAuthor("Jan Melder");
  const pdf = Buffer.from(await pdfDoc.save());
  const docx = await Packer.toBuffer(new Document({ creator: "Jan Melder", sections: [{ children: [new Paragraph("De kas klopt niet.")] }] }));
  const html = Buffer.from("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>");
  const exe = Buffer.concat([Buffer.from("MZ"), Buffer.alloc(62), Buffer.from("PE\0\0"), Buffer.alloc(200)]);
  exe.writeUInt32LE(64, 60);
  return {
    txt: Buffer.from("Op 1 maart zag ik het gebeuren.\n"),
    csv: Buffer.from("personeelsnummer;voornaam;achternaam;email\nF-1;Fem;Fuzz;fem@a.example\n"),
    csvEvil: Buffer.from(`personeelsnummer,voornaam,achternaam,functie\n"=cmd|' /C calc'!A0","<script>alert(1)</script>","'; DROP TABLE people; --",\u0000\n,,,\n"unterminated\n`),
    csvHeaderOnly: Buffer.from("personeelsnummer,voornaam,achternaam\n"),
    png, jpeg: await photoWithExif(), pdf, docx: Buffer.from(docx),
    pngCalledPdf: png, html, svg: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), exe,
    pdfFake: Buffer.from("%PDF-1.7 but not really a pdf at all"),
    truncatedPng: png.subarray(0, 40), truncatedDocx: Buffer.from(docx).subarray(0, Math.floor(docx.length / 2)),
    zipNotOffice: Buffer.from(zipSync({ "a.txt": strToU8("geen Office") })),
    nul: Buffer.from("abc\0def"), empty: Buffer.alloc(0), latin1: Buffer.from("caf\xe9", "latin1"),
  };
}

export type Harvest = Pick<Knowledge, "forms" | "queryNames" | "fieldNames"> & { refresh(): Promise<void> };

/** `people`: whose pages to read (all by default; forms of someone not read are taken from whoever was). */
export async function harvest(scene: Scene, people: readonly Who[] = WHO): Promise<Harvest> {
  const { app } = scene;
  const routes = app.registeredRoutes;
  const match = routeMatcher(routes);
  const forms = new Map<string, Map<Who, FormSpec[]>>();
  const queries = new Map<string, Map<string, Set<string>>>();
  const fieldNames = new Set<string>();

  const cookieFor = (who: Who, path: string) => [scene.csrf.cookie, who !== "anonymous" ? `intact_session=${scene.sessions.get(who)}` : "",
    path.startsWith("/melden/") ? `intact_mailbox=${scene.mailbox.token}` : ""].filter(Boolean).join("; ");
  /** Pages whose forms carry the record's version (a case, a contact): stale once the record changes, so read again by refresh(). */
  const volatile = new Map<string, { who: Who; url: string; route: string }>();
  const learn = (who: Who, pageRoute: string, html: string, replace = false) => {
    if (replace) {
      const actions = new Set(parseForms(html).map((f) => f.action));
      for (const byWho of forms.values()) {
        const list = byWho.get(who);
        if (list) byWho.set(who, list.filter((f) => !actions.has(f.action)));
      }
    }
    for (const f of parseForms(html)) {
      const r = match("POST", f.action);
      if (!r) continue;
      const key = `POST ${r.url}`;
      const byWho = forms.get(key) ?? new Map<Who, FormSpec[]>();
      const list = byWho.get(who) ?? [];
      const sig = (x: FormSpec) => `${x.action}|${x.fields.map((y) => `${y.name}=${y.kind === "hidden" && y.name !== "draft" ? y.values.join(",") : ""}`).join("&")}`;
      if (!list.some((x) => sig(x) === sig(f)) && list.length < 40) list.push(f);
      byWho.set(who, list);
      forms.set(key, byWho);
      for (const field of f.fields) if (field.name !== "_csrf") fieldNames.add(field.name);
    }
    const q = queries.get(pageRoute) ?? new Map<string, Set<string>>();
    for (const [k, v] of parseQueryNames(html)) { const s = q.get(k) ?? new Set<string>(); v.forEach((x) => s.size < 30 && s.add(x)); q.set(k, s); }
    queries.set(pageRoute, q);
  };
  const post = async (who: Who, url: string, fields: [string, string][], file?: { field: string; name: string; content: Buffer }) => {
    const body = file || url.endsWith("/stap")
      ? multipart([["_csrf", scene.csrf.token], ...fields], file ? [{ field: file.field, name: file.name, type: "application/octet-stream", content: file.content }] : [], (c) => Buffer.from(c as Uint8Array))
      : { payload: urlencoded([["_csrf", scene.csrf.token], ...fields]), contentType: "application/x-www-form-urlencoded" };
    return app.inject({ method: "POST", url, payload: body.payload, headers: { cookie: cookieFor(who, url), "content-type": body.contentType } });
  };

  // Every HTML page as every person.
  for (const who of people) {
    for (const r of routes) {
      if (r.method !== "GET" || r.url.startsWith("/api/") || r.url.startsWith("/assets/") || /\.(pdf|csv|docx)$/.test(r.url)) continue;
      const url = scene.fill(r.url);
      const res = await app.inject({ method: "GET", url, headers: { cookie: cookieFor(who, url) } });
      if (String(res.headers["content-type"] ?? "").startsWith("text/html")) {
        learn(who, r.url, res.body);
        if (/name="version"/.test(res.body)) volatile.set(`${who} ${url}`, { who, url, route: r.url });
      }
    }
  }

  // Through the intake, pressing "Volgende" with answers that pass, learning each step's form (with its sealed draft).
  const walk = async (who: Who, first: string) => {
    let html = first;
    for (let i = 0; i < 20; i++) {
      learn(who, "walk", html);
      const form = parseForms(html).find((f) => /\/stap$/.test(f.action) && f.fields.some((x) => x.name === "nav" && x.kind === "button" && x.values.includes("next")));
      if (!form) return;
      const fields: [string, string][] = [];
      for (const f of form.fields) {
        if (f.name === "_csrf" || f.kind === "file" || f.kind === "button") continue;
        const first = f.values.find((v) => v !== "") ?? "";
        fields.push([f.name, GOOD[f.name] ?? (f.kind === "hidden" || f.kind === "text" || f.kind === "textarea" ? f.values[0] ?? "" : first)]);
      }
      if (fields.some(([k, v]) => k === "mode" && v === "anonymous") && who !== "anonymous") {
        fields.splice(fields.findIndex(([k]) => k === "mode"), 1, ["mode", "confidential"]);
      }
      const res = await post(who, form.action, [...fields, ["nav", "next"]]);
      html = res.body;
      if (parseForms(html).some((f) => /\/versturen$/.test(f.action))) { learn(who, "walk", html); return; }
    }
  };
  const slug = scene.orgA.slug;
  const start = await post("anonymous", `/melden/${slug}/stap`, [["nav", "start"]]);
  await walk("anonymous", start.body);
  for (const who of ["employee", "manager"] as const) {
    const res = await app.inject({ method: "GET", url: "/mijn-meldingen/nieuw", headers: { cookie: cookieFor(who, "/") } });
    await walk(who, res.body);
  }
  // A people import up to its confirmation form.
  const imported = await post("admin", "/beheer/medewerkers/import", [], { field: "file", name: "mensen.csv",
    content: Buffer.from("personeelsnummer;voornaam;achternaam\nH-1;Hanna;Harvest\n") });
  learn("admin", "/beheer/medewerkers/import", imported.body);

  return {
    async refresh() {
      for (const { who, url, route } of volatile.values()) {
        const res = await app.inject({ method: "GET", url, headers: { cookie: cookieFor(who, url) } });
        if (res.statusCode === 200) learn(who, route, res.body, true);
      }
    },
    forms: (method, url, who) => {
      const byWho = forms.get(`${method} ${url}`);
      if (!byWho) return [];
      // One's own forms, and what anybody is offered (the public intake's drafts are bound to no one).
      const own = [...(byWho.get(who) ?? []), ...(who !== "anonymous" ? byWho.get("anonymous") ?? [] : [])];
      return own.length ? own : [...byWho.values()].flat();
    },
    queryNames: (url) => queries.get(url) ?? new Map(),
    fieldNames: [...fieldNames].sort(),
  };
}
