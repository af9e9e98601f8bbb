/**
 * Shared helpers for the Ledgerline components: error reduction (the lwc-recipes ldsUtils idea),
 * label formatting, the record URL of a Process Log, and a tiny "export run finished" channel so the
 * Process Log viewer can refresh when the export component sees a run end, wherever the two sit on
 * the Lightning page.
 */

/**
 * Reduces one or more errors (Apex/AuraHandledException, UI API, network or plain JS errors)
 * into a list of messages.
 * @param {Object|Object[]} errors
 * @return {String[]} the error messages, empty strings removed
 */
export function reduceErrors(errors) {
  const list = Array.isArray(errors) ? errors : [errors];
  return list
    .filter((error) => !!error)
    .map((error) => {
      if (typeof error === 'string') {
        return error;
      }
      const body = error.body;
      // UI API read errors
      if (Array.isArray(body)) {
        return body.map((e) => e && e.message);
      }
      if (body && typeof body === 'object') {
        // UI API DML: page-level and field-level errors
        const output = body.output;
        if (output) {
          const messages = [];
          (output.errors || []).forEach((e) => messages.push(e.message));
          Object.values(output.fieldErrors || {}).forEach((fieldErrors) => fieldErrors.forEach((e) => messages.push(e.message)));
          if (messages.length > 0) {
            return messages;
          }
        }
        // Apex (AuraHandledException), UI API DML and network errors
        if (typeof body.message === 'string') {
          return body.message;
        }
        // Page errors from some Apex failures
        if (Array.isArray(body.pageErrors) && body.pageErrors.length > 0) {
          return body.pageErrors.map((e) => e.message);
        }
        // The Ledgerline service's own error shape
        if (body.error && typeof body.error.message === 'string') {
          return body.error.message;
        }
      }
      // JS errors
      if (typeof error.message === 'string') {
        return error.message;
      }
      // Unknown shape: fall back to the HTTP status text
      return error.statusText;
    })
    .reduce((all, messages) => all.concat(messages), [])
    .filter((message) => !!message);
}

/**
 * Replaces {0}, {1}, … in a Custom Label with the given values.
 * @param {String} template the label text
 * @param {...*} values the values to insert
 * @return {String}
 */
export function formatLabel(template, ...values) {
  return String(template).replace(/\{(\d+)\}/g, (placeholder, index) => {
    const value = values[Number(index)];
    return value === undefined || value === null ? placeholder : String(value);
  });
}

/**
 * The Lightning Experience URL of a Process Log record.
 * @param {String} processLogId a Process_Log__c record id
 * @return {String|null}
 */
export function processLogUrl(processLogId) {
  return processLogId ? `/lightning/r/Process_Log__c/${encodeURIComponent(processLogId)}/view` : null;
}

const runFinishedListeners = new Set();

/**
 * Calls back whenever an export run (or dry run) finishes on this page.
 * @param {Function} callback receives the finished run status
 * @return {Function} call it to unsubscribe
 */
export function subscribeToRunFinished(callback) {
  runFinishedListeners.add(callback);
  return () => runFinishedListeners.delete(callback);
}

/**
 * Tells every subscriber that a run finished.
 * @param {Object} run the final run status returned by getRunStatus
 */
export function publishRunFinished(run) {
  Array.from(runFinishedListeners).forEach((callback) => {
    try {
      callback(run);
    } catch (e) {
      // One broken subscriber must not stop the others from refreshing.
    }
  });
}
