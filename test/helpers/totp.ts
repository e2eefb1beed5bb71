import { currentTotp } from "../../src/auth/totp.ts";

const lastStep = new Map<string, number>();

/** A code the server will accept now: Intact refuses a time step it has seen before, so a test that
 *  signs in several times with one secret takes the next unused step, waiting only when that step
 *  is more than one step (the accepted drift) ahead of the clock. */
export async function nextTotp(secret: string): Promise<string> {
  const nowStep = Math.floor(Date.now() / 30_000);
  const step = Math.max(nowStep, (lastStep.get(secret) ?? -1) + 1);
  if (step > nowStep + 1) await new Promise((r) => setTimeout(r, (step - 1) * 30_000 - Date.now() + 100));
  lastStep.set(secret, step);
  return currentTotp(secret, step * 30_000 + 1_000);
}
