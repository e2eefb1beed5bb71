import * as OTPAuth from "otpauth";
import QRCode from "qrcode";

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

function totp(secret: string, label = "", issuer = "Intact") {
  return new OTPAuth.TOTP({ issuer, label, algorithm: "SHA1", digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
}

/** Accepts the current code and one step either side, for clocks that drift a little. */
export function verifyTotp(secret: string, code: string): boolean {
  const clean = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(clean)) return false;
  return totp(secret).validate({ token: clean, window: 1 }) !== null;
}

export function currentTotp(secret: string): string {
  return totp(secret).generate();
}

export function totpUri(secret: string, email: string): string {
  return totp(secret, email).toString();
}

/** An inline SVG QR code: no image request, nothing leaves the page. */
export async function totpQrSvg(secret: string, email: string): Promise<string> {
  return QRCode.toString(totpUri(secret, email), { type: "svg", margin: 1, width: 200, errorCorrectionLevel: "M" });
}
