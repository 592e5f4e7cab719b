// Retiring a directory entry (issue 13): a contact person who left, an institution that
// closed or merged. CaseWork/RetireContact or RetireInstitution with a reason; the entry stays
// at this node and disappears from every other municipality's directory. The server's refusal
// (e.g. an institution that still has contacts or open cases) is shown as it says it.
import { useState } from 'preact/hooks';
import { call } from '../api.js';
import { t } from '../i18n.js';
import { ErrorBanner, Field } from '../components.jsx';

// `entry` is {type: 'contact'|'institution', id, name}.
export function RetireForm({ entry, onDone, onCancel }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const [banner, setBanner] = useState(null);
  const [busy, setBusy] = useState(false);
  const contact = entry.type === 'contact';

  async function retire(ev) {
    ev.preventDefault();
    setBanner(null);
    if (!reason.trim()) {
      setError(t('p2.err.required'));
      return;
    }
    setError('');
    setBusy(true);
    try {
      if (contact) {
        await call('hop.v1.CaseWork/RetireContact', { contactId: entry.id, reason });
      } else {
        await call('hop.v1.CaseWork/RetireInstitution', { institutionId: entry.id, reason });
      }
      onDone(t('retire.done', { name: entry.name }));
    } catch (err) {
      setBanner(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card" onSubmit={retire} noValidate data-testid="retire-form" aria-labelledby="retire-title">
      <h2 id="retire-title">{t(contact ? 'retire.contactTitle' : 'retire.institutionTitle', { name: entry.name })}</h2>
      <p class="muted">{t('retire.intro')}</p>
      {banner && <ErrorBanner error={banner} />}
      <Field as="textarea" name="reason" label={t('retire.reason')} value={reason} error={error} required
             onInput={(e) => setReason(e.currentTarget.value)} />
      <div class="actions">
        <button type="submit" disabled={busy}>{t('retire.submit')}</button>
        <button type="button" class="secondary" onClick={onCancel}>{t('directory.cancel')}</button>
      </div>
    </form>
  );
}
