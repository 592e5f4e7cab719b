// Inbox: who asked about my cases (live questions from other municipalities, look-ups of the
// copies they hold), with acknowledge per entry and for all (CaseWork/ListInbox, AckInbox).
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api.js';
import { t, fmtDateTime, muniName, useLang } from '../i18n.js';
import { ErrorBanner, Loading, Notice } from '../components.jsx';
import { actorName, actorRoleLabel, num } from './p2util.js';

const CASE_ROLES = ['ROLE_TEACHER', 'ROLE_INSTITUTION_COORDINATOR', 'ROLE_CASE_MANAGER', 'ROLE_CHILD_PROTECTION',
  'ROLE_SCHOOL_NURSE', 'ROLE_SOCIAL_PEDAGOGUE', 'ROLE_SPECIAL_PEDAGOGUE', 'ROLE_SPEECH_THERAPIST', 'ROLE_PSYCHOLOGIST'];

export function InboxPage(props) {
  useLang();
  const [entries, setEntries] = useState(null);
  const [showAcked, setShowAcked] = useState(false);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState('');

  async function load(includeAcknowledged) {
    setError(null);
    try {
      const r = await call('hop.v1.CaseWork/ListInbox', { includeAcknowledged });
      // Newest first on screen.
      setEntries((r.entries || []).slice().reverse());
    } catch (e) {
      setError(e);
      setEntries([]);
    }
  }

  useEffect(() => { load(showAcked); }, [showAcked]);

  async function ack(body) {
    setBusy(true);
    setError(null);
    try {
      const r = await call('hop.v1.CaseWork/AckInbox', body);
      setNotice(t('inbox.acked', { n: r.acknowledged || 0 }));
      if (props.refreshInbox) props.refreshInbox();
      await load(showAcked);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const open = (entries || []).filter((e) => num(e.acknowledgedAt) === 0);
  // The case page is for the roles that may read cases (CaseWork/GetCase).
  const canOpenCase = !!props.go && !!props.who && CASE_ROLES.includes(props.who.role);

  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title">{t('inbox.title')}</h1>
      <p class="muted">{t('inbox.intro')}</p>
      {error && <ErrorBanner error={error} />}
      <div class="actions">
        <label class="checkbox">
          <input type="checkbox" checked={showAcked}
                 onChange={(e) => setShowAcked(e.currentTarget.checked)} />
          {' '}{t('inbox.showAcked')}
        </label>
        <button type="button" data-testid="ack-all" disabled={busy || open.length === 0}
                onClick={() => ack({ all: true })}>
          {t('inbox.ackAll')}
        </button>
      </div>
      <Notice>{notice}</Notice>
      {entries === null ? <Loading /> : entries.length === 0 ? (
        <p data-testid="inbox-empty">{showAcked ? t('inbox.emptyAll') : t('inbox.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table data-testid="inbox">
            <caption>{t('inbox.caption', { n: entries.length, open: open.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('inbox.col.time')}</th>
                <th scope="col">{t('inbox.col.municipality')}</th>
                <th scope="col">{t('inbox.col.who')}</th>
                <th scope="col">{t('inbox.col.kind')}</th>
                <th scope="col">{t('inbox.col.purpose')}</th>
                <th scope="col">{t('inbox.col.case')}</th>
                <th scope="col">{t('inbox.col.state')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => {
                const acked = num(e.acknowledgedAt);
                const who = actorName(e.asker);
                return (
                  <tr key={e.id} data-inbox-id={e.id} data-acknowledged={acked ? 'true' : 'false'}>
                    <td>{fmtDateTime(num(e.time))}</td>
                    <td>{muniName(e.askerMunicipality)}</td>
                    <td>{who}{e.askerRole ? <div class="hint">{actorRoleLabel(e.askerRole)}</div> : null}</td>
                    <td>{e.kind === 'lookup' ? t('inbox.kind.lookup') : e.kind === 'query' ? t('inbox.kind.query') : e.kind}</td>
                    <td>{e.purpose || '–'}</td>
                    <td>{canOpenCase ? (
                      <button type="button" class="link" data-testid="open-case" style={{ whiteSpace: 'nowrap' }}
                              onClick={() => props.go('case', { caseId: e.caseId })}>{e.caseId}</button>
                    ) : e.caseId}<div class="hint">{t('inbox.child', { ik: e.childIsikukood })}</div></td>
                    <td>
                      {acked ? t('inbox.ackedAt', { when: fmtDateTime(acked) }) : (
                        <button type="button" disabled={busy} style={{ whiteSpace: 'nowrap' }}
                                aria-label={t('inbox.ackOneLabel', { who, when: fmtDateTime(num(e.time)) })}
                                onClick={() => ack({ ids: [e.id] })}>
                          {t('inbox.ackOne')}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export default InboxPage;
