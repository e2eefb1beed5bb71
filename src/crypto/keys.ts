import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** The instance master key: from INTACT_MASTER_KEY (base64, 32 bytes) or a file in the data directory
 *  created on first start with owner-only permissions. It never enters the database or a backup. */
export function loadMasterKey(opts: { masterKey?: string; dataDir: string }): { key: Buffer; source: string } {
  if (opts.masterKey) {
    const key = Buffer.from(opts.masterKey, "base64");
    if (key.length !== 32) throw new Error("INTACT_MASTER_KEY must be 32 bytes, base64-encoded");
    return { key, source: "INTACT_MASTER_KEY" };
  }
  const file = masterKeyPath(opts.dataDir);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
    // Written whole under a temporary name, then linked into place: link() fails when the file exists, so of two
    // processes starting at once on one data directory the first key wins and neither reads a half-written file.
    const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
    fs.writeFileSync(tmp, crypto.randomBytes(32).toString("base64") + "\n", { mode: 0o600, flag: "wx" });
    try {
      fs.linkSync(tmp, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }
  const key = Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
  return { key, source: file };
}

export function masterKeyPath(dataDir: string): string {
  return path.join(dataDir, "master.key");
}
