// Field-level encryption of personal data (AES-256-GCM with key ids, so keys can rotate) and a
// keyed blind index (HMAC-SHA256) so an encrypted phone number can still be found exactly.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { FieldKey } from '../config.js';

export interface FieldCrypto {
  encrypt(plain: string): string;
  decrypt(stored: string): string;
  blindIndex(kind: string, value: string): string;
}

export function createFieldCrypto(keys: FieldKey[], indexKey: Buffer): FieldCrypto {
  const active = keys[0];
  if (!active) throw new Error('at least one field key is required');
  const byId = new Map(keys.map((k) => [k.id, k.key]));

  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', active.key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return ['v1', active.id, iv.toString('base64'), body.toString('base64'), tag.toString('base64')].join(':');
    },
    decrypt(stored) {
      const [version, keyId, iv, body, tag] = stored.split(':');
      const key = keyId ? byId.get(keyId) : undefined;
      if (version !== 'v1' || !key || !iv || body === undefined || !tag) {
        throw new Error('unreadable encrypted field (unknown key id or format)');
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    },
    blindIndex(kind, value) {
      return createHmac('sha256', indexKey).update(`${kind}:${value}`).digest('hex');
    },
  };
}

/** Mainland mobile numbers: 11 digits starting 1[3-9]. */
export const MOBILE_PATTERN = '^1[3-9][0-9]{9}$';

export function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '****';
}
