// Salesforce record ids: 3-char key prefix + 12 chars, plus a 3-char suffix that encodes the
// letter case of the first 15 chars so that case-insensitive systems can still tell ids apart.

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID_RE = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** The pod/instance part every generated id carries (real ids have one too, e.g. "001dM0000..."). */
const POD = '5g';

export const USER_KEY_PREFIX = '005';
export const ORG_KEY_PREFIX = '00D';

export function isIdLike(value: string): boolean {
  return ID_RE.test(value);
}

export function checksumSuffix(id15: string): string {
  let out = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    out += SUFFIX_ALPHABET[bits];
  }
  return out;
}

/** The case-sensitive 15-char form: the key records are stored under. */
export function id15(id: string): string {
  return id.slice(0, 15);
}

export function to18(id: string): string {
  const base = id15(id);
  return base + checksumSuffix(base);
}

export function keyPrefixOf(id: string): string {
  return id.slice(0, 3);
}

function base62(n: number, width: number): string {
  let s = '';
  let v = n;
  while (v > 0) {
    s = BASE62[v % 62] + s;
    v = Math.floor(v / 62);
  }
  return s.padStart(width, '0');
}

/** Builds an 18-char id; sequences are zero-padded so ids sort in creation order. */
export function makeId(keyPrefix: string, seq: number): string {
  return to18(`${keyPrefix}${POD}00${base62(seq, 8)}`);
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * Custom objects get prefixes like a0B: "a" plus two base62 chars derived from the object's name,
 * so the prefix is stable across restarts; a clash moves to the next free slot.
 */
export function customKeyPrefix(objectName: string, taken: Set<string>): string {
  const space = 62 * 62;
  let slot = fnv1a(objectName.toLowerCase()) % space;
  for (let i = 0; i < space; i++) {
    const prefix = `a${base62(slot, 2)}`;
    if (!taken.has(prefix)) return prefix;
    slot = (slot + 1) % space;
  }
  throw new Error('no key prefix left');
}

export function randomBase62(length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += BASE62[Math.floor(Math.random() * 62)];
  return s;
}
