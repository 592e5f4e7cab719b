// Directory (kontaktisikud): search by municipality, role, age level and topic
// (CaseWork/SearchDirectory, this node's entries and those held from the other
// municipalities); edit this municipality's entries (PutContact, PutInstitution) for the roles
// the server allows.
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api.js';
import { t, fmtDate, muniName, codeLabel, useLang } from '../i18n.js';
import { ErrorBanner, Loading, Notice } from '../components.jsx';
import { Input, Select, Checks } from './p2form.jsx';
import { useMe, useReference } from './p2hooks.js';
import { emailOk, phoneOk, errorField, errorText, num } from './p2util.js';
import { RetireForm } from './directory_retire.jsx';

const LEVELS = ['LEVEL_KINDERGARTEN', 'LEVEL_SCHOOL', 'LEVEL_MUNICIPALITY'];
const KINDS = ['INSTITUTION_KINDERGARTEN', 'INSTITUTION_SCHOOL', 'INSTITUTION_HOBBY_SCHOOL',
  'INSTITUTION_RAJALEIDJA', 'INSTITUTION_YOUTH_WORK', 'INSTITUTION_SOCIAL_WORK',
  'INSTITUTION_HEALTH', 'INSTITUTION_POLICE', 'INSTITUTION_MUNICIPALITY', 'INSTITUTION_OTHER'];
const OWNERSHIPS = ['OWNERSHIP_MUNICIPAL', 'OWNERSHIP_PRIVATE', 'OWNERSHIP_STATE'];

const CONTACT_EDITORS = ['ROLE_NETWORK_LEADER', 'ROLE_CASE_MANAGER', 'ROLE_INSTITUTION_COORDINATOR'];
const INSTITUTION_EDITORS = ['ROLE_NETWORK_LEADER', 'ROLE_CASE_MANAGER'];

function telHref(phone) {
  return 'tel:' + phone.replace(/[ -]/g, '');
}

// The node's own county first (its municipalities are the usual partners), then the others.
function municipalityOptions(ref, anyLabel) {
  const list = (ref && ref.municipalities) || [];
  const own = list.find((m) => m.code === (ref && ref.thisMunicipality));
  const county = own && own.county;
  const byName = (a, b) => a.label.localeCompare(b.label, 'et');
  const opt = (m, group) => ({ value: m.code, label: muniName(m.code), group });
  const mine = county ? list.filter((m) => m.county === county).map((m) => opt(m, county)).sort(byName) : [];
  const others = list.filter((m) => !county || m.county !== county)
    .map((m) => opt(m, county ? t('directory.otherCounties') : undefined)).sort(byName);
  return [...(anyLabel ? [{ value: '', label: anyLabel }] : []), ...mine, ...others];
}

function topicOptions(ref, withRetired) {
  const list = (ref && ref.codes && ref.codes.topics) || [];
  return list.filter((c) => withRetired || !c.retired)
    .map((c) => ({ value: c.code, label: codeLabel('topics', c.code) }));
}

// Maps an API error onto the form's fields (by the field path the server named), or returns
// it for the banner.
function splitError(e, prefix, fields) {
  const f = errorField(e);
  const short = f.startsWith(prefix) ? f.slice(prefix.length) : f;
  if (e && e.status === 400 && fields.includes(short)) {
    const errs = { [short]: errorText(e) };
    // "contact.phone, contact.email: give at least one" names two fields.
    if (short === 'phone' && /contact\.email/.test(e.message || '')) errs.email = errorText(e);
    return { fieldErrors: errs, banner: null };
  }
  return { fieldErrors: {}, banner: e };
}

function ContactForm({ initial, refData: ref, onDone, onCancel }) {
  const [c, setC] = useState({
    id: '', institutionId: '', name: '', role: '', phone: '', email: '', ageLevels: [], topics: [],
    ...initial,
  });
  const [institutions, setInstitutions] = useState(null);
  const [errs, setErrs] = useState({});
  const [banner, setBanner] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (k) => (v) => setC({ ...c, [k]: v });

  useEffect(() => {
    call('hop.v1.CaseWork/SearchDirectory', { municipality: ref.thisMunicipality })
      .then((r) => {
        const own = (r.institutions || []).filter((i) => i.municipality === ref.thisMunicipality);
        setInstitutions(own);
        if (!c.institutionId && own.length > 0) setC((x) => ({ ...x, institutionId: x.institutionId || own[0].id }));
      }, (e) => { setInstitutions([]); setBanner(e); });
  }, []);

  function check() {
    const e = {};
    if (!c.institutionId) e.institution_id = t('directory.err.institution');
    if (!c.name.trim()) e.name = t('p2.err.required');
    if (!c.role.trim()) e.role = t('p2.err.required');
    if (!c.phone && !c.email) { e.phone = t('directory.err.phoneOrEmail'); e.email = t('directory.err.phoneOrEmail'); }
    if (c.phone && !phoneOk(c.phone)) e.phone = t('p2.err.phone');
    if (c.email && !emailOk(c.email)) e.email = t('p2.err.email');
    return e;
  }

  async function save(ev) {
    ev.preventDefault();
    setBanner(null);
    const e = check();
    setErrs(e);
    if (Object.keys(e).length > 0) return;
    setBusy(true);
    try {
      const body = {
        id: c.id, institutionId: c.institutionId, name: c.name.trim(), role: c.role.trim(),
        phone: c.phone.trim(), email: c.email.trim(), ageLevels: c.ageLevels, topics: c.topics,
      };
      const saved = await call('hop.v1.CaseWork/PutContact', { contact: body });
      onDone(t('directory.savedContact', { name: saved.name }));
    } catch (err) {
      const s = splitError(err, 'contact.', ['institution_id', 'name', 'role', 'phone', 'email', 'age_levels', 'topics', 'id']);
      setErrs(s.fieldErrors);
      setBanner(s.banner);
    } finally {
      setBusy(false);
    }
  }

  const instOptions = (institutions || []).map((i) => ({ value: i.id, label: i.name }));
  return (
    <form class="card" onSubmit={save} noValidate data-testid="contact-form" aria-labelledby="contact-form-title">
      <h2 id="contact-form-title">{c.id ? t('directory.editContact') : t('directory.newContact')}</h2>
      {banner && <ErrorBanner error={banner} />}
      {institutions === null ? <Loading /> : institutions.length === 0 ? (
        <p>{t('directory.noInstitutions')}</p>
      ) : (
        <Select name="contact.institution_id" label={t('directory.f.institution')} value={c.institutionId}
                onChange={set('institutionId')} options={instOptions} error={errs.institution_id} required />
      )}
      <div class="form-grid">
      <Input name="contact.name" label={t('directory.f.name')} value={c.name} onInput={set('name')}
             error={errs.name} required autoComplete="off" />
      <Input name="contact.role" label={t('directory.f.role')} value={c.role} onInput={set('role')}
             error={errs.role} required help={t('directory.f.roleHelp')} autoComplete="off" />
      <Input name="contact.phone" label={t('directory.f.phone')} value={c.phone} onInput={set('phone')}
             error={errs.phone} type="tel" help={t('directory.f.phoneHelp')} autoComplete="off" />
      <Input name="contact.email" label={t('directory.f.email')} value={c.email} onInput={set('email')}
             error={errs.email} type="email" autoComplete="off" />
      </div>
      <Checks name="contact.age_levels" legend={t('directory.f.ageLevels')} values={c.ageLevels}
              onChange={set('ageLevels')} error={errs.age_levels}
              options={LEVELS.map((l) => ({ value: l, label: t('p2.level.' + l) }))} />
      <Checks name="contact.topics" legend={t('directory.f.topics')} values={c.topics}
              onChange={set('topics')} error={errs.topics} options={topicOptions(ref, false)} />
      <div class="actions">
        <button type="submit" disabled={busy || !institutions || institutions.length === 0}>{t('directory.save')}</button>
        <button type="button" class="secondary" onClick={onCancel}>{t('directory.cancel')}</button>
      </div>
    </form>
  );
}

function InstitutionForm({ initial, onDone, onCancel }) {
  const [i, setI] = useState({ id: '', name: '', kind: '', ownership: '', ...initial });
  const [errs, setErrs] = useState({});
  const [banner, setBanner] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (k) => (v) => setI({ ...i, [k]: v });

  async function save(ev) {
    ev.preventDefault();
    setBanner(null);
    const e = {};
    if (!i.name.trim()) e.name = t('p2.err.required');
    if (!i.kind) e.kind = t('directory.err.kind');
    if (!i.ownership) e.ownership = t('directory.err.ownership');
    setErrs(e);
    if (Object.keys(e).length > 0) return;
    setBusy(true);
    try {
      const saved = await call('hop.v1.CaseWork/PutInstitution', {
        institution: { id: i.id, name: i.name.trim(), kind: i.kind, ownership: i.ownership },
      });
      onDone(t('directory.savedInstitution', { name: saved.name }));
    } catch (err) {
      const s = splitError(err, 'institution.', ['name', 'kind', 'ownership', 'municipality', 'id']);
      setErrs(s.fieldErrors);
      setBanner(s.banner);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card" onSubmit={save} noValidate data-testid="institution-form" aria-labelledby="inst-form-title">
      <h2 id="inst-form-title">{i.id ? t('directory.editInstitution') : t('directory.newInstitution')}</h2>
      {banner && <ErrorBanner error={banner} />}
      <Input name="institution.name" label={t('directory.f.instName')} value={i.name} onInput={set('name')}
             error={errs.name} required autoComplete="off" />
      <Select name="institution.kind" label={t('directory.f.kind')} value={i.kind} onChange={set('kind')}
              error={errs.kind} required
              options={[{ value: '', label: t('directory.choose') }, ...KINDS.map((k) => ({ value: k, label: t('p2.kind.' + k) }))]} />
      <Select name="institution.ownership" label={t('directory.f.ownership')} value={i.ownership}
              onChange={set('ownership')} error={errs.ownership} required
              options={[{ value: '', label: t('directory.choose') }, ...OWNERSHIPS.map((o) => ({ value: o, label: t('p2.own.' + o) }))]} />
      <div class="actions">
        <button type="submit" disabled={busy}>{t('directory.save')}</button>
        <button type="button" class="secondary" onClick={onCancel}>{t('directory.cancel')}</button>
      </div>
    </form>
  );
}

export function DirectoryPage(props) {
  useLang();
  const me = useMe(props);
  const ref = useReference(props);
  const [q, setQ] = useState({ municipality: '', role: '', ageLevel: '', topic: '' });
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState(null);  // {type: 'contact'|'institution', value}
  const [notice, setNotice] = useState('');

  async function search(query) {
    setBusy(true);
    setError(null);
    try {
      const body = { municipality: query.municipality, role: query.role.trim(), topic: query.topic };
      if (query.ageLevel) body.ageLevel = query.ageLevel;
      setResult(await call('hop.v1.CaseWork/SearchDirectory', body));
    } catch (e) {
      setError(e);
      setResult(null);
    } finally {
      setBusy(false);
    }
  }

  useEffect(() => { search(q); }, []);

  const role = me && me.role;
  const own = ref ? ref.thisMunicipality : '';
  const canContact = CONTACT_EDITORS.includes(role);
  const canInstitution = INSTITUTION_EDITORS.includes(role);
  const institutionsById = new Map(((result && result.institutions) || []).map((i) => [i.id, i]));

  function done(msg) {
    setEditing(null);
    setNotice(msg);
    search(q);
  }

  const set = (k) => (v) => setQ({ ...q, [k]: v });

  return (
    <section aria-labelledby="directory-title">
      <h1 id="directory-title">{t('directory.title')}</h1>
      <p class="muted">{t('directory.intro')}</p>
      <form class="card" role="search" aria-label={t('directory.searchLabel')}
            onSubmit={(e) => { e.preventDefault(); setNotice(''); search(q); }}>
        <div class="form-grid">
          <Select name="municipality" label={t('directory.q.municipality')} value={q.municipality}
                  onChange={set('municipality')} options={municipalityOptions(ref, t('directory.any'))} />
          <Input name="role" label={t('directory.q.role')} value={q.role} onInput={set('role')}
                 help={t('directory.q.roleHelp')} autoComplete="off" />
          <Select name="age_level" label={t('directory.q.ageLevel')} value={q.ageLevel}
                  onChange={set('ageLevel')}
                  options={[{ value: '', label: t('directory.any') }, ...LEVELS.map((l) => ({ value: l, label: t('p2.level.' + l) }))]} />
          <Select name="topic" label={t('directory.q.topic')} value={q.topic} onChange={set('topic')}
                  options={[{ value: '', label: t('directory.any') }, ...topicOptions(ref, true)]} />
        </div>
        <button type="submit" disabled={busy} data-testid="directory-search">{t('directory.search')}</button>
      </form>

      {(canContact || canInstitution) && ref && !editing && (
        <div class="actions">
          {canContact && <button type="button" data-testid="new-contact" onClick={() => { setNotice(''); setEditing({ type: 'contact', value: {} }); }}>{t('directory.newContact')}</button>}
          {canInstitution && <button type="button" data-testid="new-institution" onClick={() => { setNotice(''); setEditing({ type: 'institution', value: {} }); }}>{t('directory.newInstitution')}</button>}
        </div>
      )}
      {editing && editing.type === 'contact' && (
        <ContactForm initial={editing.value} refData={ref} onDone={done} onCancel={() => setEditing(null)} />
      )}
      {editing && editing.type === 'institution' && (
        <InstitutionForm initial={editing.value} onDone={done} onCancel={() => setEditing(null)} />
      )}
      {editing && editing.type === 'retire' && (
        <RetireForm entry={editing.value} onDone={done} onCancel={() => setEditing(null)} />
      )}
      <Notice>{notice}</Notice>
      {error && <ErrorBanner error={error} />}
      {busy && !result && <Loading />}

      {result && (
        <>
          <h2>{t('directory.contacts', { n: (result.contacts || []).length })}</h2>
          {(result.contacts || []).length === 0 ? <p data-testid="no-contacts">{t('directory.noContacts')}</p> : (
            <div class="table-wrap">
              <table data-testid="contacts">
                <thead>
                  <tr>
                    <th scope="col">{t('directory.col.name')}</th>
                    <th scope="col">{t('directory.col.role')}</th>
                    <th scope="col">{t('directory.col.institution')}</th>
                    <th scope="col">{t('directory.col.contact')}</th>
                    <th scope="col">{t('directory.col.levels')}</th>
                    <th scope="col">{t('directory.col.topics')}</th>
                    {canContact && <th scope="col">{t('directory.col.actions')}</th>}
                  </tr>
                </thead>
                <tbody>
                  {result.contacts.map((c) => {
                    const inst = institutionsById.get(c.institutionId);
                    return (
                      <tr key={c.id} data-contact-id={c.id}>
                        <th scope="row">{c.name}</th>
                        <td>{c.role}</td>
                        <td>{inst ? inst.name : c.institutionId}<div class="hint">{muniName(c.municipality)}</div></td>
                        <td>
                          {c.phone && <a href={telHref(c.phone)} aria-label={t('directory.call', { name: c.name, phone: c.phone })}>{c.phone}</a>}
                          {c.phone && c.email && <br />}
                          {c.email && <a href={'mailto:' + c.email}>{c.email}</a>}
                        </td>
                        <td>{(c.ageLevels || []).map((l) => t('p2.level.' + l)).join(', ')}</td>
                        <td>{(c.topics || []).map((x) => codeLabel('topics', x)).join(', ')}</td>
                        {canContact && (
                          <td>
                            {c.municipality === own && !editing && (
                              <button type="button" class="secondary"
                                      aria-label={t('directory.editContactOf', { name: c.name })}
                                      onClick={() => setEditing({ type: 'contact', value: {
                                        id: c.id, institutionId: c.institutionId, name: c.name, role: c.role,
                                        phone: c.phone || '', email: c.email || '',
                                        ageLevels: c.ageLevels || [], topics: c.topics || [] } })}>
                                {t('directory.edit')}
                              </button>
                            )}
                            {c.municipality === own && !editing && (
                              <button type="button" class="secondary" data-testid="retire-contact"
                                      onClick={() => setEditing({ type: 'retire', value: { type: 'contact', id: c.id, name: c.name } })}>
                                {t('retire.button')}
                              </button>
                            )}
                          </td>
                        )}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}

          <h2>{t('directory.institutions', { n: (result.institutions || []).length })}</h2>
          {(result.institutions || []).length === 0 ? <p>{t('directory.noInstitutionsFound')}</p> : (
            <div class="table-wrap">
              <table data-testid="institutions">
                <thead>
                  <tr>
                    <th scope="col">{t('directory.col.instName')}</th>
                    <th scope="col">{t('directory.col.kind')}</th>
                    <th scope="col">{t('directory.col.ownership')}</th>
                    <th scope="col">{t('directory.col.municipality')}</th>
                    <th scope="col">{t('directory.col.updated')}</th>
                    {canInstitution && <th scope="col">{t('directory.col.actions')}</th>}
                  </tr>
                </thead>
                <tbody>
                  {result.institutions.map((i) => (
                    <tr key={i.id} data-institution-id={i.id}>
                      <th scope="row">{i.name}</th>
                      <td>{t('p2.kind.' + i.kind)}</td>
                      <td>{t('p2.own.' + i.ownership)}</td>
                      <td>{muniName(i.municipality)}</td>
                      <td>{num(i.updatedAt) ? fmtDate(num(i.updatedAt)) : '–'}</td>
                      {canInstitution && (
                        <td>
                          {i.municipality === own && !editing && (
                            <button type="button" class="secondary"
                                    aria-label={t('directory.editInstitutionOf', { name: i.name })}
                                    onClick={() => setEditing({ type: 'institution', value: { id: i.id, name: i.name, kind: i.kind, ownership: i.ownership } })}>
                              {t('directory.edit')}
                            </button>
                          )}
                          {i.municipality === own && !editing && (
                            <button type="button" class="secondary" data-testid="retire-institution"
                                    onClick={() => setEditing({ type: 'retire', value: { type: 'institution', id: i.id, name: i.name } })}>
                              {t('retire.button')}
                            </button>
                          )}
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}

export default DirectoryPage;
