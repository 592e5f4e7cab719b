// The console's JSON API and static files straight over HTTPS (Node's TLS, the federation CA
// checked): who is refused with which status, the console header and Origin checks (CSRF), the
// response headers (CSP, no-store), the ID-card sign-in, TLS 1.3 only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import fs from 'node:fs';
import { CSP_DIRECTIVES, SCALE } from './harness.mjs';
import { startSeeded, TARTU, KAMBJA, ELVA, RASMUS, MIA, IVO, PERSONAL, isikukood } from './seed.mjs';

let s;
let fed;
before(async () => { s = await startSeeded(); fed = s.fed; }, { timeout: 180000 * SCALE });
after(async () => { if (fed) await fed.stop(); });

function parseCsp(value) {
  assert.ok(value, 'no Content-Security-Policy header');
  const out = {};
  for (const part of value.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out[name.toLowerCase()] = sources;
  }
  return out;
}

function assertStrictCsp(headers, what) {
  const csp = parseCsp(headers['content-security-policy']);
  for (const [directive, sources] of Object.entries(CSP_DIRECTIVES)) {
    assert.deepEqual((csp[directive] || []).slice().sort(), sources.slice().sort(),
      `${what}: CSP ${directive} is ${JSON.stringify(csp[directive])}, want ${sources.join(' ')}`);
  }
  for (const [directive, sources] of Object.entries(csp)) {
    for (const src of sources) {
      assert.ok(!/unsafe-|\*|^https?:|^http:/.test(src), `${what}: CSP ${directive} allows ${src}`);
    }
  }
}

function assertNoStore(res, what) {
  assert.match(res.headers['cache-control'] || '', /no-store/, `${what}: Cache-Control is ${res.headers['cache-control']}`);
}

function assertError(res, status, code, what) {
  assert.equal(res.status, status, `${what}: status ${res.status}, body ${res.text}`);
  assert.ok(res.json, `${what}: the error body is not JSON: ${res.text}`);
  assert.equal(res.json.code, code, `${what}: ${res.text}`);
  assert.equal(typeof res.json.message, 'string', `${what}: ${res.text}`);
}

test('the console page and its files are served with a strict CSP and no inline script or style', async () => {
  const tiina = await fed.person(TARTU, 'tiina');
  const index = await fed.api(TARTU, tiina, '/', {}, { get: true });
  assert.equal(index.status, 200, index.text);
  assert.match(index.headers['content-type'] || '', /text\/html/);
  assertStrictCsp(index.headers, 'GET /');
  assert.equal(index.headers['x-content-type-options'], 'nosniff');
  assert.equal(index.headers['referrer-policy'], 'no-referrer', 'no address leaks to another site');
  const html = index.text;
  assert.match(html, /<html[^>]*\slang="?et/i, 'the page is Estonian first');
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    assert.match(m[1], /\ssrc=/, `inline script in index.html: ${m[0].slice(0, 80)}`);
    assert.equal(m[2].trim(), '', 'a script element with a body');
    assert.doesNotMatch(m[1], /src="?(https?:)?\/\//, `script from another origin: ${m[1]}`);
  }
  assert.doesNotMatch(html, /<style\b/i, 'inline <style> in index.html');
  assert.doesNotMatch(html, /\sstyle=/i, 'a style="" attribute in index.html');
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'an inline event handler in index.html');
  // Every script and stylesheet the page loads is served from the same origin with the CSP.
  const refs = [...html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  assert.ok(refs.length >= 2, `index.html loads ${refs.join(', ')}`);
  for (const ref of refs) {
    assert.ok(!/^(https?:)?\/\//.test(ref), `a file from another origin: ${ref}`);
    const file = await fed.api(TARTU, null, '/' + ref.replace(/^\.?\//, ''), {}, { get: true });
    assert.equal(file.status, 200, `GET ${ref}: ${file.status}`);
    assertStrictCsp(file.headers, `GET ${ref}`);
    assert.doesNotMatch(file.text, /\beval\(|new Function\(/, `${ref} uses eval or new Function`);
  }
});

test('GET /api/reference: municipalities and code lists without a certificate, no personal data', async () => {
  const r = await fed.api(TARTU, null, '/api/reference', {}, { get: true });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.thisMunicipality, TARTU);
  const kambja = r.json.municipalities.find((m) => m.code === KAMBJA);
  assert.equal(kambja && kambja.name, 'Kambja vald');
  assert.ok(r.json.codes && r.json.codes.needAreas.some((c) => c.code === 'reading' && c.et && c.en), r.text.slice(0, 300));
  for (const p of PERSONAL) assert.ok(!r.text.includes(p), `/api/reference contains ${p}`);
});

test('WhoAmI with a staff certificate; no-store and the CSP on the API; proto3 JSON names', async () => {
  const tiina = await fed.person(TARTU, 'tiina');
  const r = await fed.api(TARTU, tiina, 'hop.v1.Admin/WhoAmI', {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.kind, 'staff');
  assert.equal(r.json.name, 'tiina');
  assert.equal(r.json.municipality, TARTU);
  assert.equal(r.json.role, 'ROLE_CASE_MANAGER');
  assert.match(r.json.spiffeId, /\/municipality\/0793\/staff\/tiina$/);
  assertNoStore(r, 'WhoAmI');
  assert.match(r.headers['content-type'] || '', /application\/json/);
  assertStrictCsp(r.headers, 'POST WhoAmI');
  const c = await fed.api(TARTU, tiina, 'hop.v1.CaseWork/GetCase', { caseId: s.caseRasmus });
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.id, s.caseRasmus);
  assert.equal(c.json.stage, 'STAGE_III', 'enums by name');
  assert.equal(typeof c.json.createdAt, 'string', `int64 as a string: ${JSON.stringify(c.json.createdAt)}`);
  assertNoStore(c, 'GetCase');
});

test('without a client certificate every API call answers 401 (and no-store); the page still loads', async () => {
  for (const method of ['hop.v1.Admin/WhoAmI', 'hop.v1.CaseWork/ListCases', 'hop.v1.CaseWork/Lookup']) {
    const r = await fed.api(TARTU, null, method, {});
    assertError(r, 401, 'UNAUTHENTICATED', `${method} without a certificate`);
    assertNoStore(r, `${method} without a certificate`);
    for (const p of PERSONAL) assert.ok(!r.text.includes(p));
  }
  const index = await fed.api(TARTU, null, '/', {}, { get: true });
  assert.equal(index.status, 200);
});

test('a request without the X-Hop-Client header is refused (403) and nothing runs', async () => {
  const tiina = await fed.person(TARTU, 'tiina');
  const before = await fed.api(TARTU, tiina, 'hop.v1.CaseWork/GetCase', { caseId: s.caseOskar });
  assert.equal(before.status, 200, before.text);
  const notes = (before.json.notes || []).length;
  const r = await fed.api(TARTU, tiina, 'hop.v1.CaseWork/AddNote',
    { caseId: s.caseOskar, text: 'written without the console header' }, { hopClient: null });
  assertError(r, 403, 'PERMISSION_DENIED', 'AddNote without X-Hop-Client');
  assertNoStore(r, 'refused request');
  const empty = await fed.api(TARTU, tiina, 'hop.v1.CaseWork/AddNote',
    { caseId: s.caseOskar, text: 'written with an empty console header' }, { hopClient: '' });
  assert.equal(empty.status, 403, `an empty X-Hop-Client: ${empty.status} ${empty.text}`);
  const who = await fed.api(TARTU, tiina, 'hop.v1.Admin/WhoAmI', {}, { hopClient: null });
  assert.equal(who.status, 403, `WhoAmI without X-Hop-Client: ${who.status}`);
  const after = await fed.api(TARTU, tiina, 'hop.v1.CaseWork/GetCase', { caseId: s.caseOskar });
  assert.equal((after.json.notes || []).length, notes, 'a refused request added a note');
});

test('a request a cross-site form could send (text/plain, a GET) is refused and nothing runs', async () => {
  const tiina = await fed.person(TARTU, 'tiina');
  const before = await fed.api(TARTU, tiina, 'hop.v1.CaseWork/GetCase', { caseId: s.caseOskar });
  const notes = (before.json.notes || []).length;
  const body = JSON.stringify({ caseId: s.caseOskar, text: 'a form post' });
  const plain = await fed.api(TARTU, tiina, 'hop.v1.CaseWork/AddNote', {},
    { rawBody: body, headers: { 'Content-Type': 'text/plain' } });
  assertError(plain, 403, 'PERMISSION_DENIED', 'AddNote as text/plain');
  const get = await fed.api(TARTU, tiina, '/api/hop.v1.Admin/WhoAmI', {}, { get: true });
  assert.ok(get.status === 403 || get.status === 405, `GET on the API: ${get.status} ${get.text}`);
  const after = await fed.api(TARTU, tiina, 'hop.v1.CaseWork/GetCase', { caseId: s.caseOskar });
  assert.equal((after.json.notes || []).length, notes, 'a refused request added a note');
});

test('a request from a foreign Origin is refused (403) and nothing runs; the console\'s own Origin is not', async () => {
  const tiina = await fed.person(TARTU, 'tiina');
  const before = await fed.api(TARTU, tiina, 'hop.v1.CaseWork/GetCase', { caseId: s.caseOskar });
  const notes = (before.json.notes || []).length;
  for (const origin of ['https://evil.example', 'null', `https://127.0.0.1:${fed.nodes[KAMBJA].consolePort}`,
    `http://127.0.0.1:${fed.nodes[TARTU].consolePort}`]) {
    const r = await fed.api(TARTU, tiina, 'hop.v1.CaseWork/AddNote',
      { caseId: s.caseOskar, text: 'cross-site' }, { headers: { Origin: origin } });
    assertError(r, 403, 'PERMISSION_DENIED', `AddNote from Origin ${origin}`);
  }
  const after = await fed.api(TARTU, tiina, 'hop.v1.CaseWork/GetCase', { caseId: s.caseOskar });
  assert.equal((after.json.notes || []).length, notes, 'a cross-origin request added a note');
  const own = await fed.api(TARTU, tiina, 'hop.v1.Admin/WhoAmI', {}, { headers: { Origin: fed.origin(TARTU) } });
  assert.equal(own.status, 200, `the console's own Origin: ${own.status} ${own.text}`);
});

test('a teacher cannot open another institution\'s case: 403 with the reason; her own stage I case opens', async () => {
  const mari = await fed.person(TARTU, 'mari');
  const other = await fed.api(TARTU, mari, 'hop.v1.CaseWork/GetCase', { caseId: s.caseMia });
  assertError(other, 403, 'PERMISSION_DENIED', 'teacher GetCase of another school');
  assert.match(other.json.message, /another institution/);
  assert.ok(!other.text.includes(MIA.name) && !other.text.includes(MIA.id), 'the refusal names the child');
  const own = await fed.api(TARTU, mari, 'hop.v1.CaseWork/GetCase', { caseId: s.caseOskar });
  assert.equal(own.status, 200, own.text);
  const list = await fed.api(TARTU, mari, 'hop.v1.CaseWork/ListCases', {});
  assert.equal(list.status, 200, list.text);
  assert.ok(!list.text.includes(s.caseMia), 'the teacher\'s case list shows another school\'s case');
});

test('a network leader gets counts and no personal data', async () => {
  const leena = await fed.person(TARTU, 'leena');
  const counts = await fed.api(TARTU, leena, 'hop.v1.CaseWork/CountCases', {});
  assert.equal(counts.status, 200, counts.text);
  // Three cases: every cell and the total are under 5, so all are suppressed (issue 13).
  assert.equal(counts.json.total, '0', `a total of 3 is suppressed: ${counts.text}`);
  assert.ok(counts.json.counts.length > 0 && counts.json.counts.every((c) => c.suppressed && c.count === '0'),
    `every cell under 5 is suppressed: ${counts.text}`);
  for (const p of [...PERSONAL, s.caseRasmus, s.caseMia, s.caseOskar]) {
    assert.ok(!counts.text.includes(p), `CountCases shows ${p}`);
  }
  for (const [method, body] of [['hop.v1.CaseWork/ListCases', {}], ['hop.v1.CaseWork/GetCase', { caseId: s.caseRasmus }],
    ['hop.v1.CaseWork/Lookup', { childIsikukood: RASMUS.id, purpose: 'curious' }]]) {
    const r = await fed.api(TARTU, leena, method, body);
    assertError(r, 403, 'PERMISSION_DENIED', `network leader ${method}`);
  }
});

test('an ID-card-shaped certificate from the trusted TEST CA signs in as its mapped user', async () => {
  const card = await fed.idCard(IVO.id, IVO.surname, IVO.given);
  const who = await fed.api(KAMBJA, card, 'hop.v1.Admin/WhoAmI', {});
  assert.equal(who.status, 200, who.text);
  assert.equal(who.json.kind, 'staff');
  assert.equal(who.json.name, IVO.user);
  assert.equal(who.json.municipality, KAMBJA);
  assert.equal(who.json.role, 'ROLE_CASE_MANAGER');
  // ... and works as that user: Kambja's case manager looks Rasmus up.
  const look = await fed.api(KAMBJA, card, 'hop.v1.CaseWork/Lookup', { childIsikukood: RASMUS.id, purpose: 'speech therapy in Kambja' });
  assert.equal(look.status, 200, look.text);
  assert.ok((look.json.held || []).some((h) => h.summary.origin === TARTU), `held from Tartu linn: ${look.text}`);
  // A card whose holder no node registered signs in as nobody.
  const stranger = await fed.idCard(isikukood('4900101123'), 'Võõras', 'Vilma');
  const r = await fed.api(KAMBJA, stranger, 'hop.v1.Admin/WhoAmI', {});
  assert.ok(r.status === 401 || r.status === 403, `an unregistered ID card: ${r.status} ${r.text}`);
  const l = await fed.api(KAMBJA, stranger, 'hop.v1.CaseWork/Lookup', { childIsikukood: RASMUS.id, purpose: 'x' });
  assert.ok(l.status === 401 || l.status === 403, `an unregistered ID card looks up: ${l.status}`);
  // The same card at a node where no user has that isikukood: not Ivo there.
  const elsewhere = await fed.api(ELVA, card, 'hop.v1.CaseWork/Lookup', { childIsikukood: RASMUS.id, purpose: 'x' });
  assert.ok(elsewhere.status === 401 || elsewhere.status === 403, `Ivo's card at Elva: ${elsewhere.status}`);
});

test('an ID-card-shaped certificate is not a federation identity: refused on the staff API port', async () => {
  const card = await fed.idCard(IVO.id, IVO.surname, IVO.given);
  const r = await fed.hopctlWithCert(KAMBJA, card, ['whoami']);
  assert.notEqual(r.code, 0, `hopctl whoami with an ID card on the gRPC port: ${r.out}`);
});

test('the console port speaks TLS 1.3 only', async () => {
  const port = fed.nodes[TARTU].consolePort;
  const outcome = await new Promise((resolve) => {
    const sock = tls.connect({ host: '127.0.0.1', port, maxVersion: 'TLSv1.2', ca: fs.readFileSync(fed.caPem) });
    sock.once('secureConnect', () => { sock.destroy(); resolve('connected'); });
    sock.once('error', (e) => resolve(String(e.code || e.message)));
  });
  assert.notEqual(outcome, 'connected', 'a TLS 1.2 handshake succeeded');
  const ok = await new Promise((resolve) => {
    const sock = tls.connect({ host: '127.0.0.1', port, minVersion: 'TLSv1.3', ca: fs.readFileSync(fed.caPem) });
    sock.once('secureConnect', () => { const v = sock.getProtocol(); sock.destroy(); resolve(v); });
    sock.once('error', (e) => resolve(String(e.code || e.message)));
  });
  assert.equal(ok, 'TLSv1.3');
});

test('errors carry the gRPC code and the server\'s message with the field path', async () => {
  const tiina = await fed.person(TARTU, 'tiina');
  const bad = await fed.api(TARTU, tiina, 'hop.v1.CaseWork/Lookup', { childIsikukood: '123', purpose: 'x' });
  assertError(bad, 400, 'INVALID_ARGUMENT', 'a short isikukood');
  assert.match(bad.json.message, /^child_isikukood: /);
  const unknown = await fed.api(TARTU, tiina, 'hop.v1.CaseWork/GetCase', { caseId: s.caseRasmus, frob: 1 });
  assertError(unknown, 400, 'INVALID_ARGUMENT', 'an unknown field');
  const missing = await fed.api(TARTU, tiina, 'hop.v1.CaseWork/GetCase', { caseId: '0793-C999999' });
  assertError(missing, 404, 'NOT_FOUND', 'no such case');
  const noMethod = await fed.api(TARTU, tiina, 'hop.v1.CaseWork/Frobnicate', {});
  assert.ok(noMethod.status === 404 || noMethod.status === 400, `an unknown method: ${noMethod.status}`);
  assert.ok(!String(noMethod.status).startsWith('2'));
  const fedMethod = await fed.api(TARTU, tiina, 'hop.v1.Federation/Pull', {});
  assert.ok(fedMethod.status >= 400 && fedMethod.status < 500, `Federation over the console: ${fedMethod.status}`);
});
