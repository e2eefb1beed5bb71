// fast-check arbitraries for the fuzz suite: text that tends to break things (injection strings, unicode, control
// characters, NUL bytes, boundary lengths), values derived from a JSON Schema (the API's zod schemas through
// z.toJSONSchema) and their malformed variants, odd headers, and files that lie about what they are.
import fc from "fast-check";

// ---- text ----------------------------------------------------------------------------------------

export const INJECTIONS = [
  `<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`, `'><svg onload=alert(1)>`, `</textarea><script>alert(1)</script>`,
  `javascript:alert(1)`, `<a href="javascript:alert(1)">x</a>`, `<!--`, `]]>`, `<?xml version="1.0"?>`,
  `' OR '1'='1`, `'; DROP TABLE reports; --`, `" OR 1=1 --`, `1; SELECT pg_sleep(3); --`, `%' --`, `\\'`, `') OR ('a'='a`,
  `1' UNION SELECT password_hash FROM accounts --`, `$1`, `?`, `:name`,
  `{{7*7}}`, `\${7*7}`, `<%= 7*7 %>`, `#{7*7}`, `=cmd|' /C calc'!A0`, `@SUM(1+1)`, `+1`, `-1+1`,
  `../../../../etc/passwd`, `..\\..\\..\\windows\\win.ini`, `%2e%2e%2f%2e%2e%2f`, `/etc/passwd\u0000.txt`, `file:///etc/passwd`,
  `\u0000`, `a\u0000b`, `\u0007\u0008\u001b[31m`, `\r\nSet-Cookie: x=1`, `\r\n\r\n<h1>`, `\u202Etxt.exe`, `\u200B\u200C\u200D`, `\uFEFF`,
  `\u2028\u2029`, `\uFFFE\uFFFF`, `\uD800`, `\uDFFF\uD800`, `𝕳𝖊𝖑𝖑𝖔`, `👩‍👩‍👧‍👦`, `Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇`, `ﷺ`, `مرحبا بالعالم`, `שלום`, `ǅ`, `İ`, `ß`, `ﬃ`,
  `__proto__`, `constructor`, `prototype`, `toString`, `hasOwnProperty`, `NaN`, `Infinity`, `-Infinity`, `-1`, `0`, `-0`, `1e309`,
  `9007199254740993`, `0x10`, `1_000`, `true`, `false`, `null`, `undefined`, `[]`, `{}`, `[object Object]`,
  `2024-02-30`, `2024-02-29`, `2023-02-29`, `0000-00-00`, `9999-12-31`, `2024-13-01`, `-001-01-01`, `+275760-09-13`, `2024-01-01T00:00:00Z`,
  `1970-01-01`, `2100-01-01`, `1899-12-31`, ` `, `\t`, ``, `  padded  `, `a@b`, `@`, `x@y.z`, `"quoted"@example.com`,
];

/** Strings of boundary lengths (the schemas' max lengths are 40, 50, 100, 150, 200, 254, 300, 500, 4000, 10000, 20000). */
const BOUNDARY_LENGTHS = [1, 40, 41, 50, 51, 60, 61, 100, 101, 150, 151, 200, 201, 254, 255, 300, 301, 500, 501, 4000, 4001, 10_000, 10_001, 20_000, 20_001];
export const boundaryString = fc.tuple(fc.constantFrom(...BOUNDARY_LENGTHS), fc.constantFrom("a", "é", "😀", "<", "\u0000", " "))
  .map(([n, c]) => c.repeat(n));
/** Past the form body limit (256 KiB) and the JSON body limit (1 MiB). */
export const hugeString = fc.constantFrom(300 * 1024, 1100 * 1024).map((n) => "x".repeat(n));

export function textArb(extra: readonly string[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...INJECTIONS, ...extra) },
    { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
    { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) },
    { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary-ascii", maxLength: 20 }) },
    { weight: 2, arbitrary: boundaryString },
    { weight: 1, arbitrary: fc.integer().map(String) },
    { weight: 1, arbitrary: fc.double().map(String) },
    { weight: 1, arbitrary: fc.emailAddress() },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)) },
  );
}

/** Return addresses: same-site paths with odd characters, and the classic open-redirect tricks. */
export const REDIRECTS = ["//evil.example", "//evil.example/%2e%2e", "/\\evil.example", "\\\\evil.example", "https://evil.example", "http:evil.example",
  "/\t/evil.example", "/%2F%2Fevil.example", "/%5Cevil.example", "///evil.example", "/.//evil.example", "javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>", "/\u3000/evil.example", " /x", "/x#//evil.example", "/x?a=//evil.example", "/@evil.example",
  "//evil.example@localhost", "/\r\nLocation: https://evil.example", "/\u2028", "/€", "/é", "/\u0085x"];
export const returnPathArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...REDIRECTS),
  textArb().map((s) => `/${s}`),
  fc.string({ unit: "binary", maxLength: 12 }).map((s) => `/${s}`),
  fc.webPath().map((s) => s || "/"),
);

/** Rarely, a body past every limit. */
export const textOrHuge = (extra: readonly string[] = []) => fc.oneof({ weight: 60, arbitrary: textArb(extra) }, { weight: 1, arbitrary: hugeString });

// ---- JSON Schema → values ---------------------------------------------------------------------------

type Js = Record<string, unknown> & { type?: string | string[]; properties?: Record<string, Js>; items?: Js; anyOf?: Js[]; oneOf?: Js[]; allOf?: Js[] };

/** What the scene knows for a property name (a real id for "caseId", today for "contactOn", the natures' codes). */
export type Hints = (name: string) => fc.Arbitrary<unknown> | undefined;

/** Values that satisfy a JSON Schema (as z.toJSONSchema writes it), with its boundaries; `hints` adds the scene's real
 *  values for properties it knows by name. */
export function fromSchema(schema: Js | undefined, hints: Hints, name = "", depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return fc.constant(undefined);
  const hint = hints(name);
  if (hint && depth > 0) return fc.oneof({ weight: 4, arbitrary: hint }, { weight: 1, arbitrary: fromSchema(schema, () => undefined, name, depth) });
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const alts = schema.anyOf ?? schema.oneOf;
  if (alts) return fc.oneof(...alts.map((s) => fromSchema(s, hints, name, depth + 1)));
  if (schema.allOf?.length) return fromSchema(schema.allOf[0], hints, name, depth + 1);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length > 1) return fc.oneof(...types.map((t) => fromSchema({ ...schema, type: t }, hints, name, depth + 1)));
  switch (types[0]) {
    case "string": {
      const min = Number(schema.minLength ?? 0), max = Math.min(Number(schema.maxLength ?? 60), 300);
      const options: fc.Arbitrary<string>[] = [fc.string({ minLength: min, maxLength: Math.max(min, Math.min(max, 30)) })];
      if (typeof schema.pattern === "string") {
        try { options.push(fc.stringMatching(new RegExp(schema.pattern as string)).filter((s) => s.length >= min && s.length <= Number(schema.maxLength ?? Infinity))); } catch { /* a pattern JS cannot compile */ }
      }
      if (schema.format === "email") options.push(fc.emailAddress().filter((s) => s.length <= 254));
      if (/(On|Date)$/.test(name)) options.push(fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)));
      if (schema.maxLength !== undefined && Number(schema.maxLength) <= 20_000) options.push(fc.constant("a".repeat(Number(schema.maxLength))));
      if (min > 0) options.push(fc.constant("a".repeat(min)));
      return fc.oneof(...options);
    }
    case "integer":
    case "number": {
      const min = typeof schema.minimum === "number" ? schema.minimum : -1e6, max = typeof schema.maximum === "number" ? schema.maximum : 1e6;
      const ints = fc.integer({ min: Math.max(min, -2_147_483_648), max: Math.min(max, 2_147_483_647) });
      return fc.oneof(ints, fc.constantFrom(min, max), ...(types[0] === "number" ? [fc.double({ min, max, noNaN: true })] : []));
    }
    case "boolean": return fc.boolean();
    case "null": return fc.constant(null);
    case "array": {
      const maxItems = Math.min(Number(schema.maxItems ?? 4), 4);
      return fc.array(fromSchema(schema.items, hints, `${name}[]`, depth + 1), { minLength: Number(schema.minItems ?? 0), maxLength: Math.max(maxItems, Number(schema.minItems ?? 0)) });
    }
    case "object": {
      const props = schema.properties ?? {};
      const required = new Set((schema.required as string[] | undefined) ?? []);
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, s] of Object.entries(props)) model[k] = fromSchema(s, hints, k, depth + 1);
      if (!Object.keys(model).length) return fc.constant({});
      return fc.record(model, { requiredKeys: [...required].filter((k) => k in model) });
    }
    default: return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A value of the wrong kind for whatever was expected. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -1e308, "", [], {}, [[]], { a: { b: {} } }, "__proto__"),
  textArb(), fc.array(textArb(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
  fc.constantFrom(20, 200, 2000).map((n) => JSON.parse("[".repeat(n) + "]".repeat(n)) as unknown),
  fc.constantFrom(20, 2000).map((n) => JSON.parse('{"a":'.repeat(n) + "1" + "}".repeat(n)) as unknown),
);

/** A valid value made invalid in one of many ways: a field dropped, a field of the wrong type, extra and prototype keys. */
export function malformed(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.tuple(valid, fc.nat()).map(([v, i]) => {
      if (!v || typeof v !== "object" || Array.isArray(v)) return v;
      const keys = Object.keys(v);
      if (!keys.length) return v;
      const copy: Record<string, unknown> = { ...(v as Record<string, unknown>) };
      delete copy[keys[i % keys.length]!];
      return copy;
    }),
    fc.tuple(valid, fc.nat(), wrongValue).map(([v, i, w]) => {
      if (!v || typeof v !== "object" || Array.isArray(v)) return w;
      const keys = Object.keys(v);
      return keys.length ? { ...(v as object), [keys[i % keys.length]!]: w } : { x: w };
    }),
    fc.tuple(valid, fc.constantFrom("__proto__", "constructor", "prototype", "toString", "", "a.b", "0"), wrongValue).map(([v, k, w]) =>
      v && typeof v === "object" && !Array.isArray(v) ? JSON.parse(JSON.stringify(v).replace(/^\{/, `{${JSON.stringify(k)}:${JSON.stringify(w) ?? "null"}${Object.keys(v).length ? "," : ""}`)) as unknown : v),
    wrongValue,
  );
}

// ---- headers -------------------------------------------------------------------------------------

/** Header values a client can send (latin1, no line breaks). */
export const headerSafe = (s: string) => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, "?");

export const oddHeader: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.tuple(fc.constant("accept-language"), fc.oneof(fc.constantFrom("*", "en", "nl-NL,nl;q=0.9,en;q=0.8", "zz-ZZ", ";q=", ",,,,", "en;q=abc", "x".repeat(5000)), fc.string({ maxLength: 40 }))),
  fc.tuple(fc.constant("accept"), fc.constantFrom("*/*", "application/json", "text/html", "application/problem+json", "image/png", "", "garbage/;;")),
  fc.tuple(fc.constant("x-forwarded-for"), fc.oneof(fc.ipV4(), fc.constantFrom("1.1.1.1, 2.2.2.2", "garbage", "::1", "unknown"))),
  fc.tuple(fc.constantFrom("x-forwarded-host", "x-forwarded-proto", "host"), fc.constantFrom("evil.example", "localhost:1", "", "[::1]", "a".repeat(300))),
  fc.tuple(fc.constant("if-none-match"), fc.oneof(fc.string({ maxLength: 40 }), fc.constant("*"))),
  fc.tuple(fc.constantFrom("origin", "referer"), fc.constantFrom("https://evil.example", "null", "http://localhost:8080/", "javascript:alert(1)")),
  fc.tuple(fc.constant("x-http-method-override"), fc.constantFrom("DELETE", "PUT", "GET")),
  fc.tuple(fc.constant("range"), fc.constantFrom("bytes=0-1", "bytes=-1", "bytes=999999999-", "bytes=garbage")),
  fc.tuple(fc.constant("transfer-encoding"), fc.constantFrom("chunked", "gzip")),
  fc.tuple(fc.constant("content-encoding"), fc.constantFrom("gzip", "deflate", "br", "identity", "garbage")),
  fc.tuple(fc.constant("user-agent"), fc.oneof(fc.string({ maxLength: 60 }), fc.constant("x".repeat(10_000)))),
  fc.tuple(fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 20 }).map((s) => `x-${s.replace(/[^a-z0-9-]/gi, "") || "a"}`), fc.string({ maxLength: 40 })),
).map(([k, v]) => [k, headerSafe(v)]);

/** Extra cookies: huge ones, garbage sessions, a language or flash cookie with odd values, duplicates. */
export const oddCookie: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(8, 16, 64).map((kb) => `big=${"a".repeat(kb * 1024)}`),
  fc.string({ maxLength: 40 }).map((s) => `intact_session=${encodeURIComponent(s)}`),
  fc.constantFrom("intact_session=", "intact_session=%E0%A4%A", "intact_session=\"quoted\"", "intact_csrf=garbage", "intact_mailbox=mb_garbage",
    "intact_lang=xx", "intact_lang=en", "intact_lang=__proto__", "intact_flash=__proto__", "intact_flash=error.server", "intact_flash=constructor",
    "__Host-intact_session=x", "=", ";;;;", "a=b=c", "intact_flash=%FF"),
  fc.tuple(fc.constantFrom("intact_flash", "intact_lang", "x"), fc.string({ maxLength: 40 })).map(([k, v]) => `${k}=${encodeURIComponent(v)}`),
).map(headerSafe);

/** Content types that lie about the body. */
export const lyingContentType = fc.constantFrom(
  "application/json", "application/x-www-form-urlencoded", "text/plain", "multipart/form-data", "multipart/form-data; boundary=",
  "multipart/form-data; boundary=nope", "application/json; charset=utf-16", "application/json; charset=latin1", "application/x-www-form-urlencoded; charset=utf-16",
  "application/xml", "text/html", "application/octet-stream", "", "*/*", "application/json;;;", "APPLICATION/JSON", "application/jsonp", "application/problem+json",
);

// ---- encoding ------------------------------------------------------------------------------------

/** Percent-encodes any string (a lone surrogate becomes U+FFFD's bytes, as a browser would send it). */
export function pct(s: string): string {
  try { return encodeURIComponent(s); } catch { return [...Buffer.from(s, "utf8")].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join(""); }
}
export const urlencoded = (pairs: [string, string][]) => pairs.map(([k, v]) => `${pct(k)}=${pct(v)}`).join("&");

export type FilePart = { field: string; name: string; type: string; content: string | Uint8Array };
/** A multipart/form-data body as a browser would send it — or broken in one of a few ways. */
export function multipart(fields: [string, string][], files: FilePart[], resolve: (content: string | Uint8Array) => Buffer,
  broken: "no" | "truncated" | "noBoundary" | "wrongBoundary" | "noEnd" | "manyFields" = "no"): { payload: Buffer; contentType: string } {
  const boundary = "----intact-fuzz-7MA4YWxkTrZu0gW";
  const parts: Buffer[] = [];
  const all = broken === "manyFields" ? [...fields, ...Array.from({ length: 60 }, (_, i): [string, string] => [`f${i}`, "x"])] : fields;
  for (const [k, v] of all) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`));
    parts.push(resolve(f.content), Buffer.from("\r\n"));
  }
  if (broken !== "noEnd") parts.push(Buffer.from(`--${boundary}--\r\n`));
  let payload = Buffer.concat(parts);
  if (broken === "truncated") payload = payload.subarray(0, Math.floor(payload.length / 2));
  const contentType = broken === "noBoundary" ? "multipart/form-data" : broken === "wrongBoundary" ? "multipart/form-data; boundary=other" : `multipart/form-data; boundary=${boundary}`;
  return { payload, contentType };
}

/** File names a reporter (or an attacker) might send. */
export const fileNameArb = fc.oneof(
  fc.constantFrom("bewijs.txt", "foto.jpg", "brief.pdf", "verslag.docx", "lijst.csv", "", ".", "..", "../../../../etc/passwd", "..\\..\\boot.ini",
    "/etc/passwd", "C:\\Windows\\system32\\cmd.exe", "a/b/c.txt", "%2e%2e%2fx.txt", "x.txt\u0000.exe", "\u202Etxt.exe", "CON", "aux.txt", "nul",
    ".htaccess", "x.php", "x.html", "x.svg", "x.exe", "x".repeat(1000) + ".txt", "é.txt", "😀.pdf", "<script>.txt", "\"quoted\".txt", "a;b=c.txt",
    "a\r\nContent-Type: text/html.txt", " .txt", "x.tar.gz", "x.docm"),
  fc.string({ maxLength: 30 }),
);
