// pino, with two layers against leaking secrets (both apply before a line is written, in either format):
// 1. redaction of the fields where secrets live (tokens, client secrets, passwords, Authorization headers);
// 2. a last scrub of every line for secret VALUES the process knows (API keys, live tokens), which also catches
//    a secret that slipped into a message or an error text.
// Lines are JSON with LOG_FORMAT=json (for log collectors), else readable lines through pino-pretty.
import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import pretty from 'pino-pretty';

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

/** The request being served (http/requestId.ts runs each request inside it): its id goes on every log line. */
export const requestScope = new AsyncLocalStorage<{ reqId: string }>();

function requestFields(_merge: object, _level: number, logger: Logger): { reqId?: string } {
  const scope = requestScope.getStore();
  // pino-http's request logger has the id bound already.
  return scope && !('reqId' in logger.bindings()) ? { reqId: scope.reqId } : {};
}

export type LogFormat = 'pretty' | 'json';

/** Readable lines: time, level, message, then the fields; colours only on a terminal. */
function prettyStream(destination?: DestinationStream): DestinationStream {
  return pretty({
    destination: destination ?? 1,
    sync: true,
    colorize: destination === undefined && Boolean(process.stdout.isTTY),
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,name',
    singleLine: true,
  });
}

export function createLogger(options: { level?: string; name?: string; format?: LogFormat } = {}, destination?: DestinationStream): Logger {
  const opts: LoggerOptions = {
    name: options.name ?? 'ledgerline',
    level: options.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    hooks: { streamWrite: (line) => scrubSecrets(line) },
    base: undefined,
    mixin: requestFields,
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (options.format === 'pretty') return pino(opts, prettyStream(destination));
  return destination ? pino(opts, destination) : pino(opts);
}

export type { Logger };
