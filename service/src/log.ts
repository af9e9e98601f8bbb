// pino, JSON, with two layers against leaking secrets:
// 1. redaction of the fields where secrets live (tokens, client secrets, passwords, Authorization headers);
// 2. a last scrub of every line for secret VALUES the process knows (API keys, live tokens), which also catches
//    a secret that slipped into a message or an error text.
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

const SECRET_KEYS = [
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'id_token',
  'token',
  'password',
  'clientSecret',
  'client_secret',
  'apiKey',
  'adminKey',
  'authorization',
  'Authorization',
  'encryptionKey',
  'tokenEncryptionKey',
];

export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'config.headers.Authorization',
];

const REDACTED = '[REDACTED]';
const MAX_KNOWN_SECRETS = 2000;

/** Secret values that must never be printed. Bounded: old rotated tokens fall out first. */
const knownSecrets = new Set<string>();

export function registerSecret(value: string | undefined | null): void {
  if (!value || value.length < 8) return;
  if (knownSecrets.has(value)) return;
  knownSecrets.add(value);
  if (knownSecrets.size > MAX_KNOWN_SECRETS) {
    const oldest = knownSecrets.values().next().value;
    if (oldest !== undefined) knownSecrets.delete(oldest);
  }
}

/** Replaces every known secret value in a text (used for log lines and for user-facing error messages). */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

export function createLogger(options: { level?: string; name?: string } = {}, destination?: DestinationStream): Logger {
  const opts: LoggerOptions = {
    name: options.name ?? 'ledgerline',
    level: options.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    hooks: { streamWrite: (line) => scrubSecrets(line) },
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(opts, destination) : pino(opts);
}

export type { Logger };
