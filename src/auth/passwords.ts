import argon2 from "argon2";

export const MIN_PASSWORD_LENGTH = 12;

export type PasswordHasher = { hash(pw: string): Promise<string>; verify(hash: string | null, pw: string): Promise<boolean> };

/** Argon2id with OWASP's minimum memory cost by default. A missing hash is verified against a dummy
 *  so that an unknown account costs the same time as a wrong password; the dummy is made up front, so that the
 *  first unknown address does not cost a hash more. */
export function passwordHasher(memoryKib: number): PasswordHasher {
  const options = { type: argon2.argon2id, memoryCost: memoryKib, timeCost: 2, parallelism: 1 } as const;
  const dummy = argon2.hash("intact-dummy-password-for-uniform-timing", options);
  dummy.catch(() => {}); // awaited on first use; an early failure must not be an unhandled rejection
  return {
    hash: (pw) => argon2.hash(pw, options),
    async verify(hash, pw) {
      if (!hash) {
        await argon2.verify(await dummy, pw).catch(() => false);
        return false;
      }
      return argon2.verify(hash, pw).catch(() => false);
    },
  };
}
