// Redemption codes. The QR token (192 bits) and the 8-digit code are derived from the
// redemption's random id with the server's keyed HMAC, so only their hashes are stored and yet
// the owner can be shown them again (a lost screen, a double submit). Hashes are keyed too: a
// leaked table does not let anyone try the 10^8 short codes offline.
import type { FieldCrypto } from '../../crypto/fields.js';

export function tokenOf(crypto: FieldCrypto, redemptionId: string): string {
  return Buffer.from(crypto.blindIndex('redemption-token', redemptionId), 'hex').subarray(0, 24).toString('base64url');
}

export function shortCodeOf(crypto: FieldCrypto, redemptionId: string, attempt: number): string {
  const hex = crypto.blindIndex(`redemption-code:${attempt}`, redemptionId).slice(0, 12);
  return String(Number.parseInt(hex, 16) % 100_000_000).padStart(8, '0');
}

export function tokenHash(crypto: FieldCrypto, token: string): string {
  return crypto.blindIndex('redemption-token-hash', token);
}

export function shortCodeHash(crypto: FieldCrypto, code: string): string {
  return crypto.blindIndex('redemption-code-hash', code);
}

export type ParsedCode = { kind: 'short'; code: string } | { kind: 'token'; token: string } | null;

/** What the merchant typed or scanned: 8 digits (spaces allowed) or the QR token. */
export function parseCode(input: string): ParsedCode {
  const text = input.trim();
  const digits = text.replace(/[\s-]/g, '');
  if (/^[0-9]{8}$/.test(digits)) return { kind: 'short', code: digits };
  if (/^[A-Za-z0-9_-]{32}$/.test(text)) return { kind: 'token', token: text };
  return null;
}
