// The browser half of imperative Apex in the local org: @salesforce/apex/Class.method imports become
// callApex('Class', 'method', params), which posts the parameters to the org (web/serve.ts) and resolves with the
// method's answer — or rejects the way an imperative Apex call does: { body: { message }, ok: false, status }.
function apexError(message, status, statusText) {
  return { body: { message }, ok: false, status, statusText };
}

export async function callApex(className, method, params) {
  let res;
  try {
    res = await fetch(`/__org/apex/${encodeURIComponent(className)}/${encodeURIComponent(method)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(params || {}),
      credentials: 'same-origin',
    });
  } catch (e) {
    throw apexError(`The page lost its connection to Salesforce: ${e && e.message ? e.message : e}`, 0, 'Network Error');
  }
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (res.ok) {
    return json;
  }
  throw apexError((json && json.message) || res.statusText, res.status, res.statusText);
}
