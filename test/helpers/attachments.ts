import sharp from "sharp";

// Files for attachment tests, made here with the libraries a real file would come from.

/** A photo as a phone makes it: camera, owner, time and the place in EXIF (optionally turned on its side). */
export async function photoWithExif(opts: { width?: number; height?: number; orientation?: number; maker?: string } = {}): Promise<Buffer> {
  return sharp({ create: { width: opts.width ?? 80, height: opts.height ?? 40, channels: 3, background: { r: 30, g: 120, b: 200 } } })
    .jpeg()
    .withMetadata({ orientation: opts.orientation ?? 1 })
    .withExifMerge({
      IFD0: { Make: "KanarieCam", Model: "Model KANARIE-7", Artist: opts.maker ?? "Jan Melder", DateTime: "2024:03:01 10:15:00" },
      IFD2: { DateTimeOriginal: "2024:03:01 10:15:00" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "52/1 22/1 0/1", GPSLongitudeRef: "E", GPSLongitude: "4/1 53/1 0/1" },
    })
    .toBuffer();
}

type PartFile = { field?: string; name: string; content: Buffer | string; type?: string };

/** A multipart/form-data body as a browser sends it: text fields, then the files (one, several, or none). */
export function multipartBody(fields: Record<string, string>, files?: PartFile | PartFile[]) {
  const boundary = `----intact-test-${Math.random().toString(36).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const file of [files ?? []].flat()) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? "file"}"; filename="${file.name}"\r\nContent-Type: ${file.type ?? "application/octet-stream"}\r\n\r\n`));
    parts.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content, "utf8"));
    parts.push(Buffer.from("\r\n"));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
