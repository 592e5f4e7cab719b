// The console's only data path: POST /api/<package.Service>/<Method> with the request message
// in protobuf's JSON mapping (lowerCamelCase, enums by name, 64-bit integers as strings), and
// GET /api/reference (municipalities and code lists, no personal data).

// An API refusal. `field` is the leading snake_case path of the server's message
// ("child_id: has 3 characters ..." -> "child_id"), else "".
export class ApiError extends Error {
  constructor(status, code, message, field = '') {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

const STATUS_CODES = {
  400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS', 429: 'RESOURCE_EXHAUSTED', 503: 'UNAVAILABLE', 504: 'DEADLINE_EXCEEDED',
};

const FIELD_RE = /^([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*|\[\d+\])*): /;

// The field path a server message begins with, or "".
export function fieldOf(message) {
  const m = FIELD_RE.exec(message || '');
  return m ? m[1] : '';
}

// Calls `method` ("hop.v1.CaseWork/GetCase") with `body`; resolves the response object or
// throws ApiError.
export async function call(method, body = {}) {
  let res;
  try {
    res = await fetch('/api/' + method, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Hop-Client': 'console' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'NETWORK', String((e && e.message) || e), '');
  }
  let data = null;
  try {
    data = await res.json();
  } catch (e) {
    data = null;
  }
  if (!res.ok) {
    const code = (data && data.code) || STATUS_CODES[res.status] || 'INTERNAL';
    const message = (data && data.message) || res.statusText || String(res.status);
    throw new ApiError(res.status, code, message, fieldOf(message));
  }
  return data || {};
}

let refPromise = null;
let refData = null;

// The node's reference data (cached): {thisMunicipality, municipalities:[{code,name,county}],
// codes:{needAreas,serviceTypes,outcomes,topics}}.
export function reference() {
  if (!refPromise) {
    refPromise = fetch('/api/reference', { credentials: 'same-origin' })
      .then((res) => {
        if (!res.ok) throw new ApiError(res.status, STATUS_CODES[res.status] || 'INTERNAL', res.statusText, '');
        return res.json();
      })
      .then((data) => {
        refData = data || {};
        return refData;
      })
      .catch((e) => {
        refPromise = null;
        throw e;
      });
  }
  return refPromise;
}

// The reference data if already loaded, else null (for synchronous formatting).
export function referenceSync() {
  return refData;
}
