// The browser tests' harness: a throwaway federation of real hopd processes of Tartu County on
// loopback, peered over mTLS, each serving the staff console (console_listen) with the built
// console (client/console/dist) and trusting a TEST ID-card CA (console.id_card_ca_files);
// staff and ID-card certificates made by certs/hop-pki; hopctl to seed users, cases and
// consents; Debian's Chromium driven by playwright-core with client certificates; plain Node
// HTTPS calls to the JSON API (with the federation CA checked) for the refusals and headers.
//
// Environment (ctest sets the first two, see tests/browser/CMakeLists.txt):
//   HOP_BINARY_DIR    the CMake build root: daemon/hopd, client/hopctl, client/console/dist
//   HOP_SOURCE_DIR    the source root: certs/hop-pki
//   HOP_CHROMIUM      the browser (default /usr/bin/chromium, Debian's package chromium)
//   HOP_BROWSER_ARTIFACTS  where screenshots go (default HOP_BINARY_DIR/tests/browser/artifacts)
//   HOP_KEEP_TMP=1    keep the temporary directory (PKI, configs, data, hopd logs) and say where
//   HOP_TIMEOUT_SCALE slower machines (sanitized builds): every wait here is multiplied by it
import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const SCALE = Math.max(1, Number(process.env.HOP_TIMEOUT_SCALE || 1));

function need(name) {
  const v = process.env[name];
  if (!v) {
    throw new Error(`${name} is not set: run through ctest (ctest -L browser in the build ` +
      `directory), or set HOP_BINARY_DIR=<build> HOP_SOURCE_DIR=<source> yourself`);
  }
  return path.resolve(v);
}

export const BIN = need('HOP_BINARY_DIR');
export const SRC = need('HOP_SOURCE_DIR');
export const HOPD = path.join(BIN, 'daemon/hopd');
export const HOPCTL = path.join(BIN, 'client/hopctl');
export const STATIC_DIR = path.join(BIN, 'client/console/dist');
export const HOP_PKI = path.join(SRC, 'certs/hop-pki');
export const CHROMIUM = process.env.HOP_CHROMIUM || '/usr/bin/chromium';
export const ARTIFACTS = path.resolve(process.env.HOP_BROWSER_ARTIFACTS ||
  path.join(BIN, 'tests/browser/artifacts'));
export const AXE_JS = path.join(path.dirname(new URL(import.meta.url).pathname),
  'node_modules/axe-core/axe.min.js');

// The strict policy every console response carries (the brief of issue 12).
export const CSP_DIRECTIVES = {
  'default-src': ["'none'"], 'script-src': ["'self'"], 'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'], 'connect-src': ["'self'"], 'font-src': ["'self'"],
  'base-uri': ["'none'"], 'form-action': ["'none'"], 'frame-ancestors': ["'none'"],
};

export const MUNI_NAME = {
  '0793': 'Tartu linn', '0171': 'Elva vald', '0283': 'Kambja vald', '0291': 'Kastre vald',
  '0432': 'Luunja vald', '0528': 'Nõo vald', '0586': 'Peipsiääre vald', '0796': 'Tartu vald',
};

// The local date `days` from today as YYYY-MM-DD (hopctl's --until).
export function dateFromToday(days) {
  const d = new Date(Date.now() + days * 86400000);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

// Runs a program; resolves {code, out, err} (never rejects for a non-zero exit).
export function run(file, args, { timeoutMs = 60000 * SCALE, env } = {}) {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 64 << 20, env: { ...process.env, ...env } },
      (error, out, err) => {
        let code = 0;
        if (error) code = typeof error.code === 'number' ? error.code : (error.killed ? 124 : 1);
        resolve({ code, out: String(out), err: String(err) });
      });
  });
}

async function mustRun(file, args, what) {
  const r = await run(file, args);
  if (r.code !== 0) {
    throw new Error(`${what}: ${path.basename(file)} ${args.join(' ')} exited ${r.code}\n` +
      `stdout: ${r.out}\nstderr: ${r.err}`);
  }
  return r.out;
}

// n distinct TCP ports of 127.0.0.1 that were free a moment ago (all held until all are picked).
export async function freePorts(n) {
  const servers = [];
  const ports = [];
  for (let i = 0; i < n; i++) {
    const s = net.createServer();
    await new Promise((res, rej) => { s.once('error', rej); s.listen(0, '127.0.0.1', res); });
    servers.push(s);
    ports.push(s.address().port);
  }
  await Promise.all(servers.map((s) => new Promise((res) => s.close(res))));
  return ports;
}

function canConnect(port) {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.once('connect', () => { sock.destroy(); resolve(true); });
    sock.once('error', () => resolve(false));
  });
}

// Every hopd started by any Federation of this process, killed if the process exits early.
const LIVE = new Set();
process.on('exit', () => { for (const p of LIVE) { try { p.kill('SIGKILL'); } catch { /* gone */ } } });
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => { for (const p of LIVE) { try { p.kill('SIGKILL'); } catch { /* gone */ } } process.exit(130); });
}

// One staff identity: the node it belongs to, its user id, certificate and key paths.
export class Person {
  constructor(node, user, certPath, keyPath, p12Path, p12Password) {
    Object.assign(this, { node, user, certPath, keyPath, p12Path, p12Password });
  }
}

export class Federation {
  // codes: EHAK codes of the nodes (all peers of each other).
  constructor(codes) {
    this.codes = codes;
    this.nodes = {};      // code -> {code, dir, config, log, apiPort, fedPort, metricsPort, consolePort, proc}
    this.people = {};     // "code/user" -> Person
    this.idCards = {};    // isikukood -> {certPath, keyPath}
    this.tmp = '';
    this.pki = '';
    this.idCa = '';
  }

  // Makes the PKI, writes the configs and starts every node; waits until each console listens.
  async start() {
    for (const [what, p] of [['hopd', HOPD], ['hopctl', HOPCTL]]) {
      if (!fs.existsSync(p)) throw new Error(`${what} not built: ${p} (cmake --build ... --target hopd hopctl)`);
    }
    if (!fs.existsSync(path.join(STATIC_DIR, 'index.html'))) {
      throw new Error(`the console is not built: ${STATIC_DIR}/index.html (cmake --build ... --target console)`);
    }
    this.tmp = await fsp.mkdtemp(path.join(process.env.TMPDIR || os.tmpdir(), 'hop-browser-'));
    this.pki = path.join(this.tmp, 'pki');
    this.idCa = path.join(this.tmp, 'test-id-ca');
    await this.pkiRun(['init', this.pki]);
    await this.pkiRun(['test-id-ca', this.idCa]);
    const ports = await freePorts(4 * this.codes.length);
    this.codes.forEach((code, i) => {
      const dir = path.join(this.tmp, code);
      this.nodes[code] = {
        code, dir, config: path.join(dir, 'hop.textproto'), log: path.join(dir, 'hopd.log'),
        apiPort: ports[4 * i], fedPort: ports[4 * i + 1], metricsPort: ports[4 * i + 2],
        consolePort: ports[4 * i + 3], proc: null,
      };
    });
    await Promise.all(this.codes.map(async (code) => {
      const n = this.nodes[code];
      await fsp.mkdir(path.join(n.dir, 'data'), { recursive: true, mode: 0o700 });
      await this.pkiRun(['node', this.pki, code, '--dns', 'localhost', '--ip', '127.0.0.1']);
      await fsp.writeFile(n.config, this.configText(code), { mode: 0o600 });
      await this.person(code, 'admin');
    }));
    await Promise.all(this.codes.map((code) => this.startNode(code)));
    return this;
  }

  configText(code) {
    const n = this.nodes[code];
    const q = (s) => JSON.stringify(s);
    const lines = [
      `# Written by tests/browser/harness.mjs`,
      `municipality: ${q(code)}`,
      `data_dir: ${q(path.join(n.dir, 'data'))}`,
      `api_listen: "127.0.0.1:${n.apiPort}"`,
      `federation_listen: "127.0.0.1:${n.fedPort}"`,
      `metrics_listen: "127.0.0.1:${n.metricsPort}"`,
      `console_listen: "127.0.0.1:${n.consolePort}"`,
      `tls { ca_cert: ${q(this.caPem)} cert: ${q(path.join(this.pki, 'nodes', code, 'node.pem'))}` +
        ` key: ${q(path.join(this.pki, 'nodes', code, 'node.key'))} crl: ${q(this.crlPem)} }`,
      `console { static_dir: ${q(STATIC_DIR)} id_card_ca_files: ${q(path.join(this.idCa, 'ca.pem'))} }`,
      `bootstrap_admins: "admin"`,
    ];
    for (const other of this.codes) {
      if (other !== code) {
        lines.push(`peers { municipality: ${q(other)} address: "127.0.0.1:${this.nodes[other].fedPort}" }`);
      }
    }
    return lines.join('\n') + '\n';
  }

  get caPem() { return path.join(this.pki, 'ca', 'ca.pem'); }
  get crlPem() { return path.join(this.pki, 'ca', 'crl.pem'); }
  get idCaPem() { return path.join(this.idCa, 'ca.pem'); }

  pkiRun(args) { return mustRun('bash', [HOP_PKI, ...args], 'hop-pki'); }

  async startNode(code) {
    const n = this.nodes[code];
    const out = fs.openSync(n.log, 'a');
    const proc = spawn(HOPD, ['--config', n.config], { stdio: ['ignore', out, out] });
    fs.closeSync(out);
    n.proc = proc;
    LIVE.add(proc);
    let exited = null;
    proc.once('exit', (c, s) => { exited = s || c; LIVE.delete(proc); });
    const deadline = Date.now() + 30000 * SCALE;
    for (;;) {
      if (exited !== null) {
        throw new Error(`hopd ${code} exited (${exited}) at start; the end of ${n.log}:\n${this.logTail(code)}`);
      }
      if (await canConnect(n.consolePort) && await canConnect(n.apiPort)) return;
      if (Date.now() > deadline) {
        throw new Error(`hopd ${code} does not listen on its console port ${n.consolePort} after 30 s;` +
          ` the end of ${n.log}:\n${this.logTail(code)}`);
      }
      await sleep(100);
    }
  }

  logTail(code, lines = 30) {
    try {
      return fs.readFileSync(this.nodes[code].log, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  // Stops every node (SIGTERM, then SIGKILL after 10 s) and removes the temporary directory
  // unless HOP_KEEP_TMP=1.
  async stop() {
    await Promise.all(Object.values(this.nodes).map(async (n) => {
      const p = n.proc;
      if (!p || p.exitCode !== null || p.signalCode !== null) return;
      const gone = new Promise((res) => p.once('exit', res));
      p.kill('SIGTERM');
      const t = setTimeout(() => p.kill('SIGKILL'), 10000);
      await gone;
      clearTimeout(t);
    }));
    if (!this.tmp) return;
    if (process.env.HOP_KEEP_TMP === '1') {
      console.log(`# HOP_KEEP_TMP=1: kept ${this.tmp} (PKI, configs, data, hopd logs)`);
    } else {
      await fsp.rm(this.tmp, { recursive: true, force: true });
    }
  }

  url(code, route = '') { return `https://127.0.0.1:${this.nodes[code].consolePort}/${route ? '#/' + route : ''}`; }
  origin(code) { return `https://127.0.0.1:${this.nodes[code].consolePort}`; }

  // The staff certificate of `user` at `code` (issued on first use, with a .p12).
  async person(code, user) {
    const k = `${code}/${user}`;
    if (this.people[k]) return this.people[k];
    await this.pkiRun(['staff', this.pki, code, user]);
    const dir = path.join(this.pki, 'staff', code, user);
    const password = `test-${user}`;
    await this.pkiRun(['p12', this.pki, 'staff', code, user, '--password', password]);
    this.people[k] = new Person(code, user, path.join(dir, 'staff.pem'), path.join(dir, 'staff.key'),
      path.join(dir, 'staff.p12'), password);
    return this.people[k];
  }

  // An ops certificate `name` of `code` (node state only, no personal data).
  async ops(code, name) {
    const k = `${code}/ops:${name}`;
    if (this.people[k]) return this.people[k];
    await this.pkiRun(['ops', this.pki, code, name]);
    const dir = path.join(this.pki, 'ops', code, name);
    this.people[k] = new Person(code, name, path.join(dir, 'ops.pem'), path.join(dir, 'ops.key'), '', '');
    return this.people[k];
  }

  // A TEST ID-card certificate for `isikukood` from the test CA.
  async idCard(isikukood, surname, given) {
    if (this.idCards[isikukood]) return this.idCards[isikukood];
    await this.pkiRun(['test-id-card', this.idCa, isikukood, '--surname', surname, '--given', given]);
    const dir = path.join(this.idCa, 'cards', isikukood);
    this.idCards[isikukood] = { certPath: path.join(dir, 'auth.pem'), keyPath: path.join(dir, 'auth.key') };
    return this.idCards[isikukood];
  }

  // hopctl as `user` of node `code`; resolves {code, out, err}.
  async hopctl(code, user, args) {
    const p = await this.person(code, user);
    const n = this.nodes[code];
    return run(HOPCTL, ['--server', `127.0.0.1:${n.apiPort}`, '--ca', this.caPem, '--crl', this.crlPem,
      '--cert', p.certPath, '--key', p.keyPath, '--timeout', String(20 * SCALE), ...args]);
  }

  // hopctl with any certificate ({certPath, keyPath}) against node `code`'s staff API.
  hopctlWithCert(code, cert, args) {
    const n = this.nodes[code];
    return run(HOPCTL, ['--server', `127.0.0.1:${n.apiPort}`, '--ca', this.caPem, '--crl', this.crlPem,
      '--cert', cert.certPath, '--key', cert.keyPath, '--timeout', String(20 * SCALE), ...args]);
  }

  // hopctl that must succeed; its stdout (parsed when `json`).
  async ok(code, user, args, { json = false } = {}) {
    const r = await this.hopctl(code, user, json ? ['--json', ...args] : args);
    if (r.code !== 0) {
      throw new Error(`hopctl ${args.join(' ')} as ${user} at ${code} exited ${r.code}\n` +
        `stdout: ${r.out}\nstderr: ${r.err}\nthe end of the node's log:\n${this.logTail(code, 10)}`);
    }
    return json ? JSON.parse(r.out) : r.out;
  }

  // Pulls now at `code` from every peer (or `peer`), as its admin.
  async sync(code, peer) {
    return this.ok(code, 'admin', peer ? ['sync', '--peer', peer] : ['sync'], { json: true });
  }

  // POST /api/<method> (or GET when `get`) straight over HTTPS with the federation CA checked.
  // who: a Person, an {certPath, keyPath} or null (no client certificate). Resolves
  // {status, headers, text, json}.
  api(code, who, method, body = {}, { headers = {}, get = false, hopClient = 'console', rawBody } = {}) {
    const n = this.nodes[code];
    const h = { ...headers };
    const payload = get ? null : (rawBody !== undefined ? rawBody : JSON.stringify(body));
    if (!get) {
      if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
      if (hopClient !== null) h['X-Hop-Client'] = hopClient;
      h['Content-Length'] = Buffer.byteLength(payload);
    }
    const opts = {
      host: '127.0.0.1', port: n.consolePort, method: get ? 'GET' : 'POST',
      path: method.startsWith('/') ? method : `/api/${method}`, headers: h,
      ca: fs.readFileSync(this.caPem), minVersion: 'TLSv1.3', agent: false,
    };
    if (who) {
      opts.cert = fs.readFileSync(who.certPath);
      opts.key = fs.readFileSync(who.keyPath);
    }
    return new Promise((resolve, reject) => {
      const req = https.request(opts, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json = null;
          try { json = JSON.parse(text); } catch { /* not JSON */ }
          resolve({ status: res.statusCode, headers: res.headers, text, json });
        });
      });
      req.setTimeout(30000 * SCALE, () => req.destroy(new Error(`${method}: no answer in 30 s`)));
      req.on('error', reject);
      if (payload !== null) req.write(payload);
      req.end();
    });
  }

  // A browser context signed in with `who`'s certificate (a Person or an ID card) at `code`'s
  // console; null: no certificate. Estonian unless told.
  // pfx: sign in with the person's PKCS#12 file (hop-pki p12), as a browser imports it.
  async context(browser, code, who, { locale = 'et-EE', bypassCSP = false, pfx = false } = {}) {
    const options = {
      // The console's TLS is terminated by playwright-core's client-certificate proxy, which
      // shows the browser its own certificate: the federation CA is checked by api() instead.
      ignoreHTTPSErrors: true,
      locale,
      viewport: { width: 1280, height: 900 },
      bypassCSP,
    };
    if (who && pfx) {
      options.clientCertificates = [{ origin: this.origin(code), pfxPath: who.p12Path, passphrase: who.p12Password }];
    } else if (who) {
      options.clientCertificates = [{ origin: this.origin(code), certPath: who.certPath, keyPath: who.keyPath }];
    }
    return browser.newContext(options);
  }
}

// Loads the console at `route` and waits until the shell has asked WhoAmI and rendered a page.
export async function openConsole(page, fed, code, route = '') {
  await page.goto(fed.url(code, route));
  await page.waitForSelector('main[data-page]', { timeout: 20000 * SCALE });
  // Let the first data calls settle (no spinner left).
  await page.waitForLoadState('networkidle', { timeout: 20000 * SCALE }).catch(() => {});
}

// Runs axe-core on the page (its source evaluated through the DevTools protocol, which the
// page's CSP does not apply to) and returns the serious and critical violations.
let axeSource = null;
export async function axeViolations(page) {
  if (!axeSource) axeSource = await fsp.readFile(AXE_JS, 'utf8');
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!hasAxe) await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function describeViolations(vs) {
  return vs.map((v) => `${v.impact} ${v.id}: ${v.help}\n` +
    v.nodes.map((n) => `    at ${n.target}: ${(n.summary || '').replace(/\n/g, ' ')}`).join('\n')).join('\n');
}

// Saves a full-page screenshot as ARTIFACTS/<name>.png and prints its path.
export async function screenshot(page, name) {
  await fsp.mkdir(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`# screenshot: ${file}`);
  return file;
}

// Launches Debian's Chromium headless through playwright-core.
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`no browser at ${CHROMIUM}: install Debian's chromium (deploy/install-deps.sh) or set HOP_CHROMIUM`);
  }
  // --lang: the browser's own widgets (date inputs) in Estonian, as on a municipal desktop.
  return chromium.launch({
    executablePath: CHROMIUM, headless: true, args: ['--disable-gpu', '--disable-dev-shm-usage', '--lang=et'],
  });
}
