import { randomBytes } from 'node:crypto';
import { DecryptionError, decryptSecret, encryptSecret, generateEncryptionKey, parseEncryptionKey } from '../../service/src/store/crypto';

const key = randomBytes(32);
const otherKey = randomBytes(32);
const secret = 'eyJhbGciOi.refresh-token-AB11-secret';

function flipChar(text: string, index: number): string {
  const c = text[index];
  return text.slice(0, index) + (c === 'A' ? 'B' : 'A') + text.slice(index + 1);
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

describe('token encryption (AES-256-GCM)', () => {
  it('when a secret is encrypted and decrypted with the same key, then the plaintext comes back', () => {
    expect(decryptSecret(encryptSecret(secret, key), key)).toBe(secret);
    expect(decryptSecret(encryptSecret('', key), key)).toBe('');
    expect(decryptSecret(encryptSecret('ünïcødé ✓', key, 'ctx'), key, 'ctx')).toBe('ünïcødé ✓');
  });

  it('when a secret is encrypted, then the text is v1.<iv>.<tag>.<ciphertext> base64url without the plaintext', () => {
    const text = encryptSecret(secret, key);
    const parts = text.split('.');
    expect(parts).toHaveLength(4);
    expect(parts[0]).toBe('v1');
    for (const part of parts.slice(1)) expect(part).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(parts[1], 'base64url')).toHaveLength(12);
    expect(Buffer.from(parts[2], 'base64url')).toHaveLength(16);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(Buffer.from(secret).toString('base64url'));
  });

  it('when the same secret is encrypted twice, then the IVs and ciphertexts differ', () => {
    const a = encryptSecret(secret, key);
    const b = encryptSecret(secret, key);
    expect(a).not.toBe(b);
    expect(a.split('.')[1]).not.toBe(b.split('.')[1]);
  });

  it('when decrypting with a wrong key, then a DecryptionError says so without the key or plaintext', () => {
    const err = errorOf(() => decryptSecret(encryptSecret(secret, key), otherKey));
    expect(err).toBeInstanceOf(DecryptionError);
    expect(err.message).toMatch(/wrong encryption key|tampered/);
    expect(err.message).not.toContain(secret);
    expect(err.message).not.toContain(key.toString('hex'));
    expect(err.message).not.toContain(otherKey.toString('hex'));
    expect(err.message).not.toContain(otherKey.toString('base64'));
    expect(err).not.toHaveProperty('cause');
  });

  it('when the ciphertext, tag or IV is tampered with, then decryption fails loudly', () => {
    const text = encryptSecret(secret, key);
    const [v, iv, tag, ct] = text.split('.');
    for (const tampered of [
      [v, iv, tag, flipChar(ct, 0)].join('.'),
      [v, iv, flipChar(tag, 0), ct].join('.'),
      [v, flipChar(iv, 0), tag, ct].join('.'),
      [v, iv, tag, ct.slice(0, -2)].join('.'),
    ]) {
      expect(() => decryptSecret(tampered, key)).toThrow(DecryptionError);
    }
  });

  it('when the associated data differs, then decryption fails (a ciphertext cannot be moved to another row)', () => {
    const text = encryptSecret(secret, key, 'company-1:access');
    expect(() => decryptSecret(text, key, 'company-2:access')).toThrow(DecryptionError);
    expect(() => decryptSecret(text, key)).toThrow(DecryptionError);
  });

  it('when the value is not in the v1 format, then a DecryptionError explains it', () => {
    expect(() => decryptSecret(secret, key)).toThrow(/not an encrypted value/);
    expect(() => decryptSecret('v2.a.b.c', key)).toThrow(/unsupported format version/);
    expect(() => decryptSecret('v1.a.b.c', key)).toThrow(/malformed/);
    expect(() => decryptSecret('v1.!!.b.c', key)).toThrow(/malformed/);
  });

  it('when the key is not 32 bytes, then encryption and decryption refuse it', () => {
    expect(() => encryptSecret(secret, randomBytes(16))).toThrow(/32 bytes/);
    expect(() => decryptSecret('v1.a.b.c', Buffer.alloc(0))).toThrow(/32 bytes/);
  });
});

describe('encryption keys', () => {
  it('when a key is generated, then it is base64 of 32 random bytes that parseEncryptionKey accepts', () => {
    const text = generateEncryptionKey();
    expect(Buffer.from(text, 'base64')).toHaveLength(32);
    expect(parseEncryptionKey(text).equals(Buffer.from(text, 'base64'))).toBe(true);
    expect(generateEncryptionKey()).not.toBe(text);
  });

  it('when given 64 hex characters, then parseEncryptionKey returns those 32 bytes', () => {
    expect(parseEncryptionKey(key.toString('hex')).equals(key)).toBe(true);
    expect(parseEncryptionKey(` ${key.toString('hex').toUpperCase()}\n`).equals(key)).toBe(true);
  });

  it('when given base64 or base64url of 32 bytes, then parseEncryptionKey returns them', () => {
    expect(parseEncryptionKey(key.toString('base64')).equals(key)).toBe(true);
    expect(parseEncryptionKey(key.toString('base64url')).equals(key)).toBe(true);
  });

  it('when the key text is invalid, then parseEncryptionKey throws without echoing it', () => {
    const bad = [
      '',
      'not-a-key',
      randomBytes(16).toString('hex'),
      randomBytes(31).toString('base64'),
      randomBytes(33).toString('base64'),
      key.toString('hex').slice(0, 63) + 'z',
    ];
    for (const text of bad) {
      const err = errorOf(() => parseEncryptionKey(text));
      expect(err.message).toMatch(/invalid encryption key/);
      if (text.length > 3) expect(err.message).not.toContain(text);
    }
  });
});
