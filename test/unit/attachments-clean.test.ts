import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { strToU8, unzipSync, zipSync } from "fflate";
import { fileTypeFromBuffer } from "file-type";
import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFRawStream, PDFString } from "pdf-lib";
import sharp from "sharp";
import { photoWithExif } from "../helpers/attachments.ts";
import {
  AttachmentRefused, cleanAttachment, contentDisposition, DEFAULT_LIMITS, safeFileName, type Refusal,
} from "../../src/reports/attachments/clean.ts";

// SECURITY.md control 7: the type is sniffed from the bytes, only allowed types pass, and hidden metadata
// is gone after cleaning. Every fixture is made here, with the same libraries a real file would come from.

async function refused(data: Buffer, reason: Refusal, limits = DEFAULT_LIMITS) {
  await assert.rejects(cleanAttachment(data, limits), (e: unknown) => {
    assert.ok(e instanceof AttachmentRefused, String(e));
    assert.equal(e.reason, reason);
    return true;
  });
}

/** Every string and stream the PDF holds, decoded where pdf-lib can. */
function pdfText(doc: PDFDocument): string {
  const out: string[] = [];
  const visit = (o: unknown) => {
    if (o instanceof PDFString || o instanceof PDFHexString) out.push(o.decodeText());
    else if (o instanceof PDFDict) for (const [k, v] of o.entries()) { out.push(k.decodeText()); visit(v); }
    else if (o instanceof PDFRawStream) { visit(o.dict); out.push(Buffer.from(o.getContents()).toString("latin1")); }
  };
  for (const [, o] of doc.context.enumerateIndirectObjects()) visit(o);
  return out.join("\n");
}

function docx(parts: Record<string, string>, mainType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"): Buffer {
  const types = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`
    + `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>`
    + `<Override PartName="/word/document.xml" ContentType="${mainType}"/>`
    + `<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>`
    + `<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>`;
  const files: Record<string, Uint8Array> = {
    "[Content_Types].xml": strToU8(types),
    "_rels/.rels": strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>`),
    "word/document.xml": strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>De kas klopt niet.</w:t></w:r></w:p></w:body></w:document>`),
  };
  for (const [k, v] of Object.entries(parts)) files[k] = strToU8(v);
  return Buffer.from(zipSync(files));
}

const CORE = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Notitie</dc:title><dc:creator>Piet KANARIE Puk</dc:creator><cp:lastModifiedBy>Piet KANARIE Puk</cp:lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">2024-03-01T10:00:00Z</dcterms:created></cp:coreProperties>`;
const APP = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Office Word</Application><Company>KANARIE BV</Company><TotalTime>42</TotalTime></Properties>`;

describe("attachment cleaning", () => {
  test("a JPEG keeps its picture, upright, and loses EXIF: place, camera, time and owner", async () => {
    const photo = await photoWithExif({ width: 80, height: 40, orientation: 6 });
    const before = await sharp(photo).metadata();
    assert.ok(before.exif?.length, "the fixture has EXIF");
    assert.match(before.exif!.toString("latin1"), /KANARIE-7/);
    assert.equal(before.orientation, 6);

    const c = await cleanAttachment(photo);
    assert.equal(c.mediaType, "image/jpeg");
    assert.deepEqual(c.removed, ["location", "camera", "date", "author"]);
    assert.equal(c.notice, null);
    const after = await sharp(c.bytes).metadata();
    assert.equal(after.format, "jpeg");
    assert.equal(after.exif, undefined, "no EXIF after cleaning");
    assert.equal(after.xmp, undefined);
    assert.equal(after.iptc, undefined);
    assert.ok(!c.bytes.toString("latin1").includes("KANARIE"));
    // Orientation 6 is applied to the pixels: 80×40 becomes 40×80, and nothing says to turn it again.
    assert.deepEqual([after.width, after.height, after.orientation ?? 1], [40, 80, 1]);
  });

  test("PNG, WebP and GIF are re-encoded in their own format without metadata", async () => {
    const base = () => sharp({ create: { width: 16, height: 16, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 1 } } });
    for (const [img, type] of [
      [await base().png().withExif({ IFD0: { Artist: "KANARIE" } }).toBuffer(), "image/png"],
      [await base().webp().withExif({ IFD0: { Artist: "KANARIE" } }).toBuffer(), "image/webp"],
      [await base().gif().toBuffer(), "image/gif"],
    ] as const) {
      const c = await cleanAttachment(img);
      assert.equal(c.mediaType, type);
      assert.equal((await sharp(c.bytes).metadata()).exif, undefined, type);
      assert.ok(!c.bytes.toString("latin1").includes("KANARIE"), type);
      if (type !== "image/gif") assert.deepEqual(c.removed, ["author"], type);
    }
  });

  test("an image with more pixels than allowed is refused before it is decoded", async () => {
    await refused(await photoWithExif(), "imagePixels", { ...DEFAULT_LIMITS, maxPixels: 1_000 });
  });

  test("a PDF loses its document information, its XMP and objects nothing refers to; its pages stay", async () => {
    const doc = await PDFDocument.create();
    doc.addPage([200, 200]).drawText("Bewijs");
    doc.setTitle("Geheim KANARIE-titel"); doc.setAuthor("Jan KANARIE Jansen"); doc.setSubject("KANARIE-onderwerp");
    doc.setKeywords(["KANARIE"]); doc.setCreator("KANARIE Writer"); doc.setProducer("KANARIE Producer");
    const xmp = `<?xpacket begin=""?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>KANARIE-xmp</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
    doc.catalog.set(PDFName.of("Metadata"), doc.context.register(doc.context.stream(xmp, { Type: "Metadata", Subtype: "XML" })));
    // An object left over from an earlier revision: nothing refers to it, but pdf-lib would write it again.
    doc.context.register(doc.context.obj({ Old: PDFString.of("KANARIE-oude-versie") }));
    const original = Buffer.from(await doc.save({ useObjectStreams: false }));
    assert.ok(original.toString("latin1").includes("KANARIE-xmp"), "the fixture has XMP");
    assert.match(pdfText(await PDFDocument.load(original, { updateMetadata: false })), /Jan KANARIE Jansen/);

    const c = await cleanAttachment(original);
    assert.equal(c.mediaType, "application/pdf");
    assert.deepEqual(c.removed, ["date", "author", "documentProperties"]);
    const cleaned = await PDFDocument.load(c.bytes, { updateMetadata: false });
    for (const value of [cleaned.getTitle(), cleaned.getAuthor(), cleaned.getSubject(), cleaned.getKeywords(), cleaned.getCreator(), cleaned.getProducer()]) {
      assert.ok(!value, `an information field still holds ${value}`);
    }
    assert.equal(cleaned.getCreationDate(), undefined);
    assert.equal(cleaned.catalog.get(PDFName.of("Metadata")), undefined);
    const text = pdfText(cleaned);
    assert.ok(!/KANARIE/.test(text), `left in the PDF: ${text.slice(Math.max(0, text.indexOf("KANARIE") - 80), text.indexOf("KANARIE") + 40)}`);
    assert.ok(!c.bytes.toString("latin1").includes("KANARIE"));
    assert.equal(cleaned.getPageCount(), 1);
  });

  test("an encrypted PDF is refused with its own reason", async () => {
    const doc = await PDFDocument.create();
    doc.addPage();
    const text = Buffer.from(await doc.save({ useObjectStreams: false })).toString("latin1");
    // A trailer that points at an encryption dictionary, as a password-protected file has.
    const withEncrypt = text.replace(/trailer\s*<<\s*/, "trailer\n<<\n/Encrypt << /Filter /Standard /V 1 /R 2 /O <00> /U <00> /P -4 >>\n");
    assert.notEqual(withEncrypt, text);
    await refused(Buffer.from(withEncrypt, "latin1"), "encrypted");
  });

  test("a .docx loses its core, app and custom properties and keeps the document", async () => {
    const original = docx({ "docProps/core.xml": CORE, "docProps/app.xml": APP, "docProps/custom.xml": `<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"><property name="Afdeling KANARIE"/></Properties>` });
    const c = await cleanAttachment(original);
    assert.equal(c.mediaType, "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    assert.deepEqual(c.removed, ["date", "author", "documentProperties"]);
    assert.equal(c.notice, "officeNamesKept");
    const files = unzipSync(c.bytes);
    const core = Buffer.from(files["docProps/core.xml"]!).toString("utf8");
    assert.ok(!core.includes("KANARIE") && !core.includes("Piet"), core);
    assert.match(core, /<cp:coreProperties /);
    assert.ok(!Buffer.from(files["docProps/app.xml"]!).toString("utf8").includes("KANARIE"));
    assert.ok(!Buffer.from(files["docProps/custom.xml"]!).toString("utf8").includes("KANARIE"));
    assert.match(Buffer.from(files["word/document.xml"]!).toString("utf8"), /De kas klopt niet\./);
    assert.deepEqual(Object.keys(files).sort(), ["[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "docProps/core.xml", "docProps/custom.xml", "word/document.xml"]);
    // Still what it was, for the next reader.
    assert.equal((await fileTypeFromBuffer(c.bytes))?.ext, "docx");
  });

  test("Office with macros and the old binary formats are refused, with a reason the reporter can act on", async () => {
    await refused(docx({}, "application/vnd.ms-word.document.macroEnabled.main+xml"), "macro");
    await refused(docx({ "word/vbaProject.bin": "not really" }), "macro");
    const cfb = Buffer.alloc(4096);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(cfb);
    await refused(cfb, "legacyOffice");
  });

  test("a zip whose entries claim to unpack to more than the limit is refused before anything is inflated", async () => {
    const bomb = docx({ "docProps/core.xml": CORE });
    // The central directory says word/document.xml unpacks to almost 4 GB.
    const name = Buffer.from("word/document.xml");
    let at = bomb.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    let patched = false;
    while (at >= 0) {
      const nameLength = bomb.readUInt16LE(at + 28);
      if (bomb.subarray(at + 46, at + 46 + nameLength).equals(name)) { bomb.writeUInt32LE(0xfffffff0, at + 24); patched = true; }
      at = bomb.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), at + 4);
    }
    assert.ok(patched);
    await refused(bomb, "unpacksTooLarge");
    // And many entries are refused as well.
    await refused(docx(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`word/media/x${i}.xml`, "<a/>"]))), "unpacksTooLarge", { ...DEFAULT_LIMITS, maxZipEntries: 20 });
  });

  test("the type comes from the bytes: an executable or a web page called .pdf is refused", async () => {
    const exe = Buffer.concat([Buffer.from("MZ"), Buffer.alloc(62), Buffer.from("PE\0\0"), Buffer.alloc(200)]);
    exe.writeUInt32LE(64, 60);
    await refused(exe, "unknownType");
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120)]);
    await refused(elf, "unknownType");
    await refused(Buffer.from("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"), "unknownType");
    await refused(Buffer.from("\uFEFF  <svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"), "unknownType");
    await refused(Buffer.from("%PDF-1.7 but not really a pdf at all"), "damaged");
    await refused(Buffer.concat([Buffer.from("\0\0\0\x18ftypheic\0\0\0\0mif1heic", "latin1"), Buffer.alloc(64)]), "heic");
    await refused(Buffer.alloc(0), "empty");
  });

  test("plain text must be UTF-8 without NUL bytes, and is kept as it is", async () => {
    const text = Buffer.from("Op 1 maart zag ik het gebeuren. Één keer, maar duidelijk.\n");
    const c = await cleanAttachment(text);
    assert.equal(c.mediaType, "text/plain");
    assert.ok(c.bytes.equals(text));
    assert.deepEqual(c.removed, []);
    await refused(Buffer.from("abc\0def"), "textEncoding");
    await refused(Buffer.from([0x61, 0xff, 0xfe, 0x62]), "textEncoding");
  });

  test("audio is accepted as it is, and the reporter is told its metadata stays", async () => {
    const wav = Buffer.alloc(64);
    wav.write("RIFF", 0); wav.writeUInt32LE(56, 4); wav.write("WAVEfmt ", 8);
    const c = await cleanAttachment(wav);
    assert.equal(c.mediaType, "audio/wav");
    assert.equal(c.notice, "audioKept");
    assert.ok(c.bytes.equals(wav));
  });

  test("names lose folders and control characters, and get the extension of what the file is", () => {
    assert.equal(safeFileName("C:\\fakepath\\vakantie.jpeg", "image/jpeg"), "vakantie.jpeg");
    assert.equal(safeFileName("../../etc/passwd", "text/plain"), "passwd.txt");
    assert.equal(safeFileName("rapport.pdf", "text/plain"), "rapport.pdf.txt");
    assert.equal(safeFileName("foto\u202Egpj.exe", "image/jpeg"), "fotogpj.exe.jpg");
    assert.equal(safeFileName("a\u0000b\nc.png", "image/png"), "abc.png");
    assert.equal(safeFileName("", "application/pdf"), "bestand.pdf");
    assert.equal(safeFileName("...", "application/pdf"), "bestand.pdf");
    assert.ok(safeFileName("x".repeat(400) + ".pdf", "application/pdf").length <= 150);
    assert.equal(contentDisposition("Verslag van één dag (1).pdf"),
      "attachment; filename=\"Verslag van __n dag (1).pdf\"; filename*=UTF-8''Verslag%20van%20%C3%A9%C3%A9n%20dag%20%281%29.pdf");
    assert.equal(contentDisposition('a";b.txt'), "attachment; filename=\"a__b.txt\"; filename*=UTF-8''a%22%3Bb.txt");
  });
});
