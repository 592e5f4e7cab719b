// Node (ops and admins): status (Admin/GetNodeStatus), certificate and CRL expiry, peers with
// last sync, lag and errors, a plot of records held and sync age per peer, "Sync now"
// (Admin/SyncNow); for admins the user registry (ListUsers, AddUser, RemoveUser).
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api.js';
import { t, fmtDateTime, fmtNumber, muniName, roleName, useLang } from '../i18n.js';
import { ErrorBanner, Loading, Notice } from '../components.jsx';
import { Input, Select } from './p2form.jsx';
import { useMe } from './p2hooks.js';
import { num, fmtDuration, daysUntil, emailOk, phoneOk, principalOk, isikukoodProblem, errorField, errorText, toneStyle } from './p2util.js';
import { BarChart } from './plot.jsx';

// The support specialists (issue 13) work on the cases they are assigned to.
const SPECIALISTS = ['ROLE_SCHOOL_NURSE', 'ROLE_SOCIAL_PEDAGOGUE', 'ROLE_SPECIAL_PEDAGOGUE',
  'ROLE_SPEECH_THERAPIST', 'ROLE_PSYCHOLOGIST'];
const ROLES = ['ROLE_TEACHER', 'ROLE_INSTITUTION_COORDINATOR', 'ROLE_CASE_MANAGER',
  'ROLE_CHILD_PROTECTION', 'ROLE_NETWORK_LEADER', 'ROLE_ADMIN', ...SPECIALISTS];
const NEEDS_INSTITUTION = ['ROLE_TEACHER', 'ROLE_INSTITUTION_COORDINATOR', ...SPECIALISTS];

function bytes(n) {
  if (n < 1024) return t('node.bytes.b', { n: fmtNumber(n) });
  if (n < 1024 * 1024) return t('node.bytes.kb', { n: fmtNumber(Math.round(n / 102.4) / 10) });
  if (n < 1024 * 1024 * 1024) return t('node.bytes.mb', { n: fmtNumber(Math.round(n / 104857.6) / 10) });
  return t('node.bytes.gb', { n: fmtNumber(Math.round(n / 107374182.4) / 10) });
}

// Expiry of a certificate or CRL: tone 'ok', 'warn' (under 30 days), 'bad' (under 7 or past).
function expiry(at, now) {
  if (!at) return { tone: 'none', text: t('node.cert.notStated'), days: null };
  const days = daysUntil(at, now);
  const tone = days < 7 ? 'bad' : days < 30 ? 'warn' : 'ok';
  const text = days < 0 ? t('node.cert.expired', { n: fmtNumber(-days) })
    : days === 0 ? t('node.cert.today') : t('node.cert.days', { n: fmtNumber(days) });
  return { tone, text, days };
}

function lagTone(lag) {
  if (lag === null) return 'bad';
  return lag > 86400 ? 'bad' : lag > 3600 ? 'warn' : 'ok';
}

function Cert({ label, at, now, testid, crl }) {
  const e = expiry(at, now);
  return (
    <tr data-testid={testid} data-tone={e.tone}>
      <th scope="row">{label}</th>
      <td>{at ? fmtDateTime(at) : '–'}</td>
      <td><span style={toneStyle(e.tone)}>{e.text}</span>
        {e.tone === 'warn' && <div style={toneStyle('warn', true)}>{crl ? t('node.crl.warn') : t('node.cert.warn30')}</div>}
        {e.tone === 'bad' && <div style={toneStyle('bad', true)}>{crl ? t('node.crl.bad') : t('node.cert.warn7')}</div>}
      </td>
    </tr>
  );
}

function Status({ s }) {
  const now = num(s.now) || Math.floor(Date.now() / 1000);
  const started = num(s.startedAt);
  const erasurePending = num(s.erasurePendingSince);
  const lastErasure = num(s.lastErasureAt);
  return (
    <>
      <h2>{t('node.status')}</h2>
      <dl class="props" data-testid="node-status">
        <dt>{t('node.municipality')}</dt><dd>{s.municipalityName ? `${s.municipalityName} (${s.municipality})` : muniName(s.municipality)}</dd>
        <dt>{t('node.version')}</dt><dd>{s.version || '–'}</dd>
        <dt>{t('node.epoch')}</dt><dd>{s.epoch || '–'}</dd>
        <dt>{t('node.started')}</dt><dd>{started ? fmtDateTime(started) : '–'}{started ? <div class="hint">{t('node.uptime', { d: fmtDuration(now - started) })}</div> : null}</dd>
        <dt>{t('node.clock')}</dt><dd>{fmtDateTime(now)}</dd>
        <dt>{t('node.storeSize')}</dt><dd>{bytes(num(s.storeBytes))}</dd>
        <dt>{t('node.store')}</dt>
          <dd data-testid="store-state" data-writable={s.storeWritable ? 'true' : 'false'}>
            <span style={toneStyle(s.storeWritable ? 'ok' : 'bad')}>{s.storeWritable ? t('node.storeOk') : t('node.storeBad')}</span>
            {s.storeError ? <div class="hint">{s.storeError}</div> : null}
          </dd>
        <dt>{t('node.audit')}</dt><dd>{fmtNumber(num(s.auditEntries))}</dd>
        <dt>{t('node.erasure')}</dt>
          <dd>
            {erasurePending ? <span style={toneStyle('warn')}>{t('node.erasurePending', { since: fmtDateTime(erasurePending) })}</span> : t('node.erasureNone')}
            {lastErasure ? <div class="hint">{t('node.erasureLast', { when: fmtDateTime(lastErasure) })}</div> : null}
          </dd>
        <dt>{t('node.receipts')}</dt>
          <dd>
            {fmtNumber(num(s.receiptsPending))}
            {s.receiptsOutboxFull ? <div style={toneStyle('bad', true)}>{t('node.outboxFull')}</div> : null}
          </dd>
      </dl>
      <h3>{t('node.records')}</h3>
      <dl class="props">
        <dt>{t('node.cases')}</dt><dd>{fmtNumber(num(s.cases))}</dd>
        <dt>{t('node.consents')}</dt><dd>{fmtNumber(num(s.consents))}</dd>
        <dt>{t('node.institutions')}</dt><dd>{fmtNumber(num(s.institutions))}</dd>
        <dt>{t('node.contacts')}</dt><dd>{fmtNumber(num(s.contacts))}</dd>
        <dt>{t('node.users')}</dt><dd>{fmtNumber(num(s.users))}</dd>
      </dl>

      <h2>{t('node.certs')}</h2>
      <div class="table-wrap">
        <table data-testid="certs">
          <thead>
            <tr>
              <th scope="col">{t('node.cert.what')}</th>
              <th scope="col">{t('node.cert.until')}</th>
              <th scope="col">{t('node.cert.left')}</th>
            </tr>
          </thead>
          <tbody>
            <Cert label={t('node.cert.node')} at={num(s.nodeCertExpiresAt)} now={now} testid="cert-node" />
            <Cert label={t('node.cert.ca')} at={num(s.caCertExpiresAt)} now={now} testid="cert-ca" />
            <Cert label={t('node.cert.crl')} at={num(s.crlNextUpdate)} now={now} testid="cert-crl" crl />
          </tbody>
        </table>
      </div>
    </>
  );
}

function Peers({ s, peers }) {
  const now = num(s.now) || Math.floor(Date.now() / 1000);
  const rows = (peers || []).map((p) => {
    const cp = p.checkpoint || {};
    const out = p.out || {};
    const last = num(cp.lastSuccess);
    const lag = last ? Math.max(0, now - last) : null;
    return { p, cp, out, last, lag };
  });
  return (
    <>
      <h2>{t('node.peers', { n: rows.length })}</h2>
      {rows.length === 0 ? <p>{t('node.noPeers')}</p> : (
        <>
          <div class="table-wrap">
            <table data-testid="peers">
              <thead>
                <tr>
                  <th scope="col">{t('node.peer.name')}</th>
                  <th scope="col">{t('node.peer.address')}</th>
                  <th scope="col">{t('node.peer.lastSync')}</th>
                  <th scope="col">{t('node.peer.lag')}</th>
                  <th scope="col">{t('node.peer.error')}</th>
                  <th scope="col" class="num">{t('node.peer.held')}</th>
                  <th scope="col" class="num">{t('node.peer.feed')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map(({ p, cp, out, last, lag }) => (
                  <tr key={p.municipality} data-peer={p.municipality}>
                    <th scope="row">{muniName(p.municipality)}</th>
                    <td>{p.address || '–'}</td>
                    <td>{last ? fmtDateTime(last) : t('node.peer.never')}
                      {num(cp.lastDurationMs) ? <div class="hint">{t('node.peer.took', { ms: fmtNumber(num(cp.lastDurationMs)) })}</div> : null}</td>
                    <td data-tone={lagTone(lag)}><span style={toneStyle(lagTone(lag))}>{lag === null ? '–' : fmtDuration(lag)}</span></td>
                    <td>
                      {cp.lastError ? <span style={toneStyle('bad', true)}>{cp.lastError}</span> : t('node.peer.noError')}
                      {num(cp.failuresInRow) ? <div class="hint">{t('node.peer.failures', { n: fmtNumber(num(cp.failuresInRow)) })}</div> : null}
                      {num(cp.nextRetry) ? <div class="hint">{t('node.peer.retry', { when: fmtDateTime(num(cp.nextRetry)) })}</div> : null}
                      {cp.lastRefusal ? <div class="hint">{t('node.peer.refusal', { why: cp.lastRefusal })}</div> : null}
                    </td>
                    <td class="num">{fmtNumber(num(p.recordsHeld))}
                      <div class="hint">{t('node.peer.in', { n: fmtNumber(num(cp.recordsIn)) })}</div></td>
                    <td class="num">{fmtNumber(num(p.feedSeq))} / {fmtNumber(num(out.ackedSeq))}
                      <div class="hint">{t('node.peer.served', { n: fmtNumber(num(out.recordsOut)) })}</div>
                      {num(out.lastPull) ? <div class="hint">{t('node.peer.lastPull', { when: fmtDateTime(num(out.lastPull)) })}</div> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p class="hint">{t('node.peer.feedHelp')}</p>
          <h3>{t('node.plot')}</h3>
          <div data-testid="peer-plot">
            <BarChart id="plot-held" title={t('node.plot.held')} desc={t('node.plot.heldDesc')}
                      bars={rows.map(({ p }) => ({ label: muniName(p.municipality), value: num(p.recordsHeld), text: fmtNumber(num(p.recordsHeld)) }))} />
            <BarChart id="plot-lag" title={t('node.plot.lag')} desc={t('node.plot.lagDesc')}
                      bars={rows.map(({ p, lag }) => ({
                        label: muniName(p.municipality),
                        value: lag === null ? 0 : lag,
                        text: lag === null ? t('node.peer.never') : fmtDuration(lag),
                        tone: lagTone(lag),
                      }))} />
          </div>
        </>
      )}
    </>
  );
}

function AddUserForm({ onDone }) {
  const empty = { userId: '', name: '', role: '', institutionId: '', phone: '', email: '', idCode: '' };
  const [u, setU] = useState(empty);
  const [errs, setErrs] = useState({});
  const [banner, setBanner] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (k) => (v) => setU({ ...u, [k]: v });
  const needsInstitution = NEEDS_INSTITUTION.includes(u.role);

  async function save(ev) {
    ev.preventDefault();
    setBanner(null);
    const e = {};
    if (!principalOk(u.userId)) e.user_id = t('node.err.userId');
    if (!u.name.trim()) e.name = t('p2.err.required');
    if (!u.role) e.role = t('node.err.role');
    if (needsInstitution && !u.institutionId.trim()) e.institution_id = t('node.err.institution');
    if (!needsInstitution && u.institutionId.trim()) e.institution_id = t('node.err.noInstitution');
    if (u.phone && !phoneOk(u.phone)) e.phone = t('p2.err.phone');
    if (u.email && !emailOk(u.email)) e.email = t('p2.err.email');
    const ik = u.idCode.trim() ? isikukoodProblem(u.idCode.trim()) : null;
    if (ik) e.id_code = t(ik.key, ik.params);
    setErrs(e);
    if (Object.keys(e).length > 0) return;
    setBusy(true);
    try {
      const user = { userId: u.userId, name: u.name.trim(), role: u.role,
        institutionId: u.institutionId.trim(), phone: u.phone.trim(), email: u.email.trim() };
      // Only when given: a node without ID-card sign-in does not know the field.
      if (u.idCode.trim()) user.idCode = u.idCode.trim();
      const saved = await call('hop.v1.Admin/AddUser', { user });
      setU(empty);
      setErrs({});
      onDone(t('node.users.added', { id: saved.userId }));
    } catch (err) {
      const f = errorField(err).replace(/^user\./, '');
      if (err.status === 400 || err.status === 409) {
        if (['user_id', 'name', 'role', 'institution_id', 'phone', 'email', 'id_code'].includes(f)) {
          setErrs({ [f]: errorText(err) });
          return;
        }
      }
      setBanner(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card" onSubmit={save} noValidate data-testid="add-user" aria-labelledby="add-user-title">
      <h3 id="add-user-title">{t('node.users.add')}</h3>
      {banner && <ErrorBanner error={banner} />}
      <div class="form-grid">
      <Input name="user.user_id" label={t('node.users.f.id')} value={u.userId} onInput={set('userId')}
             error={errs.user_id} required help={t('node.users.f.idHelp')} autoComplete="off" />
      <Input name="user.name" label={t('node.users.f.name')} value={u.name} onInput={set('name')}
             error={errs.name} required autoComplete="off" />
      <Select name="user.role" label={t('node.users.f.role')} value={u.role} onChange={set('role')}
              error={errs.role} required
              options={[{ value: '', label: t('node.users.f.choose') }, ...ROLES.map((r) => ({ value: r, label: roleName(r) }))]} />
      <Input name="user.institution_id" label={t('node.users.f.institution')} value={u.institutionId}
             onInput={set('institutionId')} error={errs.institution_id}
             required={needsInstitution} help={t('node.users.f.institutionHelp')} autoComplete="off" />
      <Input name="user.phone" label={t('node.users.f.phone')} value={u.phone} onInput={set('phone')}
             error={errs.phone} type="tel" autoComplete="off" />
      <Input name="user.email" label={t('node.users.f.email')} value={u.email} onInput={set('email')}
             error={errs.email} type="email" autoComplete="off" />
      <Input name="user.id_code" label={t('node.users.f.idCode')} value={u.idCode} onInput={set('idCode')}
             error={errs.id_code} help={t('node.users.f.idCodeHelp')} inputMode="numeric" maxLength={11} autoComplete="off" />
      </div>
      <div class="actions">
        <button type="submit" disabled={busy}>{t('node.users.addButton')}</button>
      </div>
    </form>
  );
}

function Users() {
  const [users, setUsers] = useState(null);
  const [error, setError] = useState(null);
  const [confirm, setConfirm] = useState('');
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);

  async function load() {
    try {
      const r = await call('hop.v1.Admin/ListUsers', {});
      setUsers((r.users || []).slice().sort((a, b) => a.userId.localeCompare(b.userId)));
    } catch (e) {
      setError(e);
      setUsers([]);
    }
  }
  useEffect(() => { load(); }, []);

  async function remove(id) {
    setBusy(true);
    setError(null);
    try {
      await call('hop.v1.Admin/RemoveUser', { userId: id });
      setNotice(t('node.users.removed', { id }));
      setConfirm('');
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="users-title" data-testid="users">
      <h2 id="users-title">{t('node.users.title')}</h2>
      <Notice>{notice}</Notice>
      {error && <ErrorBanner error={error} />}
      {users === null ? <Loading /> : (
        <div class="table-wrap">
          <table data-testid="users-table">
            <thead>
              <tr>
                <th scope="col">{t('node.users.col.id')}</th>
                <th scope="col">{t('node.users.col.name')}</th>
                <th scope="col">{t('node.users.col.role')}</th>
                <th scope="col">{t('node.users.col.institution')}</th>
                <th scope="col">{t('node.users.col.contact')}</th>
                <th scope="col">{t('node.users.col.created')}</th>
                <th scope="col">{t('node.users.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.userId} data-user-id={u.userId}>
                  <th scope="row">{u.userId}{u.idCode ? <div class="hint">{t('node.users.idCard', { ik: u.idCode })}</div> : null}</th>
                  <td>{u.name}</td>
                  <td>{roleName(u.role)}</td>
                  <td>{u.institutionId || '–'}</td>
                  <td>
                    {u.phone && <a href={'tel:' + u.phone.replace(/[ -]/g, '')}>{u.phone}</a>}
                    {u.phone && u.email && <br />}
                    {u.email && <a href={'mailto:' + u.email}>{u.email}</a>}
                    {!u.phone && !u.email && '–'}
                  </td>
                  <td>{num(u.createdAt) ? fmtDateTime(num(u.createdAt)) : '–'}
                    {u.createdBy ? <div class="hint">{t('node.users.by', { by: u.createdBy })}</div> : null}</td>
                  <td>
                    {confirm === u.userId ? (
                      <span role="group" aria-label={t('node.users.confirmLabel', { id: u.userId })}>
                        <span>{t('node.users.confirm', { id: u.userId })}</span>{' '}
                        <button type="button" class="danger" disabled={busy} data-testid="confirm-remove"
                                onClick={() => remove(u.userId)}>{t('node.users.yesRemove')}</button>{' '}
                        <button type="button" class="secondary" onClick={() => setConfirm('')}>{t('node.users.cancel')}</button>
                      </span>
                    ) : (
                      <button type="button" class="secondary" aria-label={t('node.users.removeLabel', { id: u.userId })}
                              onClick={() => { setNotice(''); setConfirm(u.userId); }}>{t('node.users.remove')}</button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <AddUserForm onDone={(msg) => { setNotice(msg); load(); }} />
    </section>
  );
}

export function NodePage(props) {
  useLang();
  const me = useMe(props);
  const [status, setStatus] = useState(null);
  const [error, setError] = useState(null);
  const [syncing, setSyncing] = useState(false);
  const [syncNote, setSyncNote] = useState('');

  async function load() {
    setError(null);
    try {
      setStatus(await call('hop.v1.Admin/GetNodeStatus', {}));
    } catch (e) {
      setError(e);
    }
  }
  useEffect(() => { load(); }, []);

  async function syncNow() {
    setSyncing(true);
    setSyncNote('');
    setError(null);
    try {
      const r = await call('hop.v1.Admin/SyncNow', {});
      const peers = r.peers || [];
      const failed = peers.filter((p) => p.checkpoint && p.checkpoint.lastError &&
        num(p.checkpoint.lastAttempt) > num(p.checkpoint.lastSuccess));
      setSyncNote(failed.length === 0 ? t('node.synced', { n: peers.length })
        : t('node.syncedSome', { n: peers.length, failed: failed.map((p) => muniName(p.municipality)).join(', ') }));
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setSyncing(false);
    }
  }

  const isAdmin = me && me.role === 'ROLE_ADMIN';
  const canSync = me && (isAdmin || me.kind === 'ops');

  return (
    <section aria-labelledby="node-title">
      <h1 id="node-title">{t('node.title')}</h1>
      <div class="actions">
        <button type="button" onClick={load}>{t('node.refresh')}</button>
        {canSync && (
          <button type="button" data-testid="sync-now" disabled={syncing} onClick={syncNow}>
            {syncing ? t('node.syncing') : t('node.syncNow')}
          </button>
        )}
      </div>
      <Notice>{syncNote}</Notice>
      {error && <ErrorBanner error={error} />}
      {!status && !error && <Loading />}
      {status && <Status s={status} />}
      {status && <Peers s={status} peers={status.peers} />}
      {isAdmin && <Users />}
    </section>
  );
}

export default NodePage;
