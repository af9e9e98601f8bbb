/** Intuit's per-realm limits, which the emulator enforces and the service schedules against. */
export const QBO_LIMITS = { perMinute: 500, batchPerMinute: 40, concurrent: 10, perSecond: 10 };
