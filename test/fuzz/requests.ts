// One fuzzed request: a plain, printable plan (what fast-check generates and shrinks) and how it is sent through
// app.inject as one of the scene's people. Page routes get their own forms with the fields changed; API routes get
// bodies and queries from their zod schemas, valid or malformed; every route gets odd query strings and headers.
import fc from "fast-check";
import type { LightMyRequestResponse } from "fastify";
import { z } from "zod";
import type { ApiOperation } from "../../src/api/registry.ts";
import { today } from "../../src/reports/deadlines.ts";
import {
  fileNameArb, fromSchema, headerSafe, INJECTIONS, lyingContentType, malformed, multipart, oddCookie, oddHeader, pct, returnPathArb, textArb, textOrHuge,
  urlencoded, wrongValue, type FilePart, type Hints,
} from "./arbitraries.ts";
import type { Field, FormSpec } from "./forms.ts";
import type { Scene, Who } from "../helpers/scene.ts";

export type Body =
  | { kind: "form"; fields: [string, string][] }
  | { kind: "multipart"; fields: [string, string][]; files: FilePart[]; broken: "no" | "truncated" | "noBoundary" | "wrongBoundary" | "noEnd" | "manyFields" }
  | { kind: "json"; value: unknown }
  | { kind: "raw"; text: string };

export type Plan = {
  who: Who;
  method: string;
  path: string;
  query: [string, string][];
  body: Body | null;
  /** Replaces the body's own content type (a lie). */
  contentType: string | null;
  headers: [string, string][];
  cookies: string[];
  /** API: the role's bearer token, none, a garbage one, or the session cookie instead. Pages: the role's session or none. */
  auth: "normal" | "none" | "garbage" | "session";
  csrf: "valid" | "missing" | "garbage" | "twice" | "header";
  /** Send the open mailbox session's cookie (reporter routes). */
  mailbox: boolean;
  remote: string;
};

export type RouteInfo = { method: string; url: string; op?: ApiOperation };

/** What the generators draw on: the scene's ids, the forms the pages offer, the query names the links use, the files. */
export type Knowledge = {
  scene: Scene;
  forms: (method: string, url: string, who: Who) => FormSpec[];
  queryNames: (url: string) => Map<string, Set<string>>;
  fieldNames: string[];
  files: Record<string, Buffer>;
  /** Values the app accepts for a field of a route, where the scene knows them. */
  good: (url: string, field: string) => string[] | undefined;
};

const isApi = (url: string) => url.startsWith("/api/");
const weighted = <T>(w: number, arbitrary: fc.Arbitrary<T>) => ({ weight: w, arbitrary });

/** Values for one path parameter: mostly the real id, sometimes another organisation's, a random or a broken one. */
function paramArb(k: Knowledge, url: string, name: string): fc.Arbitrary<string> {
  const at = url.split("/").findIndex((s) => s === `:${name}` || (name === "*" && s === "*"));
  const realValue = at >= 0 ? k.scene.fill(url).split("/")[at]! : "x";
  const broken = fc.constantFrom("..", "%2e%2e", "..%2F..%2Fetc%2Fpasswd", "%00", "%", "%ZZ", "%C0%AE", "a%2Fb", "%20", "%E2%80%AE", "null", "undefined", "0", "-1",
    "__proto__", "constructor", "'%20OR%201%3D1", "%3Cscript%3E", "x".repeat(300), encodeURIComponent("é😀"));
  if (name === "*") return fc.oneof(weighted(8, fc.constantFrom("intact.css", realValue)), weighted(2, broken), weighted(1, fc.constantFrom("../package.json", "..%2F..%2Fpackage.json", "static/../../x")));
  const others = [k.scene.orgB.id, k.scene.orgB.slug, ...Object.values(k.scene.params)];
  return fc.oneof(
    weighted(20, fc.constant(realValue)),
    weighted(2, fc.uuid()),
    weighted(1, fc.constantFrom(...others)),
    weighted(2, broken),
    weighted(1, textArb().map(pct)),
  );
}

function pathArb(k: Knowledge, url: string): fc.Arbitrary<string> {
  const names = [...url.matchAll(/:([A-Za-z]+)|\*/g)].map((m) => m[1] ?? "*");
  if (!names.length) return fc.constant(url);
  return fc.tuple(...names.map((n) => paramArb(k, url, n))).map((values) => {
    let i = 0;
    return url.replace(/:([A-Za-z]+)|\*/g, () => values[i++]!);
  });
}

/** A value the app would accept for a field, as far as the scene knows (a real id, the test password, today, a
 *  plausible name), else the page's own value or option. */
function plausible(k: Knowledge, url: string, f: Field): fc.Arbitrary<[string, string][]> {
  const one = (v: fc.Arbitrary<string>) => v.map((x): [string, string][] => [[f.name, x]]);
  const known = k.good(url, f.name);
  if (known?.length) return one(fc.constantFrom(...known));
  const options = f.values.filter((v) => v !== "");
  switch (f.kind) {
    case "hidden": return one(fc.constantFrom(...(f.values.length ? f.values : [""])));
    case "select": case "radio": case "button": return one(options.length ? fc.constantFrom(...options) : fc.constant(""));
    case "checkbox":
      return options.length > 1 ? fc.subarray(options, { minLength: 1 }).map((vs) => vs.map((v): [string, string] => [f.name, v]))
        : fc.oneof(one(fc.constant(options[0] ?? "on")), fc.constant<[string, string][]>([]));
    case "file": return fc.constant([]);
    case "email": return one(fc.constantFrom("eva@a.example", "fuzz@example.org"));
    case "date": return one(fc.constantFrom(today(), "2024-03-01"));
    case "number": return one(fc.integer({ min: 0, max: 20 }).map(String));
    case "password": return one(fc.constant("een nieuw en lang wachtwoord 42"));
    default: return f.values[0] ? one(fc.constant(f.values[0])) : one(fc.lorem({ maxCount: 3 }).map((w) => w || "tekst"));
  }
}

/** A field changed: hidden fields (the draft, the step) mostly kept, choices mostly one of the page's options, text
 *  mostly something nasty; sometimes left out or sent twice. */
function nasty(k: Knowledge, url: string, f: Field): fc.Arbitrary<[string, string][]> {
  const one = (v: fc.Arbitrary<string>) => v.map((x): [string, string][] => [[f.name, x]]);
  const twice = fc.tuple(textArb(), textArb()).map(([a, b]): [string, string][] => [[f.name, a], [f.name, b]]);
  const omit = fc.constant<[string, string][]>([]);
  const own = f.values.length ? fc.constantFrom(...f.values) : fc.constant("");
  switch (f.kind) {
    case "hidden":
      return fc.oneof(weighted(14, one(own)), weighted(1, one(textArb())), weighted(/^(return|terug|next)$/.test(f.name) ? 4 : 1, one(returnPathArb)), weighted(1, omit), weighted(1, twice));
    case "select": case "radio": case "button":
      return fc.oneof(weighted(8, one(own)), weighted(2, one(textArb())), weighted(1, omit),
        weighted(1, f.values.length >= 2 ? fc.subarray(f.values, { minLength: 2 }).map((vs) => vs.map((v): [string, string] => [f.name, v])) : twice));
    case "checkbox":
      return fc.oneof(weighted(4, one(own)), weighted(3, omit), weighted(1, one(textArb())), weighted(1, twice));
    case "file":
      return omit;
    default:
      return fc.oneof(weighted(3, plausible(k, url, f)), weighted(6, one(textOrHuge([k.scene.password, ...k.scene.emails.values()]))), weighted(1, omit), weighted(1, twice));
  }
}

/** A form's fields: all plausible (the request should succeed), all plausible but one nasty (injection strings reach
 *  storage and pages), or every field changed at random. */
function formFieldsArb(k: Knowledge, url: string, form: FormSpec): fc.Arbitrary<[string, string][]> {
  const fields = form.fields.filter((f) => f.name !== "_csrf" && f.kind !== "file");
  if (!fields.length) return extrasArb(k);
  const valid = fc.tuple(...fields.map((f) => plausible(k, url, f)));
  const texts = fields.map((f, i) => [f, i] as const).filter(([f]) => !["hidden", "select", "radio", "button", "checkbox"].includes(f.kind)).map(([, i]) => i);
  const oneNasty = fc.tuple(valid, fc.nat(), textOrHuge()).map(([parts, n, text]) => {
    const copy = [...parts];
    const i = texts.length ? texts[n % texts.length]! : n % copy.length;
    copy[i] = [[fields[i]!.name, text]];
    return copy;
  });
  const chaos = fc.tuple(...fields.map((f) => nasty(k, url, f)));
  return fc.tuple(fc.oneof(weighted(3, valid), weighted(3, oneNasty), weighted(3, chaos)), extrasArb(k)).map(([parts, extra]) => [...parts.flat(), ...extra]);
}

const csrfArb = fc.oneof(weighted(30, fc.constant<Plan["csrf"]>("valid")), weighted(1, fc.constantFrom<Plan["csrf"]>("missing", "garbage", "twice", "header")));
const remoteArb = fc.oneof(weighted(3, fc.constant("127.0.0.1")), weighted(2, fc.ipV4()), weighted(1, fc.ipV6()));
const headersArb = fc.oneof(weighted(5, fc.constant<[string, string][]>([])), weighted(2, fc.array(oddHeader, { minLength: 1, maxLength: 3 })));
const cookiesArb = fc.oneof(weighted(8, fc.constant<string[]>([])), weighted(1, fc.array(oddCookie, { minLength: 1, maxLength: 2 })));
const contentTypeArb = fc.oneof(weighted(12, fc.constant(null)), weighted(1, lyingContentType));

function queryArb(k: Knowledge, url: string, op?: ApiOperation): fc.Arbitrary<[string, string][]> {
  const known = k.queryNames(url);
  const names = [...new Set([...known.keys(), "terug", "q", "page", "pagina", "jaar", "year", "status", "identiteit", "token", "uitgelogd", "sort", "organisationId", "__proto__", "constructor", "a[b]", "a[]"])];
  const values = [...new Set([...known.values()].flatMap((s) => [...s]))];
  const value = values.length ? fc.oneof(weighted(3, fc.constantFrom(...values)), weighted(4, textArb()), weighted(1, returnPathArb)) : fc.oneof(weighted(4, textArb()), weighted(1, returnPathArb));
  const random = fc.array(fc.tuple(fc.constantFrom(...names), value), { maxLength: 4 });
  if (!op?.query) return fc.oneof(weighted(3, fc.constant<[string, string][]>([])), weighted(4, random));
  const schema = z.toJSONSchema(op.query, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  const fromOp = fromSchema(schema, hints(k)).map((v) => Object.entries((v ?? {}) as Record<string, unknown>).map(([a, b]): [string, string] => [a, typeof b === "string" ? b : JSON.stringify(b) ?? ""]));
  return fc.oneof(weighted(2, fc.constant<[string, string][]>([])), weighted(6, fromOp), weighted(3, random));
}

/** The scene's real values for the API's properties, by name. */
function hints(k: Knowledge): Hints {
  const s = k.scene;
  const pool = fc.constantFrom(...Object.values(s.params), ...s.accounts.values(), s.orgB.id);
  const ids: Record<string, string[]> = {
    organisationId: [s.orgA.id], unitId: [s.unitId], parentId: [s.unitId], scopeId: [s.orgA.id, s.unitId], personId: [s.params.personId!], accountId: [s.params.accountId!, ...s.accounts.values()],
    caseId: [s.params.caseId!], categoryId: [s.params.categoryId!], contactId: [s.params.contactId!], attachmentId: [s.params.attachmentId!],
    investigatorId: [s.accounts.get("investigator")!], coordinatorId: [s.accounts.get("coordinator")!], roleAssignmentId: [s.params.grantId!], id: [s.orgA.id, s.params.groupId!],
  };
  return (name) => {
    if (ids[name]) return fc.oneof(weighted(6, fc.constantFrom(...ids[name]!)), weighted(2, pool), weighted(1, fc.uuid()));
    if (/Id$/.test(name)) return fc.oneof(pool, fc.uuid());
    if (name === "natures") return fc.subarray(s.codes.natures, { minLength: 1 });
    if (name === "measures") return fc.subarray(s.codes.measures);
    if (/On$/.test(name)) return fc.constantFrom(today(), "2024-03-01");
    if (name === "receipt") return fc.constant(s.receipt);
    if (name === "email") return fc.oneof(fc.constantFrom("eva@a.example", ...s.emails.values()), fc.nat().map((n) => `nieuw${n}@a.example`));
    if (name === "positionId") return fc.constant("");
    if (name === "managerNumber") return fc.constantFrom("", "A-1");
    if (name === "employeeNumber") return fc.oneof(fc.constant("A-1"), fc.nat(50).map((n) => `F-${n}`));
    if (name === "startDate" || name === "endDate") return fc.constantFrom("", today());
    if (name === "year") return fc.constantFrom(new Date().getFullYear(), new Date().getFullYear() - 1);
    if (name === "csv") return fc.constantFrom("personeelsnummer,voornaam,achternaam\nA-9,Api,Fuzz\n", "personeelsnummer;voornaam;achternaam\n");
    return undefined;
  };
}

/** A file part: one of the prepared files, or random bytes, under an odd name and a type that may lie. */
function fileArb(k: Knowledge, field: string): fc.Arbitrary<FilePart> {
  const keys = Object.keys(k.files);
  return fc.record({
    field: fc.oneof(weighted(8, fc.constant(field)), weighted(1, fc.constantFrom("file", "bestand", "x"))),
    name: fileNameArb,
    type: fc.constantFrom("application/octet-stream", "text/plain", "image/png", "application/pdf", "text/csv", "application/x-msdownload", "", "image/svg+xml"),
    content: fc.oneof(weighted(6, fc.constantFrom(...keys)), weighted(1, fc.uint8Array({ maxLength: 256 }))),
  });
}

type Broken = (Body & { kind: "multipart" })["broken"];
const brokenArb: fc.Arbitrary<Broken> = fc.oneof(weighted(20, fc.constant<Broken>("no")), weighted(1, fc.constantFrom<Broken>("truncated", "noBoundary", "wrongBoundary", "noEnd", "manyFields")));

function extrasArb(k: Knowledge): fc.Arbitrary<[string, string][]> {
  return fc.oneof(weighted(4, fc.constant<[string, string][]>([])), weighted(1, fc.array(fc.tuple(fc.constantFrom(...k.fieldNames, "__proto__", "constructor", "a[b]", "x.y", "_csrf", ""), textArb()), { minLength: 1, maxLength: 3 })));
}

/** A page route's body: one of the forms the pages offer for it (as this person, or as anyone), changed. */
function pageBodyArb(k: Knowledge, route: RouteInfo, who: Who): fc.Arbitrary<Body | null> {
  const forms = k.forms(route.method, route.url, who);
  const generic: fc.Arbitrary<Body> = fc.array(fc.tuple(fc.constantFrom(...k.fieldNames), textArb()), { maxLength: 6 }).map((fields) => ({ kind: "form", fields }));
  const odd: fc.Arbitrary<Body> = fc.oneof(
    fc.record({ kind: fc.constant("json" as const), value: fc.oneof(wrongValue, fc.dictionary(fc.constantFrom(...k.fieldNames), textArb(), { maxKeys: 4 })) }),
    fc.record({ kind: fc.constant("raw" as const), text: fc.oneof(textOrHuge(), fc.constantFrom("%", "%%%", "a=%E0%A4%A", "=&=&", "&&&", "a[=1", "a[b][c][d][e][f][g]=1", "a=1&a=2&a=3", "_csrf[]=1&_csrf[]=2")) }),
  );
  const fromForms = forms.map((form) => {
    const fields = formFieldsArb(k, route.url, form);
    const fileField = form.fields.find((f) => f.kind === "file")?.name;
    if (form.multipart) {
      return fc.record({
        kind: fc.constant("multipart" as const), fields,
        files: fileField ? fc.oneof(weighted(6, fileArb(k, fileField).map((f) => [f])), weighted(1, fc.constant<[string, string][]>([])), weighted(1, fc.array(fileArb(k, fileField), { minLength: 2, maxLength: 2 }))) : fc.constant<[string, string][]>([]),
        broken: brokenArb,
      }) as fc.Arbitrary<Body>;
    }
    return fields.map((f): Body => ({ kind: "form", fields: f }));
  });
  const asMultipart: fc.Arbitrary<Body> = fc.record({
    kind: fc.constant("multipart" as const), fields: fc.array(fc.tuple(fc.constantFrom(...k.fieldNames), textArb()), { maxLength: 4 }),
    files: fc.array(fileArb(k, "file"), { maxLength: 1 }), broken: brokenArb,
  });
  return fc.oneof(
    ...fromForms.map((a) => weighted(Math.ceil(24 / fromForms.length), a)),
    weighted(forms.length ? 2 : 12, generic),
    weighted(1, odd),
    weighted(1, asMultipart),
    weighted(1, fc.constant(null)),
  );
}

/** An API route's body: from its schema, valid or malformed, or not JSON at all. */
function apiBodyArb(k: Knowledge, route: RouteInfo): fc.Arbitrary<Body | null> {
  const schema = route.op?.body ? (z.toJSONSchema(route.op.body, { io: "input", unrepresentable: "any" }) as Record<string, unknown>) : undefined;
  const valid = schema ? fromSchema(schema, hints(k)) : fc.constant({});
  const notJson: fc.Arbitrary<Body> = fc.oneof(
    fc.record({ kind: fc.constant("raw" as const), text: fc.oneof(fc.constantFrom("", "{", "}", "[", "null", "nul", "\u0000", "{\"a\":1,}", "{'a':1}", "\uFEFF{}", "1e99999", "\"\\ud800\"", "{\"__proto__\":{\"admin\":true}}", "{\"constructor\":{\"prototype\":{\"x\":1}}}"), textOrHuge()) }),
    fc.array(fc.tuple(fc.constantFrom(...k.fieldNames), textArb()), { maxLength: 4 }).map((fields): Body => ({ kind: "form", fields })),
  );
  return fc.oneof(
    weighted(10, valid.map((value): Body => ({ kind: "json", value }))),
    weighted(4, malformed(valid).map((value): Body => ({ kind: "json", value }))),
    weighted(2, notJson),
    weighted(1, fc.constant(null)),
  );
}

/** Every request one person could send to one route. */
export function planArb(k: Knowledge, route: RouteInfo, who: Who): fc.Arbitrary<Plan> {
  const api = isApi(route.url);
  const writes = route.method !== "GET";
  const body: fc.Arbitrary<Body | null> = writes
    ? (api ? apiBodyArb(k, route) : pageBodyArb(k, route, who))
    : fc.oneof(weighted(20, fc.constant(null)), weighted(1, api ? apiBodyArb(k, route) : pageBodyArb(k, route, who)));
  return fc.record({
    who: fc.constant(who),
    method: route.method === "GET" ? fc.oneof(weighted(12, fc.constant("GET")), weighted(1, fc.constant("HEAD"))) : fc.constant(route.method),
    path: pathArb(k, route.url),
    query: queryArb(k, route.url, route.op),
    body,
    contentType: contentTypeArb,
    headers: headersArb,
    cookies: cookiesArb,
    auth: fc.oneof(weighted(16, fc.constant<Plan["auth"]>("normal")), weighted(1, fc.constantFrom<Plan["auth"]>("none", "garbage", ...(api ? ["session" as const] : [])))),
    csrf: csrfArb,
    mailbox: route.url.startsWith("/melden/") ? fc.oneof(weighted(4, fc.constant(true)), weighted(1, fc.constant(false))) : fc.constant(false),
    remote: remoteArb,
  });
}

// ---- sending -------------------------------------------------------------------------------------

/** The plan as app.inject options, with the scene's sessions, tokens and CSRF pair as they are now. */
export function toInject(k: Knowledge, p: Plan) {
  const s = k.scene;
  const api = isApi(p.path);
  const headers: Record<string, string> = {};
  const cookies: string[] = [s.csrf.cookie];
  const signedIn = p.who !== "anonymous";
  if (signedIn && p.auth !== "none") {
    if (api && p.auth === "normal") headers.authorization = `Bearer ${s.apiTokens.get(p.who)}`;
    else if (p.auth === "garbage") { if (api) headers.authorization = "Bearer intact_garbage"; else cookies.push("intact_session=garbage"); }
    else cookies.push(`intact_session=${s.sessions.get(p.who)}`);
  } else if (p.auth === "garbage") headers.authorization = headerSafe(`Bearer ${INJECTIONS[p.path.length % INJECTIONS.length]}`);
  if (p.mailbox) cookies.push(`intact_mailbox=${s.mailbox.token}`);
  cookies.push(...p.cookies);
  headers.cookie = cookies.filter(Boolean).join("; ");

  let payload: string | Buffer | undefined;
  let contentType: string | undefined;
  const token = s.csrf.token;
  const withCsrf = (fields: [string, string][]): [string, string][] => {
    if (api) return fields;
    switch (p.csrf) {
      case "valid": return [["_csrf", token], ...fields];
      case "garbage": return [["_csrf", "garbage"], ...fields];
      case "twice": return [["_csrf", token], ["_csrf", token], ...fields];
      case "header": headers["x-csrf-token"] = token; return fields;
      default: return fields;
    }
  };
  const b = p.body;
  if (b?.kind === "form") { payload = urlencoded(withCsrf(b.fields)); contentType = "application/x-www-form-urlencoded"; }
  else if (b?.kind === "multipart") {
    const m = multipart(withCsrf(b.fields), b.files, (c) => (typeof c === "string" ? k.files[c] ?? Buffer.from(c) : Buffer.from(c)), b.broken);
    payload = m.payload; contentType = m.contentType;
  } else if (b?.kind === "json") {
    payload = JSON.stringify(api || p.csrf !== "valid" || !b.value || typeof b.value !== "object" || Array.isArray(b.value) ? b.value : { _csrf: token, ...b.value }) ?? "null";
    contentType = "application/json";
  } else if (b?.kind === "raw") { payload = b.text; contentType = "text/plain"; }
  if (p.contentType !== null) contentType = p.contentType;
  if (contentType !== undefined && payload !== undefined) headers["content-type"] = contentType;
  for (const [h, v] of p.headers) headers[h] = v;
  const query = p.query.length ? `?${urlencoded(p.query)}` : "";
  return { method: p.method as "GET", url: p.path + query, headers, payload, remoteAddress: p.remote };
}

export async function send(k: Knowledge, p: Plan): Promise<LightMyRequestResponse> {
  return k.scene.app.inject(toInject(k, p));
}

/** The request in a few lines (long strings cut), for a failure message. */
export function describePlan(k: Knowledge, p: Plan): string {
  const cut = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);
  const i = toInject(k, p);
  const headers = Object.entries(i.headers).map(([h, v]) => `  ${h}: ${cut(v, 200)}`).join("\n");
  const payload = i.payload === undefined ? "" : Buffer.isBuffer(i.payload) ? cut(i.payload.toString("latin1"), 1500) : cut(i.payload, 1500);
  return `${i.method} ${cut(i.url, 500)}  (as ${p.who}, from ${p.remote})\n${headers}\n\n${JSON.stringify(payload)}`;
}
