// Find a child: this node's cases of the child, the copies held from other municipalities
// (CaseWork/Lookup) and, on request, a live question to every peer (CaseWork/QueryPeers).
import { useState } from 'preact/hooks';
import { call } from '../api.js';
import { t, fmtNumber, fmtDateTime, muniName } from '../i18n.js';
import { Field, ErrorBanner, Loading, fieldError, bannerError, useAction } from '../components.jsx';
import { isikukoodError } from '../isikukood.js';
import { checkField } from '../form.jsx';
import { SummaryCard, CaseTable, useInstitutionNames } from '../summary.jsx';

const OUTCOMES = {
  PEER_OUTCOME_ANSWERED: 'answered',
  PEER_OUTCOME_NO_VISIBLE_RECORDS: 'no_visible_records',
  PEER_OUTCOME_UNREACHABLE: 'unreachable',
  PEER_OUTCOME_TIMED_OUT: 'timed_out',
  PEER_OUTCOME_REFUSED: 'refused',
};
export function outcomeName(o) {
  return OUTCOMES[o] || 'unspecified';
}

const PURPOSE = { name: 'purpose', required: true, maxBytes: 500 };

function PeerAnswers({ answers, institutions }) {
  if (!answers.length) return <p class="empty">{t('find.noPeers')}</p>;
  return (
    <div class="table-wrap" tabIndex={0}>
      <table data-testid="peer-answers">
        <caption>{t('find.peerAnswers')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('find.peer')}</th>
            <th scope="col">{t('find.outcome')}</th>
            <th scope="col" class="num">{t('find.latency')}</th>
            <th scope="col">{t('find.detail')}</th>
          </tr>
        </thead>
        <tbody>
          {answers.map((a) => {
            const o = outcomeName(a.outcome);
            return (
              <tr key={a.municipality} data-peer={a.municipality} data-outcome={o}>
                <th scope="row">{muniName(a.municipality)}</th>
                <td><span class={'outcome outcome-' + o}>{t('outcome.' + o)}</span></td>
                <td class="num">{t('find.ms', { ms: fmtNumber(a.latencyMs || 0) })}</td>
                <td>
                  {a.detail ? <p class="detail">{a.detail}</p> : null}
                  {a.summaries && a.summaries.length ? (
                    <ul class="summaries">
                      {a.summaries.map((s, i) => <SummaryCard key={s.caseId || i} summary={s} headingLevel={3} institutions={institutions} />)}
                    </ul>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function FindPage({ go, state }) {
  const [code, setCode] = useState((state && state.isikukood) || '');
  const [purpose, setPurpose] = useState('');
  const [errs, setErrs] = useState({});
  const [result, setResult] = useState(null); // {isikukood, localCases, held}
  const lookup = useAction();
  const [peerPurpose, setPeerPurpose] = useState('');
  const [peerErr, setPeerErr] = useState('');
  const [peers, setPeers] = useState(null); // {answers, at}
  const query = useAction();
  const institutions = useInstitutionNames();

  async function onFind(ev) {
    ev.preventDefault();
    const ik = code.trim();
    const e = { child_isikukood: isikukoodError(ik), purpose: checkField(PURPOSE, purpose) };
    setErrs(e);
    if (e.child_isikukood || e.purpose) {
      const el = ev.currentTarget.querySelector(`[name="${e.child_isikukood ? 'child_isikukood' : 'purpose'}"]`);
      if (el) el.focus();
      return;
    }
    setResult(null);
    setPeers(null);
    const r = await lookup.run(() => call('hop.v1.CaseWork/Lookup', { childIsikukood: ik, purpose: purpose.trim() }));
    if (r) {
      setResult({ isikukood: ik, localCases: r.localCases || [], held: r.held || [] });
      if (!peerPurpose) setPeerPurpose(purpose.trim());
    }
  }

  async function onQuery(ev) {
    ev.preventDefault();
    const ik = (result && result.isikukood) || code.trim();
    const ikErr = isikukoodError(ik);
    if (ikErr) {
      setErrs((e) => ({ ...e, child_isikukood: ikErr }));
      return;
    }
    const pe = checkField(PURPOSE, peerPurpose);
    setPeerErr(pe);
    if (pe) return;
    setPeers(null);
    const r = await query.run(() => call('hop.v1.CaseWork/QueryPeers', { childIsikukood: ik, purpose: peerPurpose.trim() }));
    if (r) setPeers({ answers: r.answers || [], at: Math.floor(Date.now() / 1000), isikukood: ik });
  }

  const lookupFields = ['child_isikukood', 'purpose'];
  return (
    <section aria-labelledby="find-h1">
      <h1 id="find-h1">{t('find.title')}</h1>
      <p class="hint">{t('find.intro')}</p>
      <form onSubmit={onFind} noValidate data-testid="find-form">
        <div class="form-grid">
          <Field name="child_isikukood" label={t('find.isikukood')} value={code} required
            inputMode="numeric" autoComplete="off" maxLength={11} spellcheck={false}
            hint={t('find.isikukoodHint')}
            error={errs.child_isikukood || fieldError(lookup.error, 'child_isikukood') || fieldError(query.error, 'child_isikukood')}
            onInput={(e) => { setCode(e.currentTarget.value); setErrs((x) => ({ ...x, child_isikukood: '' })); }} />
          <Field name="purpose" label={t('find.purpose')} value={purpose} required class="wide"
            hint={t('find.purposeHint')} autoComplete="off"
            error={errs.purpose || fieldError(lookup.error, 'purpose')}
            onInput={(e) => { setPurpose(e.currentTarget.value); setErrs((x) => ({ ...x, purpose: '' })); }} />
        </div>
        <div class="actions">
          <button type="submit" data-testid="find-submit" disabled={lookup.busy}>
            {lookup.busy ? t('find.searching') : t('find.submit')}
          </button>
        </div>
      </form>
      <ErrorBanner error={bannerError(lookup.error, lookupFields)} />
      {lookup.busy ? <Loading /> : null}

      {result ? (
        <div data-testid="find-results">
          <h2>{t('find.localCasesTitle')}</h2>
          <CaseTable cases={result.localCases} go={go} caption={t('find.localCases')} empty={t('find.noLocalCases')} />

          <h2>{t('find.heldTitle')}</h2>
          <p class="hint">{t('find.heldIntro')}</p>
          {result.held.length ? (
            <ul class="cards" data-testid="held-copies">
              {result.held.map((h, i) => (
                <SummaryCard key={(h.summary && h.summary.caseId) || i} summary={h.summary} institutions={institutions}
                  receivedAt={h.receivedAt} originSyncedAt={h.originSyncedAt} />
              ))}
            </ul>
          ) : (
            <>
              <ul class="cards" data-testid="held-copies" hidden />
              <p class="empty">{t('find.noHeld')}</p>
            </>
          )}
        </div>
      ) : null}

      <section class="card peers" aria-labelledby="peers-h2">
        <h2 id="peers-h2">{t('find.peersTitle')}</h2>
        <p class="hint">{t('find.peersIntro')}</p>
        <form onSubmit={onQuery} noValidate data-testid="query-form">
          <Field name="purpose" label={t('find.peersPurpose')} value={peerPurpose} required autoComplete="off"
            hint={t('find.purposeHint')}
            error={peerErr || fieldError(query.error, 'purpose')}
            onInput={(e) => { setPeerPurpose(e.currentTarget.value); setPeerErr(''); }} />
          <div class="actions">
            <button type="submit" data-testid="query-peers" disabled={query.busy}>
              {query.busy ? t('find.asking') : t('find.queryPeers')}
            </button>
          </div>
        </form>
        <ErrorBanner error={bannerError(query.error, ['purpose', 'child_isikukood'])} />
        {query.busy ? <Loading label={t('find.asking')} /> : null}
        {peers ? (
          <>
            <p class="muted">{t('find.askedAt', { when: fmtDateTime(peers.at) })}</p>
            <PeerAnswers answers={peers.answers} institutions={institutions} />
          </>
        ) : null}
      </section>
    </section>
  );
}
