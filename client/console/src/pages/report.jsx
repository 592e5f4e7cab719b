// Access report for a family (Audit/Subject): every access to one child's data in this node's
// log, printable (report.css has the print layout). The isikukood goes in the POST body only.
import { useState } from 'preact/hooks';
import { call } from '../api.js';
import { t, fmtDate, fmtDateTime, fmtNumber, muniName, useLang } from '../i18n.js';
import { ErrorBanner, Loading } from '../components.jsx';
import { actorName, actorRoleLabel, isikukoodProblem, num, errorField, errorText, toneStyle } from './p2util.js';
import { useReference } from './p2hooks.js';
import { Input } from './p2form.jsx';
import './pages2.css';

// Audit actions (daemon/, see client/render_audit.cc) -> message key suffix.
const ACTIONS = {
  'CaseWork.OpenCase': 'openCase',
  'CaseWork.GetCase': 'getCase',
  'CaseWork.ListCases': 'listCases',
  'CaseWork.Escalate': 'escalate',
  'CaseWork.MoveToChildProtection': 'moveToCp',
  'CaseWork.Assign': 'assign',
  'CaseWork.AddNeeds': 'addNeeds',
  'CaseWork.AddActionItem': 'addActionItem',
  'CaseWork.AddService': 'addService',
  'CaseWork.AddAssessment': 'addAssessment',
  'CaseWork.AddNote': 'addNote',
  'CaseWork.SetRelatedMunicipalities': 'setRelated',
  'CaseWork.CloseCase': 'closeCase',
  'CaseWork.GrantConsent': 'grantConsent',
  'CaseWork.WithdrawConsent': 'withdrawConsent',
  'CaseWork.ListConsents': 'listConsents',
  'CaseWork.Lookup': 'lookup',
  'CaseWork.QueryPeers': 'queryPeers',
  'CaseWork.ListInbox': 'listInbox',
  'CaseWork.AckInbox': 'ackInbox',
  'Audit.Subject': 'subject',
  'Federation.Query: answered': 'fedQuery',
  'Federation.Pull: feed served': 'fedServed',
  'Federation.Pull: copies received': 'fedReceived',
  'Federation.Pull: feed served (child-protection basis)': 'fedServedCp',
  'Federation.Pull: copies received (child-protection basis)': 'fedReceivedCp',
  'Federation.Receipts: look-up of a held copy': 'fedLookup',
  'Federation.Receipts: look-up receipt': 'fedReceipt',
  'Federation.Pull: withdrawal notices handed back': 'fedHandback',
  'Federation.Pull: consent withdrawal re-applied after a restore': 'fedReapplied',
  'expired copies purged': 'expiredPurged',
  'consent start or expiry applied to the peers\' feeds': 'consentWindow',
  'case purged after retention': 'casePurged',
  'change by the node itself': 'nodeChange',
  'store restored from a backup': 'restored',
};

function actionText(action) {
  const k = ACTIONS[action];
  return k ? t('report.action.' + k) : action;
}

function whoText(e) {
  if (e.actorRole === 'system') return t('report.who.system');
  if (e.actorRole === 'peer-node') return t('report.who.peer');
  return actorName(e.actor);
}

function outcomeText(outcome) {
  if (!outcome || outcome === 'ok') return { cls: 'ok', text: t('report.outcome.ok') };
  // "ok; 6 entries": done, with the server's detail.
  if (/^ok\b/.test(outcome)) {
    return { cls: 'ok', text: t('report.outcome.okDetail', { detail: outcome.replace(/^ok[;:,]?\s*/, '') }) };
  }
  if (outcome.startsWith('refused')) {
    return { cls: 'refused', text: t('report.outcome.refused', { why: outcome.replace(/^refused:?\s*/, '') }) };
  }
  if (outcome.startsWith('failed')) {
    return { cls: 'failed', text: t('report.outcome.failed', { why: outcome.replace(/^failed:?\s*/, '') }) };
  }
  return { cls: '', text: outcome };
}

// What other municipalities' nodes did with the child's data (the owner's view).
function otherMunicipalities(entries) {
  const by = new Map();
  for (const e of entries) {
    if ((e.outcome || '').startsWith('refused')) continue;
    let verb = '';
    if (e.action.startsWith('Federation.Pull: feed served')) verb = 'received';
    else if (e.action.startsWith('Federation.Receipts: look-up of')) verb = 'lookedUp';
    else if (e.action === 'Federation.Query: answered') verb = 'asked';
    if (!verb) continue;
    const m = e.actorMunicipality;
    if (!m) continue;
    if (!by.has(m)) by.set(m, {});
    const seen = by.get(m);
    const at = num(e.occurredAt) || num(e.time);
    const s = seen[verb] || { n: 0, last: 0 };
    seen[verb] = { n: s.n + 1, last: Math.max(s.last, at) };
  }
  return by;
}

export function ReportPage(props) {
  useLang();
  const ref = useReference(props);
  const [code, setCode] = useState('');
  const [fieldError, setFieldError] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState(null);  // {child, madeAt, entries}

  async function submit(ev) {
    ev.preventDefault();
    const c = code.trim();
    const problem = isikukoodProblem(c);
    setError(null);
    if (problem) {
      setFieldError(t(problem.key, problem.params));
      return;
    }
    setFieldError('');
    setBusy(true);
    try {
      const r = await call('hop.v1.Audit/Subject', { childIsikukood: c });
      setReport({ child: c, madeAt: Math.floor(Date.now() / 1000), entries: r.entries || [] });
    } catch (e) {
      if (errorField(e) === 'child_isikukood') setFieldError(errorText(e));
      else setError(e);
      setReport(null);
    } finally {
      setBusy(false);
    }
  }

  const others = report ? otherMunicipalities(report.entries) : null;

  return (
    <section aria-labelledby="report-title" class="report-page">
      <h1 id="report-title" class="no-print">{t('report.title')}</h1>
      <p class="muted no-print">{t('report.intro')}</p>
      <form class="no-print" onSubmit={submit} noValidate>
        <Input name="child_isikukood" label={t('report.ik')} value={code} onInput={setCode}
               error={fieldError} help={t('report.ikHelp')} inputMode="numeric" autoComplete="off"
               maxLength={11} required data-testid="report-ik" style={{ maxWidth: '16rem' }} />
        <button type="submit" disabled={busy} data-testid="report-make">{t('report.make')}</button>
      </form>
      {error && <ErrorBanner error={error} />}
      {busy && <Loading />}
      {report && (
        <article class="access-report" data-testid="access-report" aria-labelledby="report-doc-title">
          <div class="actions no-print">
            <button type="button" data-testid="print" onClick={() => window.print()}>{t('report.print')}</button>
          </div>
          <h2 id="report-doc-title">{t('report.docTitle')}</h2>
          <dl class="props report-meta">
            <dt>{t('report.child')}</dt><dd data-testid="report-child">{report.child}</dd>
            <dt>{t('report.node')}</dt><dd>{ref ? muniName(ref.thisMunicipality) : ''}</dd>
            <dt>{t('report.date')}</dt><dd>{fmtDateTime(report.madeAt)}</dd>
            <dt>{t('report.count')}</dt><dd>{fmtNumber(report.entries.length)}</dd>
          </dl>
          <p class="muted">{t('report.explain')}</p>
          {others && others.size > 0 && (
            <section aria-labelledby="report-others">
              <h3 id="report-others">{t('report.others')}</h3>
              <ul>
                {[...others.entries()].map(([m, verbs]) => (
                  <li key={m}>
                    <strong>{muniName(m)}</strong>:{' '}
                    {Object.entries(verbs).map(([verb, s]) =>
                      t('report.others.' + verb, { n: fmtNumber(s.n), last: fmtDate(s.last) })).join('; ')}
                  </li>
                ))}
              </ul>
            </section>
          )}
          {report.entries.length === 0 ? (
            <p data-testid="report-empty">{t('report.empty')}</p>
          ) : (
            <table class="report-table" data-testid="report-table">
              <caption>{t('report.caption', { n: fmtNumber(report.entries.length) })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('report.col.when')}</th>
                  <th scope="col">{t('report.col.who')}</th>
                  <th scope="col">{t('report.col.municipality')}</th>
                  <th scope="col">{t('report.col.action')}</th>
                  <th scope="col">{t('report.col.purpose')}</th>
                  <th scope="col">{t('report.col.outcome')}</th>
                </tr>
              </thead>
              <tbody>
                {report.entries.map((e) => {
                  const occurred = num(e.occurredAt);
                  const o = outcomeText(e.outcome);
                  return (
                    <tr key={e.seq} data-seq={e.seq}>
                      <td>
                        {fmtDateTime(occurred || num(e.time))}
                        {occurred ? <div class="hint">{t('report.reportedAt', { when: fmtDateTime(num(e.time)) })}</div> : null}
                      </td>
                      <td>{whoText(e)}{e.actorRole === 'peer-node' || e.actorRole === 'system' ? null : <div class="hint">{actorRoleLabel(e.actorRole)}</div>}</td>
                      <td>{e.actorMunicipality ? muniName(e.actorMunicipality) : '–'}</td>
                      <td>{actionText(e.action)}</td>
                      <td>{e.purpose || '–'}</td>
                      <td data-outcome-kind={o.cls} style={o.cls === 'ok' ? undefined : toneStyle('bad', true)}>{o.text}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          <p class="hint report-footer">{t('report.footer', { date: fmtDate(report.madeAt) })}</p>
        </article>
      )}
    </section>
  );
}

export default ReportPage;
