import * as OTPAuth from "otpauth";
import QRCode from "qrcode";

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

function totp(secret: string, label = "", issuer = "Intact") {
  return new OTPAuth.TOTP({ issuer, label, algorithm: "SHA1", digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
}

/** Accepts the current code and one step either side, for clocks that drift a little, but never a
 *  step at or before `lastStep`: a code that was used once cannot be replayed. Returns the step used. */
export function verifyTotp(secret: string, code: string, lastStep: number | null = null, at = Date.now()): number | null {
  const clean = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(clean)) return null;
  const delta = totp(secret).validate({ token: clean, window: 1, timestamp: at });
  if (delta === null) return null;
  const step = Math.floor(at / 1000 / 30) + delta;
  return lastStep !== null && step <= lastStep ? null : step;
}

/** The code for a moment (default now). Tests sign in twice within 30 s with the next step's code,
 *  since a code that was used once is refused. */
export function currentTotp(secret: string, at = Date.now()): string {
  return totp(secret).generate({ timestamp: at });
}

export function totpUri(secret: string, email: string): string {
  return totp(secret, email).toString();
}

/** An inline SVG QR code: no image request, nothing leaves the page. */
export async function totpQrSvg(secret: string, email: string): Promise<string> {
  return QRCode.toString(totpUri(secret, email), { type: "svg", margin: 1, width: 200, errorCorrectionLevel: "M" });
}
