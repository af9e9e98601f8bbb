/**
 * Shared helpers for the LWC jest tests (one copy instead of one per test file).
 */

// Captured when this module loads, before a test installs fake timers, so flushPromises keeps
// working under jest.useFakeTimers().
const realSetTimeout = globalThis.setTimeout;

/**
 * Resolves after every pending promise callback (Apex mocks, LWC re-renders) has run.
 * @return {Promise<void>}
 */
export function flushPromises() {
  return new Promise((resolve) => realSetTimeout(resolve, 0));
}

/**
 * Removes everything the previous test appended to the (shared) jsdom body.
 */
export function resetDOM() {
  while (document.body.firstChild) {
    document.body.removeChild(document.body.firstChild);
  }
}

/**
 * The error shape imperative Apex rejects with (AuraHandledException message in body.message).
 * @param {String} message
 * @param {Number} [status]
 * @return {Object}
 */
export function apexError(message, status = 500) {
  return {
    body: { message },
    ok: false,
    status,
    statusText: status === 500 ? 'Server Error' : 'Error',
  };
}
