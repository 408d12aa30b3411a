import { hash, verify } from '@node-rs/argon2';

/**
 * Password hashing with argon2id (OWASP's first choice) through @node-rs/argon2: maintained
 * (napi-rs), and its native build ships inside the npm package for each platform, so it installs
 * on these offline machines with nothing to compile or download. Its defaults are OWASP's
 * minimum parameters (19 MiB of memory, 2 passes, 1 lane); the salt is random per hash and kept in
 * the PHC string it returns ("$argon2id$v=19$m=19456,t=2,p=1$salt$hash").
 */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** True when `password` is the one `stored` was made from; false for a malformed hash too. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}
