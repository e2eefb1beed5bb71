import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import zlib from "node:zlib";
import type { LightMyRequestResponse } from "fastify";
import sharp from "sharp";
import { createLogger } from "../../src/log.ts";
import { makeAccount, grant } from "../helpers/fixtures.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { multipart, REDIRECTS, urlencoded } from "./arbitraries.ts";
import { parseForms, unescapeHtml, type FormSpec } from "./forms.ts";
import { GOOD, harvest, type Harvest } from "./harvest.ts";
import { integrityProblems, rowCounts } from "./integrity.ts";
import { buildScene, WHO, type Scene, type Who } from "../helpers/scene.ts";

// The abuse cases of issue 5, each through the real app (app.inject): receipt guessing, sign-in brute force, forms
// without their CSRF token, oversized files and zip bombs, files that lie about their type, path traversal in file
// names, SQL and HTML in every text field of the intake and the case page, and open redirects. Timing is measured,
// never asserted as an absolute: wrong and right answers must both take at least the configured minimum and about
// as long as each other.

const MIN_MS = 150;
const ENV = {
  RECEIPT_MIN_MS: String(MIN_MS), LOGIN_MIN_MS: String(MIN_MS), RECEIPT_MAX_FAILURES: "5", LOGIN_MAX_FAILURES: "3", ATTACHMENT_MAX_FILE_MB: "1",
};
/** How far apart the medians of right and wrong answers may be (timers and hashing jitter, not a leak). */
const TOLERANCE_MS = 60;

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };
/** Every answer takes at least MIN_MS, and the kinds of answer (right, wrong, …) have medians within TOLERANCE_MS.
 *  npm test runs two test files at once on two cores, so one measurement can catch the other file's burst of work:
 *  up to three measurements are taken and the closest counts. A real difference (a leak) shows in all three. */
async function assertAlike(measure: () => Promise<Record<string, number[]>>, setting: string) {
  const tries: string[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const times = await measure();
    for (const ms of Object.values(times).flat()) assert.ok(ms >= MIN_MS - 2, `every answer takes at least ${setting} (${ms.toFixed(0)} ms)`);
    const medians = Object.values(times).map(median);
    tries.push(Object.entries(times).map(([k, v]) => `${k} ${median(v).toFixed(0)} ms`).join(", "));
    if (Math.max(...medians) - Math.min(...medians) <= TOLERANCE_MS) return;
  }
  assert.fail(`medians differ by more than ${TOLERANCE_MS} ms in three measurements: ${tries.join("; ")}`);
}
const h1 = (html: string) => /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html)?.[1]?.replace(/<[^>]+>/g, "").trim();
const text = (html: string) => unescapeHtml(html.replace(/<[^>]+>/g, " ")).replace(/\s+/g, " ");

/** Markup that would run or load something if a page had it unescaped. */
const RAW_MARKUP = [/<script\b/i, /<img\b[^>]*\bonerror\s*=/i, /<svg\b[^>]*\bonload\s*=/i, /<iframe\b/i, /\bhref\s*=\s*"javascript:/i];
const rawMarkup = (html: string) => RAW_MARKUP.filter((re) => re.test(html)).map(String);

// ---- a zip, written by hand so its headers can say what we want ----------------------------------------

type ZipEntry = { name: string; data: Buffer } | { name: string; deflated: Buffer; size: number; crc: number; declaredSize?: number };
function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [], centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const [method, body, crc, size] = "data" in e
      ? [8, zlib.deflateRawSync(e.data), zlib.crc32(e.data), e.data.length]
      : [8, e.deflated, e.crc, e.declaredSize ?? e.size];
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0, 6); local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10); local.writeUInt16LE(0x21, 12); local.writeUInt32LE(crc >>> 0, 14); local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22); local.writeUInt16LE(name.length, 26); local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(0, 8);
    central.writeUInt16LE(method, 10); central.writeUInt16LE(0, 12); central.writeUInt16LE(0x21, 14); central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(body.length, 20); central.writeUInt32LE(size, 24); central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const WORD_PARTS: ZipEntry[] = [
  { name: "[Content_Types].xml", data: Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`) },
  { name: "_rels/.rels", data: Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`) },
  { name: "word/document.xml", data: Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>De kas klopt niet.</w:t></w:r></w:p></w:body></w:document>`) },
];

/** A .docx of 300 KB that unpacks to 257 MiB of zeros (past the 256 MiB the cleaner allows): honest headers, and the same
 *  bytes with headers that claim 1 KB. Made once. */
let bombs: { honest: Buffer; lying: Buffer } | undefined;
function zipBombs() {
  if (bombs) return bombs;
  const zeros = Buffer.alloc(257 * 2 ** 20);
  const filler = { name: "word/media/filler.bin", deflated: zlib.deflateRawSync(zeros, { level: 9 }), size: zeros.length, crc: zlib.crc32(zeros) };
  bombs = { honest: zip([...WORD_PARTS, filler]), lying: zip([...WORD_PARTS, { ...filler, declaredSize: 1024 }]) };
  return bombs;
}

for (const { kind, skip } of DB_KINDS) {
  describe(`abuse cases (${kind})`, { skip }, () => {
    let s: Scene;
    let learned: Harvest;
    const logs: string[] = [];
    const sink = new Writable({ write(chunk, _enc, done) { logs.push(String(chunk)); done(); } });

    before(async () => {
      // The app logs as in production (info), into `logs`: a guesser's address must not end up there.
      s = await buildScene(kind, ENV, { log: createLogger("info", sink) });
      learned = await harvest(s, ["anonymous", "employee", "advisor", "coordinator", "secretary", "admin"]);
    });
    after(async () => { await s?.close(); });

    const cookie = (who: Who, extra: string[] = []) => [s.csrf.cookie, who === "anonymous" ? "" : `intact_session=${s.sessions.get(who)}`, ...extra].filter(Boolean).join("; ");
    const postForm = (url: string, fields: [string, string][], opts: { who?: Who; csrf?: boolean; remote?: string; cookies?: string[] } = {}) =>
      s.app.inject({
        method: "POST", url, remoteAddress: opts.remote ?? "127.0.0.1",
        payload: urlencoded([...(opts.csrf === false ? [] : [["_csrf", s.csrf.token] as [string, string]]), ...fields]),
        headers: { cookie: cookie(opts.who ?? "anonymous", opts.cookies), "content-type": "application/x-www-form-urlencoded" },
      });
    const get = (url: string, who: Who = "anonymous", extra: string[] = []) => s.app.inject({ method: "GET", url, headers: { cookie: cookie(who, extra) } });
    const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => { const t0 = performance.now(); const r = await fn(); return [r, performance.now() - t0]; };
    const mailboxUrl = () => `/melden/${s.orgA.slug}/postbus`;
    /** A file sent from the reporter's mailbox straight to the case (the same cleaning as the intake's files step). */
    const sendFile = (name: string, content: Buffer, type = "application/octet-stream") => {
      const m = multipart([["_csrf", s.csrf.token]], [{ field: "file", name, type, content }], (c) => c as Buffer);
      return s.app.inject({
        method: "POST", url: `${mailboxUrl()}/bestanden`, payload: m.payload,
        headers: { cookie: cookie("anonymous", [`intact_mailbox=${s.mailbox.token}`]), "content-type": m.contentType },
      });
    };
    const attachmentIds = async () => (await s.ctx.db.selectFrom("report_attachments").select("id").where("report_id", "=", s.reportIds.mailbox).execute()).map((r) => r.id);
    const download = (attachmentId: string) => get(`/meldingen/${s.reportIds.mailbox}/bijlagen/${attachmentId}`, "coordinator");

    test("receipt guessing: throttled per client, as slow as a right receipt, and nothing stored about the guesser", async () => {
      const guess = (receipt: string, remote: string) => postForm(mailboxUrl(), [["receipt", receipt]], { remote });
      const wrong = () => String(Math.floor(Math.random() * 1e16)).padStart(16, "0");
      // Timing: right and wrong receipts, each from its own client, both at least RECEIPT_MIN_MS and alike.
      let client = 0;
      await assertAlike(async () => {
        const times = { right: [] as number[], wrong: [] as number[] };
        for (let i = 0; i < 5; i++) {
          client++;
          const [r1, t1] = await timed(() => guess(s.receipt, `198.51.100.${client}`));
          assert.equal(r1.statusCode, 303, "a right receipt opens the mailbox");
          times.right.push(t1);
          const [r2, t2] = await timed(() => guess(wrong(), `198.51.${client}.101`));
          assert.equal(r2.statusCode, 422);
          times.wrong.push(t2);
        }
        return times;
      }, "RECEIPT_MIN_MS");

      // Throttling: RECEIPT_MAX_FAILURES wrong receipts from one client, then that client is refused even the right one.
      const guesser = "203.0.113.77";
      logs.length = 0;
      const before = await rowCounts(s.ctx);
      const answers: LightMyRequestResponse[] = [];
      for (let i = 0; i < 8; i++) answers.push(await guess(wrong(), guesser));
      assert.deepEqual(answers.map((r) => r.statusCode), [422, 422, 422, 422, 422, 429, 429, 429]);
      const blocked = await guess(s.receipt, guesser);
      assert.equal(blocked.statusCode, 429, "a blocked client is refused the right receipt too");
      assert.equal(blocked.cookies.length, 0);
      // The API's mailbox is throttled the same way.
      const api = await s.app.inject({ method: "POST", url: `/api/v1/intake/${s.orgA.slug}/mailbox`, remoteAddress: guesser, payload: { receipt: wrong() } });
      assert.ok([422, 429].includes(api.statusCode), `API: ${api.statusCode}`);
      // Nothing stored about the guesser: not a row, not a cookie, not a log line with the address.
      assert.deepEqual(await rowCounts(s.ctx), before);
      for (const r of answers) assert.ok(!r.cookies.some((c) => c.name === "intact_mailbox"), "no mailbox cookie for a wrong receipt");
      assert.deepEqual(logs.filter((l) => l.includes(guesser)), [], "the guesser's address is logged nowhere");
      assert.deepEqual(logs.filter((l) => l.includes("postbus")), [], "reporter routes log no request lines");
      // Another client is not affected.
      assert.equal((await guess(s.receipt, "203.0.113.78")).statusCode, 303);
    });

    test("sign-in brute force: locked after LOGIN_MAX_FAILURES, right password refused while locked, wrong and right equally slow", async () => {
      const victim = await makeAccount(s.ctx, "doelwit@a.example");
      await grant(s.ctx, victim.id, "employee", "organisation", s.orgA.id, s.orgA.id);
      const bystander = await makeAccount(s.ctx, "omstander@a.example");
      await grant(s.ctx, bystander.id, "employee", "organisation", s.orgA.id, s.orgA.id);
      const login = (email: string, password: string) => timed(() => postForm("/inloggen", [["email", email], ["password", password], ["return", "/"]]));
      // Timing first, with an account that will not be locked: right password, wrong password, unknown address.
      let round = 0;
      await assertAlike(async () => {
        const times = { right: [] as number[], wrong: [] as number[], unknown: [] as number[] };
        for (let i = 0; i < 5; i++, round++) {
          const [ok, t1] = await login(bystander.email, s.password);
          assert.equal(ok.statusCode, 303);
          times.right.push(t1);
          const [bad, t2] = await login(bystander.email, `fout-${round}`);
          assert.equal(bad.statusCode, 401);
          times.wrong.push(t2);
          const [unknown, t3] = await login(`niemand-${round}@a.example`, "fout");
          assert.equal(unknown.statusCode, 401);
          times.unknown.push(t3);
          // A right password clears the failures, so the bystander is never locked here.
        }
        return times;
      }, "LOGIN_MIN_MS");

      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await login(victim.email, `raad-${i}`))[0].statusCode);
      assert.deepEqual(statuses, [401, 401, 401, 429, 429], "locked after 3 wrong passwords");
      const [locked] = await login(victim.email, s.password);
      assert.equal(locked.statusCode, 429, "the right password is refused while locked");
      assert.ok(!locked.cookies.some((c) => c.name === "intact_session" && c.value), "no session while locked");
      assert.match(text(locked.body), /Te veel mislukte pogingen/);
      // Upper case or spaces do not make a fresh address.
      assert.equal((await login(` ${victim.email.toUpperCase()} `, s.password))[0].statusCode, 429);
      assert.equal((await login(bystander.email, s.password))[0].statusCode, 303, "another account is not locked");
    });

    test("CSRF: every state-changing form route without its token answers 403 and writes nothing", async () => {
      const matrix = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "..", "matrix", "matrix.json"), "utf8")) as Record<string, Record<string, string>>;
      const routes = s.app.registeredRoutes.filter((r) => r.method !== "GET" && !r.url.startsWith("/api/"));
      assert.ok(routes.length > 50, `${routes.length} form routes`);
      // Another browser's token: valid in itself, but for another CSRF secret.
      const other = await s.app.inject({ method: "GET", url: "/inloggen" });
      const otherToken = /name="_csrf" value="([^"]+)"/.exec(other.body)![1]!;
      const before = await rowCounts(s.ctx);
      const failures: string[] = [];
      for (const r of routes) {
        const allowed = matrix[`${r.method} ${r.url}`];
        const who = (WHO.find((w) => allowed?.[w] === "allow") ?? "admin") as Who;
        const form: FormSpec | undefined = learned.forms(r.method, r.url, who)[0];
        const fields: [string, string][] = (form?.fields ?? []).filter((f) => f.name !== "_csrf" && f.kind !== "file")
          .map((f) => [f.name, GOOD[f.name] ?? f.values.find((v) => v) ?? "x"]);
        const url = s.fill(r.url);
        const mailbox = url.startsWith("/melden/") ? [`intact_mailbox=${s.mailbox.token}`] : [];
        const attempts: [string, Promise<LightMyRequestResponse>][] = [
          ["no token", postForm(url, fields, { who, csrf: false, cookies: mailbox })],
          ["another browser's token", postForm(url, [["_csrf", otherToken], ...fields], { who, csrf: false, cookies: mailbox })],
          ["no CSRF cookie", s.app.inject({ method: "POST", url, payload: urlencoded([["_csrf", s.csrf.token], ...fields]),
            headers: { cookie: [who === "anonymous" ? "" : `intact_session=${s.sessions.get(who)}`, ...mailbox].filter(Boolean).join("; "), "content-type": "application/x-www-form-urlencoded" } })],
        ];
        if (form?.multipart) {
          const m = multipart(fields, [{ field: "file", name: "a.txt", type: "text/plain", content: Buffer.from("abc") }], (c) => c as Buffer);
          attempts.push(["multipart without token", s.app.inject({ method: "POST", url, payload: m.payload, headers: { cookie: cookie(who, mailbox), "content-type": m.contentType } })]);
        }
        for (const [what, p] of attempts) {
          const res = await p;
          if (res.statusCode !== 403 || h1(res.body) !== "Formulier verlopen") failures.push(`${r.method} ${r.url} as ${who}, ${what}: ${res.statusCode} ${h1(res.body)}`);
        }
      }
      // The API, signed in with the session cookie instead of a token: the same rule.
      for (const r of s.app.registeredRoutes.filter((x) => x.method !== "GET" && x.url.startsWith("/api/") && !x.url.startsWith("/api/v1/intake/"))) {
        const who = WHO.find((w) => w !== "anonymous" && matrix[`${r.method} ${r.url}`]?.[w] === "allow");
        if (!who) continue;
        const res = await s.app.inject({ method: r.method as "POST", url: s.fill(r.url), payload: {}, headers: { cookie: cookie(who) } });
        if (res.statusCode !== 403 || res.json().code !== "csrf") failures.push(`${r.method} ${r.url} as ${who} with the session cookie: ${res.statusCode} ${res.body.slice(0, 80)}`);
      }
      assert.deepEqual(failures, []);
      assert.deepEqual(await rowCounts(s.ctx), before, "nothing was written");
    });

    test("oversized files are refused in words and nothing is stored; a body past the limit gets 413", async () => {
      const before = await rowCounts(s.ctx);
      const big = Buffer.alloc(Math.floor(1.5 * 2 ** 20), "a");
      const res = await sendFile("groot.txt", big);
      assert.equal(res.statusCode, 422);
      assert.match(text(res.body), /Dit bestand is te groot\. Een bestand mag maximaal 1 MB zijn\./);
      // A file on a route that takes none: past the app's 5 MiB multipart limit.
      const m = multipart([["_csrf", s.csrf.token], ["body", "hallo"]], [{ field: "file", name: "x.bin", type: "application/octet-stream", content: Buffer.alloc(6 * 2 ** 20) }], (c) => c as Buffer);
      const other = await s.app.inject({ method: "POST", url: `/meldingen/${s.params.caseId}/notities`, payload: m.payload, headers: { cookie: cookie("coordinator"), "content-type": m.contentType } });
      assert.equal(other.statusCode, 413);
      // A form body past 256 KiB.
      const form = await postForm(`/meldingen/${s.params.caseId}/notities`, [["note.body", "x".repeat(300 * 1024)]], { who: "coordinator" });
      assert.equal(form.statusCode, 413);
      assert.deepEqual(await rowCounts(s.ctx), before);
    });

    test("a zip bomb .docx is refused with its reason and nothing is stored, also when its headers lie", async () => {
      const { honest, lying } = zipBombs();
      assert.ok(honest.length < 1024 * 1024, `${honest.length} bytes`);
      const before = await rowCounts(s.ctx);
      const rss = process.memoryUsage().rss;
      const res = await sendFile("begroting.docx", honest);
      assert.equal(res.statusCode, 422);
      assert.match(text(res.body), /Dit bestand is uitgepakt te groot om te controleren/);
      assert.deepEqual(await rowCounts(s.ctx), before);
      // Headers that claim 1 KB: the cleaner inflates no more than the headers say (fflate fills a buffer of the declared
      // size), so the bomb is defused either way — refused, or kept cut to its declared size.
      const had = await attachmentIds();
      const liar = await sendFile("begroting.docx", lying);
      assert.ok(liar.statusCode === 422 || liar.statusCode === 303, `the lying bomb: ${liar.statusCode}`);
      const kept = (await attachmentIds()).filter((x) => !had.includes(x));
      for (const id of kept) {
        const row = await s.ctx.db.selectFrom("report_attachments").select("size").where("id", "=", id).executeTakeFirstOrThrow();
        assert.ok(Number(row.size) < 64 * 1024, `kept at ${row.size} bytes`);
      }
      assert.ok(process.memoryUsage().rss - rss < 200 * 2 ** 20, "neither bomb was inflated in memory");
    });

    test("files whose type lies are refused or renamed by what they are", async () => {
      const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: { r: 0, g: 0, b: 0 } } }).png().toBuffer();
      const exe = Buffer.concat([Buffer.from("MZ"), Buffer.alloc(62), Buffer.from("PE\0\0"), Buffer.alloc(200)]);
      exe.writeUInt32LE(64, 60);
      const before = await rowCounts(s.ctx);
      for (const [name, content, type] of [
        ["notitie.txt", Buffer.from("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"), "text/plain"],
        ["tekening.svg.txt", Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), "text/plain"],
        ["foto.jpg", exe, "image/jpeg"],
        ["brief.pdf", Buffer.from("%PDF-1.7 maar geen PDF"), "application/pdf"],
      ] as const) {
        const res = await sendFile(name, content, type);
        assert.equal(res.statusCode, 422, name);
        assert.match(text(res.body), /Dit soort bestand kunnen wij niet opslaan|Wij kunnen dit bestand niet openen/, name);
      }
      assert.deepEqual(await rowCounts(s.ctx), before, "nothing stored for the refused files");
      // A PNG called .pdf (and sent as application/pdf) is kept as what it is: a PNG with .png added.
      const had = await attachmentIds();
      const res = await sendFile("rapport.pdf", png, "application/pdf");
      assert.equal(res.statusCode, 303);
      const id = (await attachmentIds()).find((x) => !had.includes(x))!;
      const file = await download(id);
      assert.equal(file.statusCode, 200);
      assert.equal(file.headers["content-type"], "image/png");
      assert.match(String(file.headers["content-disposition"]), /^attachment; filename="rapport\.pdf\.png"/);
      assert.equal(file.headers["x-content-type-options"], "nosniff");
    });

    test("path traversal in file names: only the last part is kept, and nothing lands on disk", async () => {
      const filesBefore = new Set(walk(s.dataDir));
      const had = await attachmentIds();
      const names = ["../../../../etc/passwd", "..\\..\\..\\windows\\win.ini", "/tmp/absoluut.txt", "%2e%2e%2fencoded.txt", "map/../../x.txt", "\u202Etxt.exe", ".htaccess"];
      for (const name of names) assert.equal((await sendFile(name, Buffer.from(`inhoud van ${name}`), "text/plain")).statusCode, 303, name);
      const added = (await attachmentIds()).filter((x) => !had.includes(x));
      assert.equal(added.length, names.length);
      const dispositions: string[] = [];
      for (const id of added) dispositions.push(String((await download(id)).headers["content-disposition"]));
      for (const d of dispositions) {
        const star = decodeURIComponent(/filename\*=UTF-8''(.*)$/.exec(d)![1]!);
        const plain = /filename="([^"]*)"/.exec(d)![1]!;
        for (const n of [star, plain]) {
          assert.doesNotMatch(n, /[\\/]|^\.|\u202E/, `${d}`);
          assert.ok(!n.includes(".."), d);
        }
      }
      assert.ok(dispositions.some((d) => d.includes('filename="passwd.txt"')), dispositions.join("\n"));
      assert.ok(dispositions.some((d) => d.includes('filename="win.ini.txt"')), dispositions.join("\n"));
      assert.deepEqual(walk(s.dataDir).filter((f) => !filesBefore.has(f) && !/\.(sqlite|db)(-wal|-shm|-journal)?$/.test(f)), [], "no new files in the data directory");
      // The asset route does not climb out of its folder either.
      for (const p of ["/assets/../package.json", "/assets/..%2F..%2Fpackage.json", "/assets/%2e%2e/%2e%2e/package.json", "/assets/..\\..\\package.json"]) {
        const r = await get(p);
        assert.ok(r.statusCode === 404 || r.statusCode === 400, `${p}: ${r.statusCode}`);
        assert.ok(!r.body.includes('"name": "intact"'), p);
      }
    });

    test("SQL and HTML in every text field of the intake and the case page: stored and returned verbatim, rendered escaped", async () => {
      const payload = (field: string) => `<script>alert('${field}')</script>"><img src=x onerror=alert(1)>'; DROP TABLE reports; -- ${field} \u202E`;
      const pages: { url: string; body: string }[] = [];
      // The public intake, every free-text answer a payload (identity given, so its fields are asked too).
      const slug = s.orgA.slug;
      let page = await postForm(`/melden/${slug}/stap`, [["nav", "start"]]);
      const sent: Record<string, string> = {};
      for (let i = 0; i < 25; i++) {
        pages.push({ url: "intake step", body: page.body });
        const form = parseForms(page.body).find((f) => f.action.endsWith("/stap") && f.fields.some((x) => x.name === "nav" && x.values.includes("next")));
        if (!form) break;
        const fields: [string, string][] = [];
        for (const f of form.fields) {
          if (f.name === "_csrf" || f.kind === "file" || f.kind === "button") continue;
          const option = f.values.find((v) => v !== "") ?? "";
          let v = f.kind === "hidden" ? f.values[0] ?? "" : f.kind === "radio" || f.kind === "select" ? option : payload(f.name);
          if (f.name === "mode") v = "open";
          if (f.name === "reportedBefore") v = "yes";
          if (f.name === "howKnown") v = "other";
          if (["concernsHandler"].includes(f.name)) v = "no";
          if (["email", "noticeEmail", "occurredOn", "phone"].includes(f.name)) v = "";
          if (!["hidden", "radio", "select"].includes(f.kind) && v !== "") sent[f.name] = v;
          fields.push([f.name, v]);
        }
        page = await postForm(form.action, [...fields, ["nav", "next"]]);
        assert.ok(page.statusCode === 200, `${form.fields.map((f) => f.name).join(",")}: ${page.statusCode} ${text(page.body).slice(0, 300)}`);
      }
      const check = parseForms(page.body).find((f) => f.action.endsWith("/versturen"));
      assert.ok(check, "reached the check page");
      pages.push({ url: "check page", body: page.body });
      const done = await postForm(check.action, [["draft", check.fields.find((f) => f.name === "draft")!.values[0]!]]);
      assert.equal(done.statusCode, 200, text(done.body).slice(0, 300));
      pages.push({ url: "sent page", body: done.body });
      assert.ok(Object.keys(sent).length >= 6, `free-text answers: ${Object.keys(sent).join(", ")}`);
      const report = await s.ctx.db.selectFrom("reports").select(["id"]).where("organisation_id", "=", s.orgA.id).orderBy("created_at", "desc").orderBy("reference", "desc").executeTakeFirstOrThrow();

      // The case page's forms with a text field: each sent with every text field a payload.
      const casePage = await get(`/meldingen/${report.id}`, "coordinator");
      const caseForms = parseForms(casePage.body).filter((f) => f.fields.some((x) => ["text", "textarea"].includes(x.kind)));
      assert.ok(caseForms.length >= 4, `forms with text on the case page: ${caseForms.map((f) => f.action).join(", ")}`);
      const caseTexts: string[] = [];
      for (const form of caseForms) {
        const fields: [string, string][] = form.fields.filter((f) => f.name !== "_csrf" && f.kind !== "file" && f.kind !== "button").map((f) => {
          if (f.kind === "text" || f.kind === "textarea") { const v = payload(f.name); caseTexts.push(v); return [f.name, f.name.endsWith("email") ? "x@a.example" : v]; }
          return [f.name, f.values.find((v) => v !== "") ?? ""];
        });
        const button = form.fields.find((f) => f.kind === "button");
        const res = await postForm(form.action, [...fields, ...(button ? [[button.name, button.values[0]!] as [string, string]] : [])], { who: "coordinator" });
        assert.ok(res.statusCode < 500, `${form.action}: ${res.statusCode}`);
        pages.push({ url: form.action, body: res.body });
      }
      // Every page that shows the case, for the desk and for the reporter.
      for (const url of [`/meldingen/${report.id}`, `/meldingen/${report.id}/dossier`, "/meldingen"]) pages.push({ url, body: (await get(url, "coordinator")).body });
      for (const [url, body] of pages.map((p) => [p.url, p.body] as const)) assert.deepEqual(rawMarkup(body), [], `raw markup in ${url}`);

      // Stored and returned verbatim: the API gives the intake's answers back exactly; the case page shows each text.
      const api = await s.app.inject({ method: "GET", url: `/api/v1/cases/${report.id}`, headers: { authorization: `Bearer ${s.apiTokens.get("coordinator")}` } });
      assert.equal(api.statusCode, 200);
      const json = api.json() as { content: Record<string, string>; identity: Record<string, string> | null };
      for (const [field, value] of Object.entries(sent)) {
        const got = json.content?.[field] ?? json.identity?.[field];
        assert.equal(got, value, `the API returns ${field} verbatim`);
      }
      const shown = text((await get(`/meldingen/${report.id}`, "coordinator")).body) + text((await get(`/meldingen/${report.id}/dossier`, "coordinator")).body);
      const norm = (v: string) => v.replace(/\s+/g, " ").trim();
      for (const v of [...Object.values(sent), ...caseTexts]) {
        if (!shown.includes(norm(v))) assert.fail(`not shown verbatim on the case page: ${v.slice(0, 40)}…`);
      }
      assert.deepEqual(await integrityProblems(s.ctx), [], "the tables are all still there and whole");
    });

    test("no raw markup on any page, as anyone, after the injections", async () => {
      const found: string[] = [];
      for (const who of WHO) {
        for (const r of s.app.registeredRoutes) {
          if (r.method !== "GET" || r.url.startsWith("/api/") || r.url.startsWith("/assets/") || /\.(pdf|csv|docx)$/.test(r.url)) continue;
          const res = await get(s.fill(r.url), who, r.url.startsWith("/melden/") ? [`intact_mailbox=${s.mailbox.token}`] : []);
          if (String(res.headers["content-type"]).startsWith("text/html")) for (const m of rawMarkup(res.body)) found.push(`${r.url} as ${who}: ${m}`);
        }
      }
      assert.deepEqual(found, []);
    });

    test("open redirects: the sign-in's terug, its return field, the language switches", async () => {
      const offSite = (location: string | undefined) => {
        if (!location) return false;
        const u = new URL(location, "http://intact.test");
        return u.host !== "intact.test" || !location.startsWith("/") || location.startsWith("//") || location.startsWith("/\\");
      };
      const problems: string[] = [];
      await Promise.all(REDIRECTS.map(async (target) => {
        const page = await get(`/inloggen?terug=${encodeURIComponent(target)}`);
        const kept = parseForms(page.body).find((f) => f.action === "/inloggen")?.fields.find((f) => f.name === "return")?.values[0];
        if (kept === undefined || offSite(kept)) problems.push(`/inloggen?terug=${JSON.stringify(target)} kept return=${JSON.stringify(kept)}`);
        for (const who of ["anonymous", "employee"] as const) {
          const lang = await postForm("/taal", [["locale", "en"], ["return", target]], { who });
          if (lang.statusCode !== 303 || offSite(String(lang.headers.location))) problems.push(`POST /taal as ${who} return=${JSON.stringify(target)}: ${lang.statusCode} → ${lang.headers.location}`);
        }
        const intakeLang = await postForm(`/melden/${s.orgA.slug}/taal`, [["locale", "nl"], ["return", target]]);
        if (intakeLang.statusCode !== 303 || offSite(String(intakeLang.headers.location))) problems.push(`POST /melden/…/taal return=${JSON.stringify(target)}: ${intakeLang.statusCode} → ${intakeLang.headers.location}`);
        const org = await postForm("/organisatie", [["organisationId", s.orgA.id], ["return", target]], { who: "admin" });
        if (org.statusCode >= 500 || (org.statusCode === 303 && offSite(String(org.headers.location)))) problems.push(`POST /organisatie return=${JSON.stringify(target)}: ${org.statusCode} → ${org.headers.location}`);
      }));
      // Signing in with a return address (one after the other: sign-ins at the same moment count as attempts under way).
      for (const target of REDIRECTS) {
        const signIn = await postForm("/inloggen", [["email", s.emails.get("employee")!], ["password", s.password], ["return", target]]);
        if (signIn.statusCode !== 303 || offSite(String(signIn.headers.location))) problems.push(`POST /inloggen return=${JSON.stringify(target)}: ${signIn.statusCode} → ${signIn.headers.location}`);
      }
      // The second step of a sign-in (TOTP) carries the return address along: it must be the cleaned one.
      const totpAccount = await makeAccount(s.ctx, "totp@a.example", { totp: true });
      await grant(s.ctx, totpAccount.id, "employee", "organisation", s.orgA.id, s.orgA.id);
      const first = await postForm("/inloggen", [["email", totpAccount.email], ["password", s.password], ["return", "//evil.example"]]);
      assert.equal(first.statusCode, 303);
      assert.equal(first.headers.location, `/inloggen/code?terug=${encodeURIComponent("/")}`);
      assert.deepEqual(problems, []);
    });
  });
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
