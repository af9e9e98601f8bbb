// AES-256-GCM encryption of secrets at rest (QuickBooks OAuth tokens).
//
// Text format: `v1.<iv>.<tag>.<ciphertext>`, each part base64url, with a random 12-byte IV per
// encryption and a 16-byte authentication tag. An optional "associated data" string binds a
// ciphertext to its place (e.g. company + field), so a ciphertext copied to another row fails
// to decrypt. Errors never contain the plaintext or the key.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Decryption failed: wrong key, tampered or truncated ciphertext, or an unknown format. */
export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}

function assertKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
    throw new Error(`encryption key must be ${KEY_BYTES} bytes (got ${Buffer.isBuffer(key) ? key.length : typeof key})`);
  }
}

/** Encrypts `plaintext`; `aad` (not secret, not stored) must be given again to decrypt. */
export function encryptSecret(plaintext: string, key: Buffer, aad?: string): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  if (aad !== undefined) cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join('.');
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Decrypts a value made by `encryptSecret`; throws DecryptionError on a wrong key, tampering or bad format. */
export function decryptSecret(text: string, key: Buffer, aad?: string): string {
  assertKey(key);
  if (typeof text !== 'string') throw new DecryptionError('cannot decrypt: value is not a string');
  const parts = text.split('.');
  if (parts.length !== 4) throw new DecryptionError('cannot decrypt: not an encrypted value (expected v1.<iv>.<tag>.<ciphertext>)');
  const [version, ivText, tagText, ciphertextText] = parts;
  if (version !== VERSION) throw new DecryptionError(`cannot decrypt: unsupported format version "${version.slice(0, 8)}"`);
  if (!BASE64URL.test(ivText) || !BASE64URL.test(tagText) || !BASE64URL.test(ciphertextText)) {
    throw new DecryptionError('cannot decrypt: malformed encrypted value');
  }
  const iv = Buffer.from(ivText, 'base64url');
  const tag = Buffer.from(tagText, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new DecryptionError('cannot decrypt: malformed encrypted value');
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(tag);
    if (aad !== undefined) decipher.setAAD(Buffer.from(aad, 'utf8'));
    const plaintext = Buffer.concat([decipher.update(Buffer.from(ciphertextText, 'base64url')), decipher.final()]);
    return plaintext.toString('utf8');
  } catch {
    // Deliberately no cause: keep OpenSSL details (and anything derived from the inputs) out of logs.
    throw new DecryptionError('cannot decrypt: wrong encryption key, or the encrypted value was tampered with');
  }
}

/** Parses an encryption key given as 64 hex characters or as base64 (or base64url) of 32 bytes. */
export function parseEncryptionKey(text: string): Buffer {
  const value = typeof text === 'string' ? text.trim() : '';
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(value) || /^[A-Za-z0-9_-]+$/.test(value)) {
    const key = Buffer.from(value, value.includes('-') || value.includes('_') ? 'base64url' : 'base64');
    if (key.length === KEY_BYTES) return key;
  }
  // Never echo the value: it is (or resembles) a secret.
  throw new Error(`invalid encryption key: expected 64 hex characters or base64 of ${KEY_BYTES} bytes (got ${value.length} characters)`);
}

/** A fresh random 32-byte key, base64-encoded (what `parseEncryptionKey` accepts). */
export function generateEncryptionKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}
