import { AsyncLocalStorage } from "node:async_hooks";
import exifReader from "exif-reader";
import { fileTypeFromBuffer } from "file-type";
import { Unzlib, unzipSync, zipSync, type Unzipped, type Zippable } from "fflate";
import type * as PdfLib from "pdf-lib";
import type { PDFObject } from "pdf-lib";
import type { Metadata } from "sharp";

// What a reporter's file becomes before it is stored (SECURITY.md control 7, ADR 0010): its type is
// sniffed from the bytes (never the name or the browser's claim), checked against an allowlist, and its
// hidden metadata removed — images re-encoded by sharp, PDF document info and XMP dropped by pdf-lib,
// Office document properties replaced inside the zip by fflate, the images inside it re-encoded by sharp and the
// Office packages and PDFs inside it cleaned the same way; an Office file holding a picture or an embedded object that
// cannot be cleaned is refused. Audio and plain text are kept as they are.
// Every format is read by its library; nothing here parses a format by hand.

// sharp and pdf-lib are loaded with the first file, not at start-up: together about 40 MB that an instance would
// otherwise hold from the moment it starts (docs/performance.md, memory). The names are set by libraries(); three are
// types as well.
let sharp!: typeof import("sharp").default;
let EncryptedPDFError!: typeof PdfLib.EncryptedPDFError;
let PDFArray!: typeof PdfLib.PDFArray;
let PDFDict!: typeof PdfLib.PDFDict;
let PDFDocument!: typeof PdfLib.PDFDocument;
type PDFDocument = PdfLib.PDFDocument;
let PDFName!: typeof PdfLib.PDFName;
let PDFObjectStreamParser!: typeof PdfLib.PDFObjectStreamParser;
let PDFRawStream!: typeof PdfLib.PDFRawStream;
type PDFRawStream = PdfLib.PDFRawStream;
let PDFRef!: typeof PdfLib.PDFRef;
type PDFRef = PdfLib.PDFRef;
let PDFStream!: typeof PdfLib.PDFStream;
let PDFXRefStreamParser!: typeof PdfLib.PDFXRefStreamParser;
let FLATE!: PdfLib.PDFName;
let loading: Promise<void> | undefined;

/** Once, however many files arrive at the same time (the parsers must be wrapped once); a failed load is tried
 *  again with the next file rather than refusing every file until a restart. */
const libraries = () => (loading ??= load().catch((e: unknown) => { loading = undefined; throw e; }));

async function load(): Promise<void> {
  const [sharpModule, pdf] = await Promise.all([import("sharp"), import("pdf-lib")]);
  ({ EncryptedPDFError, PDFArray, PDFDict, PDFDocument, PDFName, PDFObjectStreamParser, PDFRawStream, PDFRef, PDFStream, PDFXRefStreamParser } = pdf);
  FLATE = PDFName.of("FlateDecode");
  PDFObjectStreamParser.forStream = guarded(PDFObjectStreamParser.forStream);
  PDFXRefStreamParser.forStream = guarded(PDFXRefStreamParser.forStream);
  sharp = sharpModule.default;
}

/** The types we accept, by sniffed media type: the extension a stored file gets, and the ones its name may keep. */
export const ALLOWED = {
  "image/jpeg": { ext: "jpg", exts: ["jpg", "jpeg", "jfif"], family: "image" },
  "image/png": { ext: "png", exts: ["png"], family: "image" },
  "image/webp": { ext: "webp", exts: ["webp"], family: "image" },
  "image/gif": { ext: "gif", exts: ["gif"], family: "image" },
  "application/pdf": { ext: "pdf", exts: ["pdf"], family: "pdf" },
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": { ext: "docx", exts: ["docx"], family: "office" },
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { ext: "xlsx", exts: ["xlsx"], family: "office" },
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": { ext: "pptx", exts: ["pptx"], family: "office" },
  "text/plain": { ext: "txt", exts: ["txt", "text", "csv", "md", "log"], family: "text" },
  "audio/mpeg": { ext: "mp3", exts: ["mp3"], family: "audio" },
  "audio/mp4": { ext: "m4a", exts: ["m4a"], family: "audio" },
  "audio/ogg": { ext: "ogg", exts: ["ogg", "oga", "opus"], family: "audio" },
  "audio/wav": { ext: "wav", exts: ["wav"], family: "audio" },
} as const;
export type MediaType = keyof typeof ALLOWED;
export const isAllowedType = (t: string): t is MediaType => Object.hasOwn(ALLOWED, t);

/** What was found and removed, in words the reporter is shown (intake.files.removed.<code>). */
export const REMOVED = ["location", "camera", "date", "author", "documentProperties", "otherMetadata"] as const;
export type Removed = (typeof REMOVED)[number];
/** What we could not remove, said plainly (intake.files.notice.<code>). */
export const NOTICES = ["audioKept", "officeNamesKept"] as const;
export type Notice = (typeof NOTICES)[number];

/** Why a file is refused (intake.files.refused.<code>). */
export const REFUSALS = [
  "empty", "unknownType", "heic", "legacyOffice", "macro", "encrypted", "damaged", "unpacksTooLarge", "imagePixels", "pdfTooComplex", "textEncoding",
  "officeImage", "officeEmbedded",
] as const;
export type Refusal = (typeof REFUSALS)[number];

export class AttachmentRefused extends Error {
  constructor(readonly reason: Refusal, readonly detail?: string) { super(`attachment refused: ${reason}${detail ? ` (${detail})` : ""}`); }
}

export type Cleaned = { bytes: Buffer; mediaType: MediaType; removed: Removed[]; notice: Notice | null };

export type CleanLimits = {
  /** Pixels an image may have (width × height × frames): a decompression bomb is refused before it is decoded. */
  maxPixels: number;
  /** Zip entries of an Office file, and their uncompressed bytes together: a zip bomb is refused before it is inflated. */
  maxZipEntries: number;
  maxUnzippedBytes: number;
  /** Pixels of all images inside one Office file together: each is decoded and re-encoded, so this bounds the time a
   *  file of many small, highly compressed images can cost (read from the headers before anything is decoded). */
  maxOfficePixels: number;
  /** Indirect objects a PDF may have once loaded: more is refused before the walk and the save, which cost as much again. */
  maxPdfObjects: number;
  /** Bytes pdf-lib may inflate while it loads one PDF (its object and cross-reference streams, see cleanPdf). */
  maxPdfInflatedBytes: number;
  /** How deep Office packages inside an Office file are cleaned: 1 is a workbook in a document (a chart's data),
   *  2 a workbook in a document in a presentation. A package deeper than this is refused. */
  maxOfficeDepth: number;
};
export const DEFAULT_LIMITS: CleanLimits = {
  maxPixels: 100_000_000, maxZipEntries: 5_000, maxUnzippedBytes: 256 * 1024 * 1024,
  maxOfficePixels: 500_000_000, maxPdfObjects: 200_000, maxPdfInflatedBytes: 32 * 1024 * 1024, maxOfficeDepth: 2,
};

/** The sniffed type of a file: an allowed media type, or the reason it is refused. */
export async function sniff(data: Buffer): Promise<MediaType> {
  if (!data.length) throw new AttachmentRefused("empty");
  const found = await fileTypeFromBuffer(data).catch(() => undefined);
  if (!found) return sniffText(data);
  const mime = found.mime.split(";")[0]!.trim().toLowerCase();
  if (mime === "audio/x-m4a") return "audio/mp4";
  if (mime === "audio/vnd.wave" || mime === "audio/x-wav") return "audio/wav";
  if (isAllowedType(mime)) return mime;
  if (mime.startsWith("image/hei")) throw new AttachmentRefused("heic");
  if (mime === "application/x-cfb" || mime === "application/msword" || mime === "application/vnd.ms-excel" || mime === "application/vnd.ms-powerpoint") {
    throw new AttachmentRefused("legacyOffice");
  }
  if (/macroenabled/i.test(mime)) throw new AttachmentRefused("macro");
  throw new AttachmentRefused("unknownType", mime);
}

/** Plain text has no magic number: accept only valid UTF-8 without NUL bytes, and no markup (HTML, XML, SVG). */
function sniffText(data: Buffer): MediaType {
  if (data.includes(0)) throw new AttachmentRefused("textEncoding");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(data);
  } catch {
    throw new AttachmentRefused("textEncoding");
  }
  // A page or an image in disguise: refused, even though it would be served as text/plain.
  if (/^\s*<(!doctype|html|head|body|script|svg|\?xml|iframe|object|embed)\b/i.test(text.replace(/^\uFEFF/, ""))) throw new AttachmentRefused("unknownType", "markup");
  return "text/plain";
}

/** Sniffs, checks and cleans a file; throws AttachmentRefused with the reason when it cannot be stored. */
export async function cleanAttachment(data: Buffer, limits: CleanLimits = DEFAULT_LIMITS): Promise<Cleaned> {
  const mediaType = await sniff(data);
  const family = ALLOWED[mediaType].family;
  // Audio and plain text are kept as they are: they need neither library.
  if (family === "image" || family === "pdf" || family === "office") await libraries();
  switch (family) {
    case "image": return { mediaType, ...(await cleanImage(data, mediaType, limits)) };
    case "pdf": return { mediaType, ...(await cleanPdf(data, limits)) };
    case "office": return { mediaType, ...(await cleanOffice(data, limits)) };
    case "audio": return { mediaType, bytes: data, removed: [], notice: "audioKept" };
    case "text": return { mediaType, bytes: data, removed: [], notice: null };
  }
}

// ---- images ------------------------------------------------------------------------------------------

const has = (o: Record<string, unknown> | undefined, keys: string[]) => !!o && keys.some((k) => o[k] !== undefined && o[k] !== "");

/** The kinds of personal data in an EXIF block (read by exif-reader), for the reporter's message. */
function exifFindings(exif: Buffer | undefined): Removed[] {
  if (!exif?.length) return [];
  let e: ReturnType<typeof exifReader>;
  try {
    e = exifReader(exif);
  } catch {
    return ["otherMetadata"];
  }
  const out = new Set<Removed>();
  const gps = e.GPSInfo as Record<string, unknown> | undefined;
  if (gps && Object.keys(gps).some((k) => k !== "GPSVersionID")) out.add("location");
  const image = e.Image as Record<string, unknown> | undefined, photo = e.Photo as Record<string, unknown> | undefined;
  if (has(image, ["Make", "Model", "Software", "HostComputer", "UniqueCameraModel"]) || has(photo, ["LensMake", "LensModel", "LensSerialNumber", "BodySerialNumber"])) out.add("camera");
  if (has(image, ["DateTime", "PreviewDateTime"]) || has(photo, ["DateTimeOriginal", "DateTimeDigitized"])) out.add("date");
  if (has(image, ["Artist", "Copyright", "XPAuthor"]) || has(photo, ["CameraOwnerName"])) out.add("author");
  if (has(image, ["ImageDescription", "XPComment", "XPTitle", "XPSubject", "XPKeywords", "DocumentName"]) || has(photo, ["UserComment", "ImageUniqueID"]) || e.Thumbnail) out.add("otherMetadata");
  return [...out];
}

/** The raster formats sharp re-encodes in their own format: the allowed images, and TIFF inside Office files. */
type Raster = "image/jpeg" | "image/png" | "image/webp" | "image/gif" | "image/tiff";
const RASTERS: readonly string[] = ["image/jpeg", "image/png", "image/webp", "image/gif", "image/tiff"];

type ImageHead = { meta: Metadata; pixels: number; found: Set<Removed> };

const input = (data: Uint8Array, type: Raster, limits: CleanLimits) =>
  sharp(data, { limitInputPixels: limits.maxPixels, animated: type === "image/gif" || type === "image/webp", failOn: "error" });

/** An image's header: its pixels (refused past the limit before anything is decoded) and what its metadata holds. */
async function readImage(data: Uint8Array, type: Raster, limits: CleanLimits): Promise<ImageHead> {
  let meta: Metadata;
  try {
    meta = await input(data, type, limits).metadata();
  } catch (e) {
    throw new AttachmentRefused(/pixel limit/i.test(String(e)) ? "imagePixels" : "damaged");
  }
  const pixels = (meta.width ?? 0) * (meta.pageHeight ?? meta.height ?? 0) * (meta.pages ?? 1);
  if (pixels > limits.maxPixels) throw new AttachmentRefused("imagePixels");
  const found = new Set<Removed>(exifFindings(meta.exif));
  if (meta.xmp?.length || meta.iptc?.length || meta.comments?.length || meta.tifftagPhotoshop?.length) found.add("otherMetadata");
  return { meta, pixels, found };
}

/** Re-encodes an image in its own format without any metadata (EXIF, XMP, IPTC, comments, ICC), turned upright first. */
async function reencode(data: Uint8Array, type: Raster, head: ImageHead, limits: CleanLimits): Promise<Buffer> {
  let img = input(data, type, limits);
  // Apply the EXIF orientation to the pixels (a multi-frame image has none to apply).
  if ((head.meta.pages ?? 1) === 1) img = img.rotate();
  // No withMetadata() or keepMetadata(): sharp writes none of the input's metadata.
  if (type === "image/jpeg") img = img.jpeg({ quality: 90 });
  else if (type === "image/png") img = img.png();
  else if (type === "image/webp") img = img.webp({ quality: 90 });
  else if (type === "image/gif") img = img.gif();
  else img = img.tiff();
  try {
    return await img.toBuffer();
  } catch (e) {
    if (/pixel limit/i.test(String(e))) throw new AttachmentRefused("imagePixels");
    throw new AttachmentRefused("damaged");
  }
}

async function cleanImage(data: Buffer, mediaType: MediaType, limits: CleanLimits): Promise<Omit<Cleaned, "mediaType">> {
  const type = mediaType as Raster;
  const head = await readImage(data, type, limits);
  return { bytes: await reencode(data, type, head, limits), removed: REMOVED.filter((r) => head.found.has(r)), notice: null };
}

// ---- PDF ---------------------------------------------------------------------------------------------

const INFO_AUTHOR = ["Author"], INFO_DATES = ["CreationDate", "ModDate"];

// What pdf-lib costs on a hostile file (read in node_modules/pdf-lib/src/core/parser and streams/, and measured):
// - Ordinary streams (page contents, images, fonts, embedded files) stay raw bytes: pdf-lib neither inflates them on
//   load nor on save, so a small file with a huge FlateDecode content stream costs nothing (2 MB that would inflate
//   to 2 GiB: 3 ms to load, 14 ms to save).
// - Object streams (/Type /ObjStm) and cross-reference streams (/Type /XRef) are different: PDFParser inflates each
//   one whole while loading, with no bound, and its FlateStream decodes a deflate block in one go however large it
//   is. A 2 MB file whose object stream inflates to 2 GiB took 11 s and 3 GB of memory. So, while cleanPdf loads a
//   file, each such stream is measured first with fflate, fed a few KiB at a time (at most ~1,000 bytes out per byte
//   in, so never much more than the budget is produced), against maxPdfInflatedBytes for the whole file. A stream
//   over the budget, or compressed with anything but FlateDecode (what every writer uses for these), is not handed
//   to pdf-lib's decoder at all: the throw makes pdf-lib keep it as an invalid object, and the file is refused. (Data
//   fflate cannot inflate throws as well and is skipped the same way, without refusing: pdf-lib would fail on it too.)
// - Many objects: parsing is linear in the file's size (a 25 MB file of 700,000 tiny objects loads in 10-15 s on
//   this machine, yielding to the event loop every 100 objects), so ATTACHMENT_MAX_FILE_MB bounds it; a file with
//   more than maxPdfObjects objects is refused after loading, before the walk and the save that would cost as much again.
type InflateBudget = { left: number; over: boolean };
const inflateBudget = new AsyncLocalStorage<InflateBudget>();
const INFLATE_STEP = 4096;

/** Counts what a structural stream inflates to against the budget of the PDF being loaded; throws when it may not be decoded. */
function spend(budget: InflateBudget, raw: PDFRawStream): void {
  if (!budget.over) {
    const filter = raw.dict.lookup(PDFName.of("Filter"));
    const only = filter instanceof PDFArray && filter.size() === 1 ? filter.lookup(0) : filter;
    let size = Infinity;
    if (only === undefined) size = raw.contents.length;
    else if (only === FLATE) {
      size = 0;
      // Never pushed as final: the Adler-32 trailer is not checked (pdf-lib does not either) and a missing one is no error.
      const inflate = new Unzlib((chunk) => { size += chunk.length; });
      for (let at = 0; at < raw.contents.length && size <= budget.left; at += INFLATE_STEP) inflate.push(raw.contents.subarray(at, at + INFLATE_STEP));
    }
    if (size <= budget.left) { budget.left -= size; return; }
    budget.over = true;
  }
  throw new Error("PDF structure stream over the inflate budget");
}

/** pdf-lib's parsers of object and cross-reference streams, measured first inside cleanPdf (outside it, as they are);
 *  put in place by libraries(). */
function guarded<A extends unknown[], R>(forStream: (raw: PDFRawStream, ...rest: A) => R) {
  return (raw: PDFRawStream, ...rest: A): R => {
    const budget = inflateBudget.getStore();
    if (budget) spend(budget, raw);
    return forStream(raw, ...rest);
  };
}

/** Drops the document information dictionary and every XMP stream, and every object no longer reachable
 *  (older revisions of an incrementally saved file keep their own copies). Refuses encrypted PDFs. */
async function cleanPdf(data: Uint8Array, limits: CleanLimits): Promise<Omit<Cleaned, "mediaType">> {
  let doc: PDFDocument;
  const budget: InflateBudget = { left: limits.maxPdfInflatedBytes, over: false };
  try {
    doc = await inflateBudget.run(budget, () => PDFDocument.load(data, { updateMetadata: false, throwOnInvalidObject: false }));
  } catch (e) {
    if (budget.over) throw new AttachmentRefused("pdfTooComplex");
    // pdf-lib is compiled to ES5, where `instanceof` of its error classes is not reliable: the message is.
    if (e instanceof EncryptedPDFError || /is encrypted/i.test(String((e as Error)?.message))) throw new AttachmentRefused("encrypted");
    throw new AttachmentRefused("damaged");
  }
  if (budget.over) throw new AttachmentRefused("pdfTooComplex");
  if (doc.isEncrypted) throw new AttachmentRefused("encrypted");
  const context = doc.context;
  const objects = context.enumerateIndirectObjects();
  if (objects.length > limits.maxPdfObjects) throw new AttachmentRefused("pdfTooComplex");
  const removed = new Set<Removed>();
  const oldInfo = context.trailerInfo.Info ? context.lookup(context.trailerInfo.Info) : undefined;
  if (oldInfo instanceof PDFDict) {
    for (const [key, value] of oldInfo.entries()) {
      const text = String(value ?? "").replace(/^\(|\)$|^<|>$/g, "").trim();
      if (!text) continue;
      const name = key.decodeText();
      removed.add(INFO_AUTHOR.includes(name) ? "author" : INFO_DATES.includes(name) ? "date" : "documentProperties");
    }
  }
  // XMP packets (document, pages, images) and private application data.
  const strip = [PDFName.of("Metadata"), PDFName.of("PieceInfo")];
  for (const [, object] of objects) {
    const dict = object instanceof PDFDict ? object : object instanceof PDFStream ? object.dict : null;
    if (!dict) continue;
    for (const key of strip) {
      if (dict.has(key)) { dict.delete(key); removed.add(key === strip[0] ? "documentProperties" : "otherMetadata"); }
    }
  }
  // A fresh information dictionary with the six standard text fields empty.
  context.trailerInfo.Info = context.register(context.obj({}));
  doc.setTitle(""); doc.setAuthor(""); doc.setSubject(""); doc.setKeywords([]); doc.setCreator(""); doc.setProducer("");
  removeUnreachable(doc);
  let bytes: Uint8Array;
  try {
    bytes = await doc.save({ updateFieldAppearances: false });
  } catch {
    throw new AttachmentRefused("damaged");
  }
  return { bytes: Buffer.from(bytes), removed: REMOVED.filter((r) => removed.has(r)), notice: null };
}

/** Deletes every indirect object that the catalog and the information dictionary do not lead to. */
function removeUnreachable(doc: PDFDocument) {
  const context = doc.context;
  const seen = new Set<PDFRef>();
  const stack: (PDFObject | undefined)[] = [context.trailerInfo.Root, context.trailerInfo.Info];
  while (stack.length) {
    const o = stack.pop();
    if (!o) continue;
    if (o instanceof PDFRef) {
      if (seen.has(o)) continue;
      seen.add(o);
      stack.push(context.lookup(o));
    } else if (o instanceof PDFDict) {
      for (const [, v] of o.entries()) stack.push(v);
    } else if (o instanceof PDFArray) {
      for (const v of o.asArray()) stack.push(v);
    } else if (o instanceof PDFStream) {
      stack.push(o.dict);
    }
  }
  for (const [ref] of context.enumerateIndirectObjects()) if (!seen.has(ref)) context.delete(ref);
}

// ---- Office (OOXML) ------------------------------------------------------------------------------------

const NEUTRAL = {
  "docProps/core.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>',
  "docProps/app.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>',
  "docProps/custom.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>',
} as const;
const neutralOf = (name: string) => (Object.hasOwn(NEUTRAL, name) ? NEUTRAL[name as keyof typeof NEUTRAL] : undefined);
/** The zip's own timestamps tell when the document was last saved: every entry gets this one instead. */
const ZIP_TIME = new Date(1980, 0, 1, 0, 0, 0);

const BLANK: Partial<Record<Raster, () => Promise<Buffer>>> = {
  "image/jpeg": () => sharp({ create: { width: 1, height: 1, channels: 3, background: "#fff" } }).jpeg().toBuffer(),
  "image/png": () => sharp({ create: { width: 1, height: 1, channels: 3, background: "#fff" } }).png().toBuffer(),
};
/** Already compressed: stored in the zip as they are rather than deflated again for nothing. */
const STORED: readonly Raster[] = ["image/jpeg", "image/png", "image/webp", "image/gif"];

// What a part of an Office file can be, by its bytes (file-type) and by what [Content_Types].xml declares, and what
// becomes of it:
// - a raster image sharp re-encodes here (JPEG, PNG, WebP, GIF, TIFF): re-encoded without its metadata;
// - any other raster image — JPEG XR (hdphoto*.wdp, which Office itself writes for pictures with artistic effects or a
//   removed background), HEIC, AVIF, JPEG 2000, JPEG XL, BMP, PSD, camera raw … — can hold EXIF or XMP that no
//   library here removes: the file is refused (officeImage). AVIF sharp could re-encode, but AV1 encoding costs about
//   0.5 s per megapixel here, minutes for the pixel budget, and Office documents rarely hold it: refused as well;
// - SVG: refused too (officeImage). It is text that can hold <metadata> (an RDF author), <title>, <desc>, comments and
//   editor attributes such as Inkscape's export path with the user's folder; removing those means editing XML by
//   hand, and sharp would only rasterise it, which changes the document. Office keeps a PNG copy of every SVG
//   picture it shows, and "Opslaan als PDF" keeps the drawing. (A part declared as any image that is neither
//   re-encoded nor a vector picture is refused the same way.)
// - an Office package inside (a chart's workbook, an embedded document, an altChunk): cleaned by this same code,
//   up to maxOfficeDepth, its parts counted against the same limits; a PDF inside (Word for Mac stores pasted PDFs
//   so): cleaned by cleanPdf;
// - an OLE object (oleObject*.bin, any OLE compound file such as an ActiveX control or an old .doc inside), any
//   other part where Office keeps embedded objects (embeddings/, or the target of an oleObject, package or aFChunk
//   relationship) that is not one of the above, and other archives and documents (RTF, PostScript): refused
//   (officeEmbedded), since they keep their own author and properties;
// - vector pictures (EMF, WMF) are drawing records with no EXIF or XMP block; an EMF's header may carry a description
//   (the drawing program and a picture title). They stay as they are, like the document's own text; so do XML parts,
//   fonts, printer settings, audio and video (whose tags, as in a standalone audio file, are not rewritten).
const VECTOR_TYPES: readonly string[] = ["image/x-emf", "image/emf", "image/x-wmf", "image/wmf"];
const UNCLEANABLE: ReadonlySet<string> = new Set([
  "application/x-cfb", "application/vnd.ms-outlook", "application/rtf", "application/postscript", "application/eps",
  "application/gzip", "application/x-7z-compressed", "application/x-rar-compressed", "application/x-tar", "application/x-bzip2", "application/x-xz",
  "application/zstd", "application/x-lzip", "application/x-lz4", "application/x-compress", "application/vnd.ms-cab-compressed", "application/x-cpio",
]);
/** Relationships whose target is an embedded object or document rather than part of this one. */
const EMBEDDING_REL = /\/(oleObject|package|aFChunk|activeXControlBinary)$/i;
const THUMBNAIL_REL = /\/metadata\/thumbnail$/i;

const utf8 = (data: Uint8Array) => Buffer.from(data.buffer, data.byteOffset, data.length).toString("utf8");
const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag);
  return m ? (m[1] ?? m[2]!) : undefined;
};
const isZip = (d: Uint8Array) => d.length >= 4 && d[0] === 0x50 && d[1] === 0x4b && ((d[2] === 3 && d[3] === 4) || (d[2] === 5 && d[3] === 6));

/** A relationship's target as the zip names its part, lower case (OPC part names compare without case), both as
 *  written and percent-decoded. */
function partNames(base: string, target: string): string[] {
  const resolve = (t: string) => {
    const out: string[] = [];
    for (const seg of (t.startsWith("/") ? t.slice(1) : base + t).split("/")) {
      if (seg === "..") out.pop();
      else if (seg !== "." && seg !== "") out.push(seg);
    }
    return out.join("/").toLowerCase();
  };
  const raw = target.split("#")[0]!;
  let decoded = raw;
  try { decoded = decodeURIComponent(raw); } catch { /* kept as written */ }
  return [resolve(raw), resolve(decoded)];
}

/** The internal targets of the package's relationships (every _rels/*.rels) of a type, as lower-case part names. */
function relationshipTargets(files: Unzipped, names: string[], type: RegExp): Set<string> {
  const out = new Set<string>();
  for (const name of names) {
    const base = /^(.*?)_rels\/[^/]*\.rels$/i.exec(name)?.[1];
    if (base === undefined) continue;
    for (const rel of utf8(files[name]!).match(/<Relationship\b[^>]*>/g) ?? []) {
      const t = attr(rel, "Type"), target = attr(rel, "Target");
      if (!t || !target || !type.test(t) || /^external$/i.test(attr(rel, "TargetMode") ?? "")) continue;
      for (const n of partNames(base, target)) out.add(n);
    }
  }
  return out;
}

/** The content type [Content_Types].xml declares for a part (an Override for it, else the Default of its extension). */
function declaredTypes(types: Uint8Array): (name: string) => string {
  const xml = utf8(types), overrides = new Map<string, string>(), defaults = new Map<string, string>();
  for (const tag of xml.match(/<(Override|Default)\b[^>]*>/g) ?? []) {
    const type = attr(tag, "ContentType")?.trim().toLowerCase();
    if (!type) continue;
    const part = attr(tag, "PartName"), ext = attr(tag, "Extension");
    if (part) for (const n of partNames("", part)) overrides.set(n, type);
    else if (ext) defaults.set(ext.toLowerCase(), type);
  }
  return (name) => {
    const lower = name.toLowerCase();
    return overrides.get(lower) ?? defaults.get(lower.slice(lower.lastIndexOf(".") + 1)) ?? "";
  };
}

/** Whether a part is an SVG picture by its name or its root element (<svg> after the XML prolog). One declared as
 *  image/svg+xml is refused in any case, as every declared image that is not re-encoded or a vector picture is. */
function isSvg(name: string, data: Uint8Array): boolean {
  if (/\.svgz?$/i.test(name)) return true;
  const head = Buffer.from(data.buffer, data.byteOffset, Math.min(data.length, 64 * 1024));
  if (head.indexOf("svg") < 0) return false;
  let text = head.toString("utf8").replace(/^\uFEFF/, "");
  // Skips what may come before the root element: the XML declaration and processing instructions, comments, a doctype.
  const doctypeEnd = (t: string) => {
    const gt = t.indexOf(">"), subset = t.indexOf("[");
    return subset >= 0 && subset < gt ? t.indexOf(">", t.indexOf("]", subset)) + 1 : gt + 1;
  };
  for (let i = 0; i < 1_000; i++) {
    text = text.trimStart();
    const end = text.startsWith("<?") ? text.indexOf("?>") + 2 : text.startsWith("<!--") ? text.indexOf("-->") + 3 : text.startsWith("<!DOCTYPE") ? doctypeEnd(text) : 0;
    if (end <= 1) break;
    text = text.slice(end);
  }
  return /^<([\w.-]+:)?svg[\s/>]/.test(text);
}

/** Zip entries and unpacked bytes, and image pixels, of one Office file with every package inside it together. */
type OfficeBudget = { entries: number; bytes: number; pixels: number };

/** Replaces the document properties (core, app, custom) with empty ones and the thumbnail with a blank image,
 *  re-encodes every raster image inside (a photo pasted into a document keeps its EXIF: place, camera), cleans the
 *  Office packages and PDFs inside the same way, refuses what cannot be cleaned, and keeps every other part as it is. */
async function cleanOffice(data: Buffer, limits: CleanLimits): Promise<Omit<Cleaned, "mediaType">> {
  const removed = new Set<Removed>();
  const bytes = await cleanPackage(data, limits, { entries: 0, bytes: 0, pixels: 0 }, 0, removed);
  return { bytes, removed: REMOVED.filter((r) => removed.has(r)), notice: "officeNamesKept" };
}

/** One OOXML package: the Office file itself (depth 0) or one inside it. What was found is added to `removed`. */
async function cleanPackage(data: Uint8Array, limits: CleanLimits, budget: OfficeBudget, depth: number, removed: Set<Removed>): Promise<Buffer> {
  let files: Unzipped;
  try {
    files = unzipSync(data, {
      // Declared sizes are checked before anything is inflated; fflate inflates each entry into a buffer of
      // exactly its declared size, so a lying header cannot make it allocate more. The limits hold for the Office
      // file and the packages inside it together.
      filter: (f) => {
        budget.entries++;
        budget.bytes += f.originalSize;
        if (budget.entries > limits.maxZipEntries || budget.bytes > limits.maxUnzippedBytes) throw new AttachmentRefused("unpacksTooLarge");
        return true;
      },
    });
  } catch (e) {
    if (e instanceof AttachmentRefused) throw e;
    throw new AttachmentRefused("damaged");
  }
  const names = Object.keys(files);
  const types = files["[Content_Types].xml"];
  if (!types) throw new AttachmentRefused("damaged");
  if (names.some((n) => /(^|\/)vbaProject\.bin$/i.test(n) || /(^|\/)vbaData\.xml$/i.test(n)) || /macroEnabled/i.test(utf8(types))) {
    throw new AttachmentRefused("macro");
  }
  // Keyed by names from the zip: no prototype, so an entry called "toString" or "__proto__" is only a name.
  const out: Zippable = Object.create(null);
  const declared = declaredTypes(types);
  const embedded = relationshipTargets(files, names, EMBEDDING_REL);
  const thumbnails = relationshipTargets(files, names, THUMBNAIL_REL);
  for (const n of names) if (/^docProps\/thumbnail\.[^/]+$/i.test(n)) thumbnails.add(n.toLowerCase());

  // Every part is judged by its content and its declared type; its place counts only where Office keeps embedded
  // objects. Images are read first (headers only), so their pixels are counted before any of them is decoded; the
  // packages inside are cleaned next, against the same budget, and this package's images are re-encoded last.
  const images: { name: string; type: Raster; head: ImageHead }[] = [];
  const inner: { name: string; kind: "office" | "pdf" }[] = [];
  for (const name of names) {
    if (neutralOf(name) !== undefined) continue;
    const part = files[name]!;
    const found = (await fileTypeFromBuffer(part).catch(() => undefined))?.mime ?? "";
    const type = declared(name);
    if (isSvg(name, part)) throw new AttachmentRefused("officeImage", name);
    // Where Office keeps embedded objects, only what can be cleaned may be: another Office package or a PDF.
    if (/(^|\/)embeddings\//i.test(name) || /(^|\/)oleObject[^/]*\.bin$/i.test(name) || embedded.has(name.toLowerCase())) {
      if (isZip(part)) inner.push({ name, kind: "office" });
      else if (found === "application/pdf") inner.push({ name, kind: "pdf" });
      else throw new AttachmentRefused("officeEmbedded", name);
      continue;
    }
    if (RASTERS.includes(found)) {
      const raster = found as Raster;
      if (thumbnails.has(name.toLowerCase()) && BLANK[raster]) {
        // The thumbnail shows page 1 as the author last saved it: a blank image of the same format takes its place,
        // so its relationship and content type stay right. Its metadata is read only to tell the reporter.
        const head = await readImage(part, raster, limits).catch(() => undefined);
        head?.found.forEach((r) => removed.add(r));
        out[name] = [await BLANK[raster]!(), { mtime: ZIP_TIME, level: 0 }];
        continue;
      }
      let head: ImageHead;
      try {
        head = await readImage(part, raster, limits);
      } catch (e) {
        // A raster image sharp cannot read may still carry EXIF, so the document is refused rather than stored with it.
        // One too large for a picture in a document is the zip bomb of images: said as such.
        if (e instanceof AttachmentRefused && e.reason === "imagePixels") throw new AttachmentRefused("unpacksTooLarge", name);
        throw e;
      }
      budget.pixels += head.pixels;
      if (budget.pixels > limits.maxOfficePixels) throw new AttachmentRefused("unpacksTooLarge", "images");
      head.found.forEach((r) => removed.add(r));
      images.push({ name, type: raster, head });
      continue;
    }
    // A raster format sharp does not re-encode here (found by its bytes, or declared as an image that is not a vector picture).
    if (found.startsWith("image/") || (type.startsWith("image/") && !VECTOR_TYPES.includes(type))) throw new AttachmentRefused("officeImage", name);
    if (isZip(part)) inner.push({ name, kind: "office" });
    else if (found === "application/pdf") inner.push({ name, kind: "pdf" });
    else if (UNCLEANABLE.has(found)) throw new AttachmentRefused("officeEmbedded", name);
  }

  // The packages and PDFs inside, each with the same cleaner and against the same limits.
  for (const { name, kind } of inner) {
    const part = files[name]!;
    if (kind === "office") {
      if (depth + 1 > limits.maxOfficeDepth) throw new AttachmentRefused("officeEmbedded", `${name}: too deep`);
      out[name] = [await within(name, () => cleanPackage(part, limits, budget, depth + 1, removed)), { mtime: ZIP_TIME, level: 0 }];
    } else {
      const pdf = await within(name, () => cleanPdf(part, limits));
      pdf.removed.forEach((r) => removed.add(r));
      out[name] = [pdf.bytes, { mtime: ZIP_TIME }];
    }
  }
  // One image at a time: sharp spreads each over the cores already, and memory stays that of one decoded image.
  for (const { name, type, head } of images) {
    // Same format, same part name: the relationships and [Content_Types].xml need no change.
    out[name] = [await reencode(files[name]!, type, head, limits), { mtime: ZIP_TIME, level: STORED.includes(type) ? 0 : 6 }];
  }

  for (const name of names) {
    const neutral = neutralOf(name);
    if (neutral !== undefined) {
      const xml = utf8(files[name]!);
      // Only to tell the reporter what was there; the part is replaced whatever it holds.
      if (/<(dc:creator|cp:lastModifiedBy)>[^<]*\S[^<]*</.test(xml)) removed.add("author");
      if (/<(dcterms:created|dcterms:modified|cp:lastPrinted)[^>]*>[^<]*\S/.test(xml)) removed.add("date");
      if (/<(Company|Manager|Template|Application)>[^<]*\S|<(dc:title|dc:subject|cp:keywords|dc:description|cp:category)>[^<]*\S|<property\b/.test(xml)) removed.add("documentProperties");
      out[name] = [Buffer.from(neutral, "utf8"), { mtime: ZIP_TIME }];
    } else if (!Object.hasOwn(out, name)) {
      out[name] = [files[name]!, { mtime: ZIP_TIME }];
    }
  }
  // The parts in the order they came (the zip's order, [Content_Types].xml usually first), whatever was replaced.
  const ordered: Zippable = Object.create(null);
  for (const name of names) ordered[name] = out[name]!;
  return Buffer.from(zipSync(ordered, { level: 6 }));
}

/** Cleans something inside an Office file. The limits and pictures refuse it for the same reason as in the file
 *  itself; anything else (a macro, a damaged, encrypted or too complex part) is an embedded object we cannot clean. */
async function within<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof AttachmentRefused) || e.reason === "unpacksTooLarge" || e.reason === "officeImage" || e.reason === "officeEmbedded") throw e;
    throw new AttachmentRefused("officeEmbedded", `${name}: ${e.reason}`);
  }
}

// ---- names -----------------------------------------------------------------------------------------------

/** A file name fit to store and to offer for download: no folders, no control or direction-changing
 *  characters, at most 150 characters, and an extension that matches what the file really is. */
export function safeFileName(raw: string, mediaType: MediaType): string {
  let name = (raw.normalize("NFC").split(/[\\/]/).pop() ?? "")
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "")
    .trim().replace(/^\.+/, "").trim();
  const { ext, exts } = ALLOWED[mediaType];
  const dot = name.lastIndexOf(".");
  const current = dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
  if (!(exts as readonly string[]).includes(current)) name = `${name || "bestand"}.${ext}`;
  if (name.length > 150) {
    const suffix = name.slice(name.lastIndexOf("."));
    name = [...name.slice(0, name.lastIndexOf("."))].slice(0, 150 - suffix.length).join("") + suffix;
  }
  return name;
}

/** Content-Disposition for a download: always an attachment, the name in RFC 5987 form plus a plain ASCII fallback. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^A-Za-z0-9._ ()-]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
