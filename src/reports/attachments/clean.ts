import exifReader from "exif-reader";
import { fileTypeFromBuffer } from "file-type";
import { unzipSync, zipSync, type Unzipped, type Zippable } from "fflate";
import { EncryptedPDFError, PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, PDFStream, type PDFObject } from "pdf-lib";
import sharp from "sharp";
import type { Metadata } from "sharp";

// What a reporter's file becomes before it is stored (SECURITY.md control 7, ADR 0010): its type is
// sniffed from the bytes (never the name or the browser's claim), checked against an allowlist, and its
// hidden metadata removed — images re-encoded by sharp, PDF document info and XMP dropped by pdf-lib,
// Office document properties replaced inside the zip by fflate. Audio and plain text are kept as they are.
// Every format is read by its library; nothing here parses a format by hand.

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
export const REFUSALS = ["empty", "unknownType", "heic", "legacyOffice", "macro", "encrypted", "damaged", "unpacksTooLarge", "imagePixels", "textEncoding"] as const;
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
};
export const DEFAULT_LIMITS: CleanLimits = { maxPixels: 100_000_000, maxZipEntries: 5_000, maxUnzippedBytes: 256 * 1024 * 1024 };

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
  switch (ALLOWED[mediaType].family) {
    case "image": return { mediaType, ...(await cleanImage(data, mediaType, limits)) };
    case "pdf": return { mediaType, ...(await cleanPdf(data)) };
    case "office": return { mediaType, ...cleanOffice(data, limits) };
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

/** Re-encodes an image in its own format without any metadata (EXIF, XMP, IPTC, comments, ICC), turned upright first. */
async function cleanImage(data: Buffer, mediaType: MediaType, limits: CleanLimits): Promise<Omit<Cleaned, "mediaType">> {
  const animated = mediaType === "image/gif" || mediaType === "image/webp";
  const input = () => sharp(data, { limitInputPixels: limits.maxPixels, animated, failOn: "error" });
  let meta: Metadata;
  try {
    meta = await input().metadata();
  } catch (e) {
    throw new AttachmentRefused(/pixel limit/i.test(String(e)) ? "imagePixels" : "damaged");
  }
  if ((meta.width ?? 0) * (meta.pageHeight ?? meta.height ?? 0) * (meta.pages ?? 1) > limits.maxPixels) throw new AttachmentRefused("imagePixels");
  const removed = new Set<Removed>(exifFindings(meta.exif));
  if (meta.xmp?.length || meta.iptc?.length || meta.comments?.length || meta.tifftagPhotoshop?.length) removed.add("otherMetadata");
  // Apply the EXIF orientation to the pixels (a multi-frame image has none to apply).
  let img = input();
  if ((meta.pages ?? 1) === 1) img = img.rotate();
  // No withMetadata() or keepMetadata(): sharp writes none of the input's metadata.
  if (mediaType === "image/jpeg") img = img.jpeg({ quality: 90 });
  else if (mediaType === "image/png") img = img.png();
  else if (mediaType === "image/webp") img = img.webp({ quality: 90 });
  else img = img.gif();
  try {
    return { bytes: await img.toBuffer(), removed: REMOVED.filter((r) => removed.has(r)), notice: null };
  } catch (e) {
    if (/pixel limit/i.test(String(e))) throw new AttachmentRefused("imagePixels");
    throw new AttachmentRefused("damaged");
  }
}

// ---- PDF ---------------------------------------------------------------------------------------------

const INFO_AUTHOR = ["Author"], INFO_DATES = ["CreationDate", "ModDate"];

/** Drops the document information dictionary and every XMP stream, and every object no longer reachable
 *  (older revisions of an incrementally saved file keep their own copies). Refuses encrypted PDFs. */
async function cleanPdf(data: Buffer): Promise<Omit<Cleaned, "mediaType">> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(data, { updateMetadata: false, throwOnInvalidObject: false });
  } catch (e) {
    // pdf-lib is compiled to ES5, where `instanceof` of its error classes is not reliable: the message is.
    if (e instanceof EncryptedPDFError || /is encrypted/i.test(String((e as Error)?.message))) throw new AttachmentRefused("encrypted");
    throw new AttachmentRefused("damaged");
  }
  if (doc.isEncrypted) throw new AttachmentRefused("encrypted");
  const context = doc.context;
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
  for (const [, object] of context.enumerateIndirectObjects()) {
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
/** The zip's own timestamps tell when the document was last saved: every entry gets this one instead. */
const ZIP_TIME = new Date(1980, 0, 1, 0, 0, 0);

/** Replaces the document properties (core, app, custom) with empty ones and keeps every other part as it is. */
function cleanOffice(data: Buffer, limits: CleanLimits): Omit<Cleaned, "mediaType"> {
  let entries = 0, total = 0;
  let files: Unzipped;
  try {
    files = unzipSync(data, {
      // Declared sizes are checked before anything is inflated; fflate inflates each entry into a buffer of
      // exactly its declared size, so a lying header cannot make it allocate more.
      filter: (f) => {
        entries++;
        total += f.originalSize;
        if (entries > limits.maxZipEntries || total > limits.maxUnzippedBytes) throw new AttachmentRefused("unpacksTooLarge");
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
  if (names.some((n) => /(^|\/)vbaProject\.bin$/i.test(n) || /(^|\/)vbaData\.xml$/i.test(n)) || /macroEnabled/i.test(Buffer.from(types).toString("utf8"))) {
    throw new AttachmentRefused("macro");
  }
  const removed = new Set<Removed>();
  const out: Zippable = {};
  for (const name of names) {
    const neutral = NEUTRAL[name as keyof typeof NEUTRAL];
    if (neutral !== undefined) {
      const xml = Buffer.from(files[name]!).toString("utf8");
      // Only to tell the reporter what was there; the part is replaced whatever it holds.
      if (/<(dc:creator|cp:lastModifiedBy)>[^<]*\S[^<]*</.test(xml)) removed.add("author");
      if (/<(dcterms:created|dcterms:modified|cp:lastPrinted)[^>]*>[^<]*\S/.test(xml)) removed.add("date");
      if (/<(Company|Manager|Template|Application)>[^<]*\S|<(dc:title|dc:subject|cp:keywords|dc:description|cp:category)>[^<]*\S|<property\b/.test(xml)) removed.add("documentProperties");
      out[name] = [Buffer.from(neutral, "utf8"), { mtime: ZIP_TIME }];
    } else {
      out[name] = [files[name]!, { mtime: ZIP_TIME }];
    }
  }
  return { bytes: Buffer.from(zipSync(out, { level: 6 })), removed: REMOVED.filter((r) => removed.has(r)), notice: "officeNamesKept" };
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
