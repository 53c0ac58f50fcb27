// Passwords: argon2id hashing, and the rules — every account at least 8 characters; staff also
// three of the four character classes (upper, lower, digits, symbols), as MLPS level 3 asks.
import { hash, verify } from '@node-rs/argon2';
import { errors } from '../../errors.js';
import type { User } from './tables.js';

/**
 * argon2id, 19 MiB and 8 passes: four times the passes of OWASP's minimum setting (19 MiB, 2),
 * so one sign-in costs ≈ 35 ms on an idle machine and stays under 100 ms on a busy one (measured
 * by `npm run bench`; the target is 20–100 ms). Hashes carry their own parameters, so older
 * ones still verify.
 */
export const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 8, parallelism: 1 } as const;

// Spent on unknown phones too, so the answer takes as long as for a wrong password.
const dummyHash = hash('not-a-password', ARGON2_OPTIONS);

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/** Checks a password; with no user (or no password set) it spends the same time and says no. */
export async function verifyPassword(user: Pick<User, 'password_hash'> | null, password: string): Promise<boolean> {
  if (user?.password_hash) return verify(user.password_hash, password);
  await verify(await dummyHash, password);
  return false;
}

export const MIN_PASSWORD_LENGTH = 8;

export function characterClasses(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
}

export function requireStrongPassword(password: string, kind: 'staff' | 'public'): void {
  const long = [...password].length >= MIN_PASSWORD_LENGTH;
  const varied = kind === 'public' ? characterClasses(password) >= 2 : characterClasses(password) >= 3;
  if (!long || !varied) throw errors.passwordTooWeak();
}
