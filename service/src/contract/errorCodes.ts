// Every error code the service answers with — in an error answer (`{ error: { code } }`) or in a run's `error.code`.
// The page, Apex and the OpenAPI document read this one list; LedgerlineError only takes a code from it.

export const ERROR_CODES = [
  // The request
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'TOO_MANY_REQUESTS',
  'INTERNAL',
  'SHUTTING_DOWN',
  // Starting an export
  'EXPORT_RUNNING',
  'TARGET_UNSUPPORTED',
  // The systems on either side
  'SALESFORCE_UNAVAILABLE',
  'QBO_UNAUTHORIZED',
  'QBO_UNAVAILABLE',
  'QBO_REFUSED',
  'QBO_READ_BUDGET',
  'NUMBERING_CHANGED',
  'FIELD_MAPPING_INVALID',
  // How a run ended
  'EXPORT_FAILED',
  'EXPORT_INTERRUPTED',
  'EXPORT_SUPERSEDED',
  'LOCK_LOST',
  'WRITE_BACK_PENDING',
  'PROCESS_LOG_FAILED',
  // QuickBooks status syncs
  'QBO_NOT_CONNECTED',
  'QBO_THROTTLED',
  'STATUS_SYNC_FAILED',
  'STATUS_SYNC_INTERRUPTED',
  // Reconciliation
  'RECONCILIATION_UNAVAILABLE',
  // QuickBooks Desktop (Web Connector)
  'NOT_DESKTOP',
  'NOT_SET_UP',
  'USERNAME_TAKEN',
  'QWC_URL',
  'INVOICE_LOCKED',
  'NOT_PENDING',
  'INVOICE_IN_TRANSIT',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
