// Consents (nõusolekud): the consents the caller may see (CaseWork/ListConsents), granting one
// (GrantConsent) and a guardian's withdrawal (WithdrawConsent). What a recipient may hold
// follows from the consent; what it actually holds of the child now (pulled or not, copy
// removed or not) comes with the list (ListConsents withDelivery: ConsentDelivery).
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api.js';
import { t, fmtDate, fmtDateTime, muniName } from '../i18n.js';
import { ErrorBanner, Loading, Field, useAction } from '../components.jsx';
import { SpecForm, muniOptions } from '../form.jsx';
import { isikukoodError, isAdult } from '../isikukood.js';

const SCOPES = ['SCOPE_CASE_SUMMARY', 'SCOPE_RESPONSIBLE_CONTACT', 'SCOPE_SERVICE_HISTORY', 'SCOPE_SCHOOL_READINESS_CARD'];

function scopeName(s) {
  return t('scope.' + s);
}

// Unix seconds of the start of a local calendar day "YYYY-MM-DD" (+ `days`).
export function dayStartUnix(iso, days = 0) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
  if (!m) return 0;
  return Math.floor(new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days).getTime() / 1000);
}

function todayIso(addYears = 0, addDays = 0) {
  const d = new Date();
  d.setFullYear(d.getFullYear() + addYears);
  d.setDate(d.getDate() + addDays);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

// in_force | withdrawn | expired | not_yet
export function consentState(c, now = Math.floor(Date.now() / 1000)) {
  if (Number(c.withdrawnAt || 0) > 0) return 'withdrawn';
  if (now >= Number(c.validUntil || 0)) return 'expired';
  if (now < Number(c.validFrom || 0)) return 'not_yet';
  return 'in_force';
}

function guardianError(v, child) {
  const e = isikukoodError(v.trim());
  if (e) return e;
  if (child && v.trim() === child.trim()) return t('consent.guardianIsChild');
  if (!isAdult(v.trim())) return t('consent.guardianNotAdult');
  return '';
}

// What recipient `r` holds now, as the owner's feed and its last pull tell.
function Delivery({ d }) {
  if (!d) return null;
  const state = String(d.state || '').replace(/^DELIVERY_/, '').toLowerCase();
  const pulled = Number(d.lastPull || 0);
  return (
    <span class="small" data-testid="recipient-delivery" data-delivery={state}>
      <br />{t('consent.delivery.' + state)}
      <span class="muted">{' · '}{pulled ? t('consent.lastPull', { when: fmtDateTime(pulled) }) : t('consent.neverPulled')}</span>
    </span>
  );
}

function ConsentRow({ c, delivery, onPrefill }) {
  const st = consentState(c);
  const byRecipient = {};
  for (const d of (delivery && delivery.recipients) || []) byRecipient[d.municipality] = d;
  const active = st === 'in_force';
  return (
    <tr data-consent-id={c.id} data-state={st}>
      <th scope="row">
        {c.id}
        <span class="muted small"><br />{t('consent.recordedByWho', { who: c.recordedBy })}</span>
        {c.evidenceRef ? <span class="muted small"><br />{t('consent.evidence', { ref: c.evidenceRef })}</span> : null}
      </th>
      <td>
        {c.childIsikukood}
        <span class="muted small"><br />{t('consent.grantedByWho', { who: c.grantedBy })}</span>
      </td>
      <td>
        <ul class="plain recipients">
          {(c.recipients || []).map((r) => (
            <li key={r} data-recipient={r}>
              <strong>{muniName(r)}</strong>
              <br />
              <span class={active ? '' : 'muted'} data-testid="recipient-holds">
                {active
                  ? t('consent.mayHold', { scopes: (c.scopes || []).map(scopeName).join(', ') })
                  : st === 'not_yet' ? t('consent.holdsNothingYet') : t('consent.holdsNothing')}
              </span>
              <Delivery d={byRecipient[r]} />
            </li>
          ))}
        </ul>
      </td>
      <td>{c.purpose}</td>
      <td>
        <span class={'consent-state state-' + st}>{t('consent.state.' + st)}</span>
        <br />{fmtDate(c.validFrom)} – {fmtDate(c.validUntil)}
        {st === 'withdrawn' ? (
          <span class="muted small"><br />{t('consent.withdrawnInfo', { when: fmtDateTime(c.withdrawnAt), by: c.withdrawnBy, ref: c.withdrawalEvidenceRef || '–' })}</span>
        ) : null}
      </td>
      <td class="no-print">
        {active ? (
          <button type="button" class="secondary" data-testid="withdraw-prefill" onClick={() => onPrefill(c)}>
            {t('consent.prefill')}<span class="sr-only"> {t('consent.prefillFor', { id: c.id })}</span>
          </button>
        ) : null}
      </td>
    </tr>
  );
}

function ConsentList({ reloadKey, onPrefill }) {
  const [child, setChild] = useState('');
  const [activeOnly, setActiveOnly] = useState(false);
  const [ikErr, setIkErr] = useState('');
  const [consents, setConsents] = useState(null);
  const [deliveries, setDeliveries] = useState({});
  const list = useAction();

  async function load() {
    const ik = child.trim();
    const e = isikukoodError(ik, false);
    setIkErr(e);
    if (e) return;
    const r = await list.run(() =>
      call('hop.v1.CaseWork/ListConsents', { childIsikukood: ik, activeOnly, withDelivery: true }));
    if (r) {
      const byId = {};
      for (const d of r.deliveries || []) byId[d.consentId] = d;
      setDeliveries(byId);
      setConsents(r.consents || []);
    }
  }
  useEffect(() => { load(); }, [reloadKey]);

  return (
    <section aria-labelledby="consents-list-h2">
      <h2 id="consents-list-h2">{t('consent.listTitle')}</h2>
      <form class="filters" noValidate onSubmit={(e) => { e.preventDefault(); load(); }}>
        <div class="form-grid">
          <Field name="child_isikukood" label={t('consent.filterChild')} value={child} inputMode="numeric"
            maxLength={11} autoComplete="off" error={ikErr} onInput={(e) => setChild(e.currentTarget.value)} />
          <div class="field checkbox-field">
            <label class="checkbox">
              <input type="checkbox" name="active_only" checked={activeOnly} onChange={(e) => setActiveOnly(e.currentTarget.checked)} />
              {' '}{t('consent.activeOnly')}
            </label>
          </div>
        </div>
        <div class="actions"><button type="submit" disabled={list.busy}>{t('consent.filter')}</button></div>
      </form>
      <ErrorBanner error={list.error} />
      {list.busy && consents === null ? <Loading /> : null}
      {consents !== null ? (
        consents.length ? (
          <div class="table-wrap" tabIndex={0}>
            <table data-testid="consent-list">
              <caption>{t('consent.listCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('consent.id')}</th>
                  <th scope="col">{t('consent.child')}</th>
                  <th scope="col">{t('consent.recipientsHold')}</th>
                  <th scope="col">{t('consent.purpose')}</th>
                  <th scope="col">{t('consent.validityState')}</th>
                  <th scope="col" class="no-print"><span class="sr-only">{t('consent.actionsCol')}</span></th>
                </tr>
              </thead>
              <tbody>
                {consents.map((c) => <ConsentRow key={c.id} c={c} delivery={deliveries[c.id]} onPrefill={onPrefill} />)}
              </tbody>
            </table>
          </div>
        ) : <p class="empty">{t('consent.none')}</p>
      ) : null}
      <p class="hint">{t('consent.holdsNote')}</p>
    </section>
  );
}

export function ConsentsPage({ reference }) {
  const [reloadKey, setReloadKey] = useState(0);
  const [prefill, setPrefill] = useState(null);
  const own = reference && reference.thisMunicipality;
  const recipientOptions = muniOptions(reference, [own]);
  const scopeOptions = SCOPES.map((s) => ({ value: s, label: scopeName(s) }));
  const reload = () => setReloadKey((k) => k + 1);

  function onPrefill(c) {
    setPrefill({ n: Date.now(), child_isikukood: c.childIsikukood, recipients: [...(c.recipients || [])] });
    setTimeout(() => {
      const el = document.getElementById('withdraw-h2');
      if (el) el.scrollIntoView();
      const input = document.querySelector('[data-testid="withdraw-form"] [name="withdrawn_by"]');
      if (input) input.focus();
    }, 0);
  }

  return (
    <>
      <h1>{t('consents.title')}</h1>
      <p class="hint">{t('consent.intro')}</p>
      <ConsentList reloadKey={reloadKey} onPrefill={onPrefill} />

      <section aria-labelledby="grant-h2" class="card">
        <h2 id="grant-h2">{t('consent.grantTitle')}</h2>
        <SpecForm
          testid="grant-form"
          submitTestid="grant-submit"
          submitLabel={t('consent.grantSubmit')}
          initial={{ valid_from: todayIso(), valid_until: todayIso(1) }}
          doneText={(c) => t('consent.granted', { id: c.id })}
          fields={[
            { name: 'child_isikukood', label: t('consent.child'), type: 'isikukood', required: true },
            { name: 'granted_by', label: t('consent.guardian'), type: 'isikukood', required: true, hint: t('consent.guardianHint') },
            { name: 'recipients', label: t('consent.recipients'), type: 'checkboxes', required: true,
              requiredText: t('consent.pickRecipient'), options: recipientOptions, hint: t('consent.recipientsHint'),
              moreLabel: t('common.otherCounties') },
            { name: 'scopes', label: t('consent.scopes'), type: 'checkboxes', required: true,
              requiredText: t('consent.pickScope'), options: scopeOptions },
            { name: 'purpose', label: t('consent.purpose'), required: true, hint: t('consent.purposeHint') },
            { name: 'valid_from', label: t('consent.validFrom'), type: 'date', hint: t('consent.validFromHint') },
            { name: 'valid_until', label: t('consent.validUntil'), type: 'date', required: true, hint: t('consent.validUntilHint') },
            { name: 'evidence_ref', label: t('consent.evidenceRef'), hint: t('consent.evidenceRefHint') },
          ]}
          validate={(v) => {
            const e = {};
            const g = guardianError(v.granted_by, v.child_isikukood);
            if (g) e.granted_by = g;
            if (v.valid_from && v.valid_until && v.valid_until < v.valid_from) e.valid_until = t('consent.untilBeforeFrom');
            if (v.valid_until && v.valid_until < todayIso()) e.valid_until = t('consent.untilPast');
            return e;
          }}
          onSubmit={async (v) => {
            const today = todayIso();
            const from = v.valid_from && v.valid_from !== today ? dayStartUnix(v.valid_from) : 0;
            const c = await call('hop.v1.CaseWork/GrantConsent', {
              childIsikukood: v.child_isikukood.trim(),
              grantedBy: v.granted_by.trim(),
              recipients: v.recipients,
              scopes: v.scopes,
              purpose: v.purpose.trim(),
              validFrom: String(from),
              validUntil: String(dayStartUnix(v.valid_until, 1)),
              evidenceRef: v.evidence_ref.trim(),
            });
            reload();
            return c;
          }}
        />
      </section>

      <section aria-labelledby="withdraw-h2" class="card">
        <h2 id="withdraw-h2">{t('consent.withdrawTitle')}</h2>
        <SpecForm
          key={prefill ? prefill.n : 0}
          testid="withdraw-form"
          submitTestid="withdraw"
          submitLabel={t('consent.withdrawSubmit')}
          danger
          intro={t('consent.withdrawIntro')}
          initial={prefill ? { child_isikukood: prefill.child_isikukood, recipients: prefill.recipients } : {}}
          doneText={(r) => t('consent.withdrawn', { n: (r.withdrawn || []).length, ids: (r.withdrawn || []).map((c) => c.id).join(', ') })}
          fields={[
            { name: 'child_isikukood', label: t('consent.child'), type: 'isikukood', required: true },
            { name: 'withdrawn_by', label: t('consent.withdrawnBy'), type: 'isikukood', required: true, hint: t('consent.withdrawnByHint') },
            { name: 'recipients', label: t('consent.withdrawRecipients'), type: 'checkboxes',
              options: recipientOptions, hint: t('consent.withdrawRecipientsHint'), moreLabel: t('common.otherCounties') },
            { name: 'evidence_ref', label: t('consent.withdrawalEvidence'), required: true, hint: t('consent.withdrawalEvidenceHint') },
          ]}
          validate={(v) => {
            const g = guardianError(v.withdrawn_by, v.child_isikukood);
            return g ? { withdrawn_by: g } : {};
          }}
          onSubmit={async (v) => {
            const r = await call('hop.v1.CaseWork/WithdrawConsent', {
              childIsikukood: v.child_isikukood.trim(),
              withdrawnBy: v.withdrawn_by.trim(),
              recipients: v.recipients,
              evidenceRef: v.evidence_ref.trim(),
            });
            reload();
            return r;
          }}
        />
      </section>
    </>
  );
}
