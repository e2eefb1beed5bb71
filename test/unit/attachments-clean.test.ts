import { describe, test } from "node:test";
import assert from "node:assert/strict";
import zlib from "node:zlib";
import exifReader from "exif-reader";
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

function docx(parts: Record<string, string | Uint8Array>, mainType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", moreTypes = ""): Buffer {
  const types = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`
    + `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>`
    + `<Override PartName="/word/document.xml" ContentType="${mainType}"/>`
    + `<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>`
    + `<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>${moreTypes}</Types>`;
  const files: Record<string, Uint8Array> = {
    "[Content_Types].xml": strToU8(types),
    "_rels/.rels": strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>`),
    "word/document.xml": strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>De kas klopt niet.</w:t></w:r></w:p></w:body></w:document>`),
  };
  for (const [k, v] of Object.entries(parts)) files[k] = typeof v === "string" ? strToU8(v) : v;
  return Buffer.from(zipSync(files));
}

const WORKBOOK = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";
const PRESENTATION = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml";
const isZip = (d: Uint8Array) => d[0] === 0x50 && d[1] === 0x4b && d[2] === 3 && d[3] === 4;

/** Every part of an Office file as text, the packages inside unpacked too (in the outer zip they are deflated). */
function everything(zip: Uint8Array): string {
  return Object.entries(unzipSync(zip)).map(([name, data]) => `${name}\n${isZip(data) ? everything(data) : Buffer.from(data).toString("latin1")}`).join("\n");
}

/** Zip entries and unpacked bytes of an Office file and every package inside it together. */
function tally(zip: Uint8Array): { entries: number; bytes: number } {
  const t = { entries: 0, bytes: 0 };
  for (const data of Object.values(unzipSync(zip))) {
    t.entries++; t.bytes += data.length;
    if (isZip(data)) { const inner = tally(data); t.entries += inner.entries; t.bytes += inner.bytes; }
  }
  return t;
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

  test("a PDF with more indirect objects than the limit is refused before it is walked and saved", async () => {
    const doc = await PDFDocument.create();
    doc.addPage();
    for (let i = 0; i < 60; i++) doc.context.register(doc.context.obj({ N: i }));
    const bytes = Buffer.from(await doc.save());
    const count = (await PDFDocument.load(bytes)).context.enumerateIndirectObjects().length;
    assert.ok(count > 60, `${count} objects`);
    await refused(bytes, "pdfTooComplex", { ...DEFAULT_LIMITS, maxPdfObjects: 60 });
    assert.equal((await cleanAttachment(bytes, { ...DEFAULT_LIMITS, maxPdfObjects: count })).mediaType, "application/pdf");
  });

  test("object streams are measured before pdf-lib inflates them: a small PDF that would inflate past the budget is refused", async () => {
    // An object stream of 40 MiB of spaces: about 40 kB in the file, and pdf-lib would inflate it whole on load.
    const doc = await PDFDocument.create();
    doc.addPage();
    doc.context.register(doc.context.stream(zlib.deflateSync(Buffer.alloc(40 * 1024 * 1024, 0x20)), { Type: "ObjStm", N: 1, First: 10, Filter: "FlateDecode" }));
    const bomb = Buffer.from(await doc.save({ useObjectStreams: false }));
    assert.ok(bomb.length < 200_000, `${bomb.length} bytes`);
    await refused(bomb, "pdfTooComplex");
    // Outside cleaning pdf-lib is left as it is: it loads the same file (and inflates the stream).
    assert.equal((await PDFDocument.load(bomb)).getPageCount(), 1);

    // A real PDF with object and cross-reference streams (pdf-lib's own) passes, and is refused only under a tiny budget.
    const many = await PDFDocument.create();
    many.addPage().drawText("Bewijs");
    for (let i = 0; i < 200; i++) many.context.register(many.context.obj({ Text: PDFString.of(`regel ${i} `.repeat(20)) }));
    const streams = Buffer.from(await many.save({ useObjectStreams: true }));
    assert.match(streams.toString("latin1"), /\/Type \/ObjStm/);
    assert.match(streams.toString("latin1"), /\/Type \/XRef/);
    const c = await cleanAttachment(streams);
    assert.equal((await PDFDocument.load(c.bytes)).getPageCount(), 1);
    assert.equal((await cleanAttachment(c.bytes)).mediaType, "application/pdf", "a cleaned file cleans again");
    await refused(streams, "pdfTooComplex", { ...DEFAULT_LIMITS, maxPdfInflatedBytes: 1024 });
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

  test("images inside a .docx lose their EXIF and keep their format, size and name; the thumbnail becomes blank", async () => {
    const photo = await photoWithExif({ width: 80, height: 40 });
    const thumbnail = await photoWithExif({ width: 32, height: 24, maker: "KANARIE duimnagel" });
    const png = await sharp({ create: { width: 12, height: 10, channels: 3, background: "#0a0" } }).png().withExif({ IFD0: { Artist: "KANARIE png" } }).toBuffer();
    // An EMF (vector) picture: sharp cannot read it, and it carries no EXIF, so it stays byte for byte.
    const emf = Buffer.alloc(108);
    emf.writeUInt32LE(1, 0); emf.writeUInt32LE(108, 4); emf.write(" EMF", 40, "latin1");
    // A photo under a name that does not say so: found by its bytes.
    const hidden = await photoWithExif({ maker: "KANARIE verstopt" });
    const original = docx({
      "word/media/image1.jpeg": photo, "word/media/image2.png": png, "word/media/image3.emf": emf,
      "word/media/image4.bin": hidden, "docProps/thumbnail.jpeg": thumbnail,
    }, undefined, `<Default Extension="emf" ContentType="image/x-emf"/>`);
    for (const part of [photo, thumbnail]) assert.ok(exifReader((await sharp(part).metadata()).exif!).GPSInfo?.GPSLatitude, "the fixture has a place");

    const c = await cleanAttachment(original);
    assert.equal(c.mediaType, "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    assert.deepEqual(c.removed, ["location", "camera", "date", "author"]);
    assert.equal(c.notice, "officeNamesKept");
    assert.ok(!c.bytes.toString("latin1").includes("KANARIE"), "an embedded image still says who made it");
    const files = unzipSync(c.bytes);
    assert.deepEqual(Object.keys(files).sort(), [
      "[Content_Types].xml", "_rels/.rels", "docProps/thumbnail.jpeg", "word/document.xml",
      "word/media/image1.jpeg", "word/media/image2.png", "word/media/image3.emf", "word/media/image4.bin",
    ]);
    const image = await sharp(files["word/media/image1.jpeg"]!).metadata();
    assert.deepEqual([image.format, image.width, image.height, image.exif], ["jpeg", 80, 40, undefined]);
    const pngAfter = await sharp(files["word/media/image2.png"]!).metadata();
    assert.deepEqual([pngAfter.format, pngAfter.width, pngAfter.height, pngAfter.exif], ["png", 12, 10, undefined]);
    assert.ok(Buffer.from(files["word/media/image3.emf"]!).equals(emf));
    const unnamed = await sharp(files["word/media/image4.bin"]!).metadata();
    assert.deepEqual([unnamed.format, unnamed.exif], ["jpeg", undefined]);
    // The thumbnail (page 1 as last saved) is a blank JPEG of one pixel now.
    const thumb = await sharp(files["docProps/thumbnail.jpeg"]!).metadata();
    assert.deepEqual([thumb.format, thumb.width, thumb.height, thumb.exif], ["jpeg", 1, 1, undefined]);
    assert.match(Buffer.from(files["word/document.xml"]!).toString("utf8"), /De kas klopt niet\./);
    assert.equal((await fileTypeFromBuffer(c.bytes))?.ext, "docx");
  });

  test("a thumbnail named only by the package's relationship becomes blank as well", async () => {
    const rels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
      + `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>`
      + `<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail" Target="/voorbeeld/pagina1.jpeg"/></Relationships>`;
    const c = await cleanAttachment(docx({ "_rels/.rels": rels, "voorbeeld/pagina1.jpeg": await photoWithExif() }));
    const thumb = await sharp(unzipSync(c.bytes)["voorbeeld/pagina1.jpeg"]!).metadata();
    assert.deepEqual([thumb.format, thumb.width, thumb.height], ["jpeg", 1, 1]);
  });

  test("images inside Office files are bounded: too many pixels together, or an image sharp cannot read, refuse the file", async () => {
    const photo = await photoWithExif({ width: 80, height: 40 });
    const three = docx({ "xl/media/image1.jpeg": photo, "xl/media/image2.jpeg": photo, "xl/media/image3.jpeg": photo });
    await refused(three, "unpacksTooLarge", { ...DEFAULT_LIMITS, maxOfficePixels: 80 * 40 * 2 });
    assert.equal((await cleanAttachment(three, { ...DEFAULT_LIMITS, maxOfficePixels: 80 * 40 * 3 })).mediaType,
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    await refused(docx({ "ppt/media/image1.jpeg": photo }), "unpacksTooLarge", { ...DEFAULT_LIMITS, maxPixels: 1_000 });
    // A JPEG that does not decode may still hold EXIF: not stored.
    const broken = Buffer.concat([photo.subarray(0, 400), Buffer.alloc(200, 0xaa)]);
    await refused(docx({ "word/media/image1.jpeg": broken }), "damaged");
  });

  test("an Office file with a picture sharp cannot re-encode is refused: JPEG XR, HEIC, AVIF, JPEG 2000, JPEG XL, SVG; vector pictures stay", async () => {
    // Each of these formats can carry EXIF or XMP; file-type recognises them, sharp here re-encodes none of them.
    const exif = Buffer.from("Exif\0\0MM\0*Artist KANARIE GPS 52N", "latin1");
    const avif = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#00f" } }).avif().withExif({ IFD0: { Artist: "KANARIE" } }).toBuffer();
    const pictures: [string, Buffer, string][] = [
      ["word/media/hdphoto1.wdp", Buffer.concat([Buffer.from([0x49, 0x49, 0xbc, 0x01]), Buffer.alloc(60), exif]), "image/vnd.ms-photo"],
      ["word/media/image1.heic", Buffer.concat([Buffer.from("\0\0\0\x18ftypheic\0\0\0\0mif1heic", "latin1"), Buffer.alloc(64), exif]), "image/heic"],
      ["word/media/image1.avif", avif, "image/avif"],
      ["word/media/image1.jp2", Buffer.concat([Buffer.from([0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a, 0, 0, 0, 0x14]), Buffer.from("ftypjp2 \0\0\0\0jp2 ", "latin1"), Buffer.alloc(32), exif]), "image/jp2"],
      ["word/media/image1.jxl", Buffer.concat([Buffer.from([0xff, 0x0a]), Buffer.alloc(60), exif]), "image/jxl"],
    ];
    for (const [name, bytes, mime] of pictures) {
      assert.equal((await fileTypeFromBuffer(bytes))?.mime, mime, `the ${name} fixture is what it says`);
      await refused(docx({ [name]: bytes }), "officeImage");
      // Under any name: found by its bytes.
      await refused(docx({ "xl/media/image9.png": bytes }), "officeImage");
    }
    // Bytes nobody recognises that [Content_Types].xml declares as a (raster) image: refused as well.
    await refused(docx({ "word/media/hdphoto1.wdp": Buffer.concat([Buffer.alloc(16, 0xee), exif]) }, undefined,
      `<Default Extension="wdp" ContentType="image/vnd.ms-photo"/>`), "officeImage");

    // SVG can name its maker (RDF metadata, editor attributes): refused by its name, its declared type or its root element.
    const svg = `<?xml version="1.0" encoding="UTF-8"?>\n<!-- Created with Inkscape -->\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" inkscape:export-filename="/home/kanarie/tekening.png">`
      + `<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>KANARIE</dc:creator></rdf:RDF></metadata><rect width="4" height="4"/></svg>`;
    await refused(docx({ "word/media/image1.svg": svg }), "officeImage");
    await refused(docx({ "word/media/image1.bin": svg }), "officeImage");
    await refused(docx({ "word/media/image1.dat": "<drawing/>" }, undefined, `<Override PartName="/word/media/image1.dat" ContentType="image/svg+xml"/>`), "officeImage");

    // Vector pictures (EMF, WMF) declared as such carry no EXIF or XMP block: kept byte for byte.
    const emf = Buffer.alloc(108);
    emf.writeUInt32LE(1, 0); emf.writeUInt32LE(108, 4); emf.write(" EMF", 40, "latin1");
    const wmf = Buffer.concat([Buffer.from([0xd7, 0xcd, 0xc6, 0x9a]), Buffer.alloc(40)]);
    const c = await cleanAttachment(docx({ "word/media/image1.emf": emf, "word/media/image2.wmf": wmf }, undefined,
      `<Default Extension="emf" ContentType="image/x-emf"/><Default Extension="wmf" ContentType="image/x-wmf"/>`));
    const files = unzipSync(c.bytes);
    assert.ok(Buffer.from(files["word/media/image1.emf"]!).equals(emf));
    assert.ok(Buffer.from(files["word/media/image2.wmf"]!).equals(wmf));
  });

  test("Office files inside an Office file are cleaned the same way, to a depth of 2, and count against the same limits", async () => {
    const photo = await photoWithExif({ maker: "KANARIE werkblad" });
    // A chart's data: a workbook with its own author, company and a photo with EXIF, inside a document.
    const workbook = docx({ "docProps/core.xml": CORE, "docProps/app.xml": APP, "xl/media/image1.jpeg": photo, "docProps/thumbnail.jpeg": photo }, WORKBOOK);
    const rels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
      + `<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/package" Target="../embeddings/Microsoft_Excel_Worksheet.xlsx"/></Relationships>`;
    const original = docx({ "word/charts/_rels/chart1.xml.rels": rels, "word/embeddings/Microsoft_Excel_Worksheet.xlsx": workbook });
    assert.match(everything(original), /Piet KANARIE Puk/);
    assert.match(everything(original), /KANARIE werkblad/);

    const c = await cleanAttachment(original);
    assert.equal(c.mediaType, "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    assert.deepEqual(c.removed, ["location", "camera", "date", "author", "documentProperties"]);
    assert.ok(!/KANARIE|Piet/.test(everything(c.bytes)), "the workbook inside still names its author");
    const inner = unzipSync(unzipSync(c.bytes)["word/embeddings/Microsoft_Excel_Worksheet.xlsx"]!);
    assert.match(Buffer.from(inner["docProps/core.xml"]!).toString("utf8"), /^<\?xml[^>]*>\n<cp:coreProperties [^>]*\/>$/);
    const image = await sharp(inner["xl/media/image1.jpeg"]!).metadata();
    assert.deepEqual([image.format, image.width, image.height, image.exif], ["jpeg", 80, 40, undefined]);
    assert.deepEqual([(await sharp(inner["docProps/thumbnail.jpeg"]!).metadata()).width], [1]);
    assert.equal((await fileTypeFromBuffer(Buffer.from(unzipSync(c.bytes)["word/embeddings/Microsoft_Excel_Worksheet.xlsx"]!)))?.ext, "xlsx");

    // A presentation holding a document holding a workbook: two levels deep, cleaned all the way; with a limit of 1, refused.
    const deck = docx({ "ppt/embeddings/Microsoft_Word_Document.docx": original }, PRESENTATION);
    const d = await cleanAttachment(deck);
    assert.ok(!/KANARIE|Piet/.test(everything(d.bytes)));
    await refused(deck, "officeEmbedded", { ...DEFAULT_LIMITS, maxOfficeDepth: 1 });
    await refused(docx({ "word/embeddings/a.pptx": deck }), "officeEmbedded");

    // Entries and unpacked bytes of every level count together: one less than the whole refuses, though each level fits.
    const total = tally(deck);
    assert.ok(total.entries > 2 * Object.keys(unzipSync(deck)).length, `${total.entries} entries`);
    await refused(deck, "unpacksTooLarge", { ...DEFAULT_LIMITS, maxZipEntries: total.entries - 1 });
    await refused(deck, "unpacksTooLarge", { ...DEFAULT_LIMITS, maxUnzippedBytes: total.bytes - 1 });
    assert.ok(await cleanAttachment(deck, { ...DEFAULT_LIMITS, maxZipEntries: total.entries, maxUnzippedBytes: total.bytes }));
    // So do the pixels of the images inside them (the workbook's photo and thumbnail; one 80 × 40 photo is one too many).
    await refused(deck, "unpacksTooLarge", { ...DEFAULT_LIMITS, maxOfficePixels: 80 * 40 - 1 });

    // A PDF inside (Word for Mac keeps a pasted PDF so) loses its document information like a PDF on its own.
    const pdf = await PDFDocument.create();
    pdf.addPage([50, 50]);
    pdf.setAuthor("Jan KANARIE Jansen");
    const withPdf = await cleanAttachment(docx({ "word/media/image1.pdf": Buffer.from(await pdf.save()) }));
    assert.deepEqual(withPdf.removed, ["date", "author", "documentProperties"]);
    const innerPdf = await PDFDocument.load(unzipSync(withPdf.bytes)["word/media/image1.pdf"]!, { updateMetadata: false });
    assert.ok(!innerPdf.getAuthor());
  });

  test("OLE objects and other embedded files that cannot be cleaned refuse the Office file", async () => {
    const cfb = Buffer.alloc(4096);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(cfb);
    cfb.write("Auteur KANARIE", 600, "latin1");
    await refused(docx({ "word/embeddings/oleObject1.bin": cfb }), "officeEmbedded");
    // An OLE object is refused by its name whatever it holds, and so is any other part where Office keeps embedded objects.
    await refused(docx({ "word/embeddings/oleObject1.bin": await photoWithExif() }), "officeEmbedded");
    await refused(docx({ "xl/embeddings/Microsoft_Word_97-2003_Document.doc": cfb }), "officeEmbedded");
    await refused(docx({ "ppt/embeddings/notities.txt": "Geschreven door KANARIE" }), "officeEmbedded");
    // An OLE compound file anywhere else (an ActiveX control's data), an RTF document, an archive.
    await refused(docx({ "word/activeX/activeX1.bin": cfb }), "officeEmbedded");
    await refused(docx({ "word/media/notities.rtf": "{\\rtf1\\ansi{\\info{\\author KANARIE}}Tekst}" }), "officeEmbedded");
    await refused(docx({ "word/media/archief.gz": zlib.gzipSync(Buffer.from("KANARIE")) }), "officeEmbedded");
    // The target of an embedding relationship, wherever it is: an altChunk (HTML imported as is) names its author.
    const rels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
      + `<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk" Target="afchunk.mht"/></Relationships>`;
    await refused(docx({ "word/_rels/document.xml.rels": rels, "word/afchunk.mht": `<html><head><meta name="author" content="KANARIE"></head></html>` }), "officeEmbedded");
    // A package inside that is refused for its own reason (a macro, damage) is an embedded object we cannot clean.
    await refused(docx({ "word/embeddings/Microsoft_Excel_Macro-Enabled_Worksheet.xlsm": docx({ "xl/vbaProject.bin": "macro" }) }), "officeEmbedded");
    await refused(docx({ "word/embeddings/Microsoft_Excel_Worksheet.xlsx": Buffer.from(zipSync({ "a.txt": strToU8("geen Office") })) }), "officeEmbedded");
    // A picture sharp cannot re-encode is said as such, however deep it sits.
    await refused(docx({ "word/embeddings/Microsoft_Word_Document.docx": docx({ "word/media/hdphoto1.wdp": Buffer.concat([Buffer.from([0x49, 0x49, 0xbc, 0x01]), Buffer.alloc(60)]) }) }), "officeImage");
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
