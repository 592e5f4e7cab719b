// A case summary as it crosses between municipalities (hop.v1.CaseSummary): what the owner
// shares under a consent or the child-protection basis, with the responsible contact.
import { t, fmtDate, fmtDateTime, fmtIsoDate, muniName, codeLabel } from './i18n.js';
import { useEffect, useState } from 'preact/hooks';
import { call } from './api.js';
import { Table } from './components.jsx';

// {institution id: name} from the directory (this node's and those held from sync); null
// while loading, {} when it cannot be read.
export function useInstitutionNames() {
  const [names, setNames] = useState(null);
  useEffect(() => {
    call('hop.v1.CaseWork/SearchDirectory', {})
      .then((r) => setNames(Object.fromEntries((r.institutions || []).map((i) => [i.id, i.name]))))
      .catch(() => setNames({}));
  }, []);
  return names;
}

export function stageName(stage) {
  return stage && stage !== 'STAGE_UNSPECIFIED' ? t('stage.' + stage) : '';
}
export function levelName(level) {
  return level && level !== 'LEVEL_UNSPECIFIED' ? t('level.' + level) : '';
}
export function statusName(s) {
  return s && s !== 'CASE_STATUS_UNSPECIFIED' ? t('status.' + s) : '';
}
export function contactRoleName(role) {
  const key = 'contactRole.' + role;
  const s = t(key);
  return s === key ? role : s;
}

export function NeedTags({ needs }) {
  if (!needs || needs.length === 0) return <span class="muted">{t('summary.noNeeds')}</span>;
  return (
    <ul class="tags" aria-label={t('summary.needs')}>
      {needs.map((n) => <li class="tag" key={n} data-need={n}>{codeLabel('needAreas', n)}</li>)}
    </ul>
  );
}

export function Contact({ contact }) {
  if (!contact || (!contact.name && !contact.phone && !contact.email)) {
    return <span class="muted">{t('summary.noContact')}</span>;
  }
  return (
    <div class="contact" data-testid="responsible-contact">
      <strong>{contact.name}</strong>
      {contact.role ? <>, {contactRoleName(contact.role)}</> : null}
      {contact.municipality ? <> – {muniName(contact.municipality)}</> : null}
      <ul class="contact-links">
        {contact.phone ? (
          <li>{t('contact.phone')}: <a href={'tel:' + contact.phone.replace(/[\s-]/g, '')}>{contact.phone}</a></li>
        ) : null}
        {contact.email ? (
          <li>{t('contact.email')}: <a href={'mailto:' + contact.email}>{contact.email}</a></li>
        ) : null}
      </ul>
    </div>
  );
}

// summary: CaseSummary; receivedAt/originSyncedAt: unix seconds (held copies); headingLevel.
// institutions: {id: name} from the directory (providers by name), optional.
export function SummaryCard({ summary, receivedAt, originSyncedAt, headingLevel = 3, asItem = true, institutions }) {
  const s = summary || {};
  const H = 'h' + headingLevel;
  const cp = s.basis === 'SHARE_BASIS_CHILD_PROTECTION';
  const body = (
    <>
      <H>{muniName(s.origin)}</H>
      <dl class="props">
        <dt>{t('summary.basis')}</dt>
        <dd>
          {cp ? <span class="tag cp">{t('summary.basisCp')}</span> : t('summary.basisConsent')}
          {!cp && s.consentId ? <span class="muted"> ({t('summary.consentId', { id: s.consentId })})</span> : null}
        </dd>
        {s.caseId ? (<><dt>{t('summary.caseId')}</dt><dd>{s.caseId}</dd></>) : null}
        {levelName(s.level) ? (<><dt>{t('case.level')}</dt><dd>{levelName(s.level)}</dd></>) : null}
        {stageName(s.stage) ? (<><dt>{t('case.stage')}</dt><dd data-stage={s.stage}>{stageName(s.stage)}</dd></>) : null}
        {s.childProtection ? (<><dt>{t('case.childProtection')}</dt><dd><span class="tag cp">{t('case.cpYes')}</span></dd></>) : null}
        <dt>{t('summary.needs')}</dt>
        <dd><NeedTags needs={s.needAreas} /></dd>
        {s.services && s.services.length ? (
          <>
            <dt>{t('summary.services')}</dt>
            <dd>
              <ul class="plain">
                {s.services.map((v, i) => (
                  <li key={i}>
                    {codeLabel('serviceTypes', v.type)}
                    {v.provider ? ` – ${institutions && institutions[v.provider] ? `${institutions[v.provider]} (${v.provider})` : v.provider}` : ''}
                    {v.municipality ? `, ${muniName(v.municipality)}` : ''}
                    {' '}({fmtIsoDate(v.startDate)}–{v.endDate ? fmtIsoDate(v.endDate) : t('service.ongoing')})
                    {v.outcome ? `; ${t('service.outcome')}: ${codeLabel('outcomes', v.outcome)}` : ''}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        <dt>{t('summary.freshness')}</dt>
        <dd data-testid="freshness">
          {receivedAt && receivedAt !== '0' ? <>{t('summary.received', { when: fmtDateTime(receivedAt) })}<br /></> : null}
          {s.updatedAt && s.updatedAt !== '0' ? <>{t('summary.updated', { when: fmtDateTime(s.updatedAt) })}<br /></> : null}
          {originSyncedAt && originSyncedAt !== '0' ? t('summary.synced', { when: fmtDateTime(originSyncedAt) }) : null}
          {originSyncedAt === '0' ? t('summary.neverSynced') : null}
        </dd>
        {s.expiresAt && s.expiresAt !== '0' ? (<><dt>{t('summary.expires')}</dt><dd>{fmtDate(s.expiresAt)}</dd></>) : null}
        <dt>{t('summary.responsible')}</dt>
        <dd><Contact contact={s.responsible} /></dd>
      </dl>
    </>
  );
  if (!asItem) return <div class="card summary">{body}</div>;
  return <li class="card summary" data-origin={s.origin} data-case-summary={s.caseId}>{body}</li>;
}

// Cases of this node as rows (data-case-id); a click opens the case on the Case page.
export function CaseTable({ cases, go, caption, empty }) {
  const open = (c) => go('case', { caseId: c.id });
  return (
    <Table
      caption={caption}
      rows={cases}
      rowKey={(c) => c.id}
      rowProps={(c) => ({ 'data-case-id': c.id, class: 'clickable', onClick: () => open(c) })}
      empty={empty}
      columns={[
        { key: 'id', label: t('case.id'), render: (c) => (
          <button type="button" class="link" onClick={(e) => { e.stopPropagation(); open(c); }}>{c.id}</button>
        ) },
        { key: 'child', label: t('case.child'), render: (c) => (c.child && c.child.name) || '' },
        { key: 'level', label: t('case.level'), render: (c) => levelName(c.level) },
        { key: 'stage', label: t('case.stage'), render: (c) => (
          <>{stageName(c.stage)}{c.childProtection ? <> <span class="tag cp">{t('case.cpShort')}</span></> : null}</>
        ) },
        { key: 'status', label: t('case.status'), render: (c) => statusName(c.status) },
        { key: 'needs', label: t('case.needs'), render: (c) => <NeedTags needs={c.needAreas} /> },
        { key: 'responsible', label: t('case.responsible'), render: (c) => c.responsibleUser || '' },
        { key: 'updated', label: t('case.updated'), render: (c) => fmtDateTime(c.updatedAt || c.createdAt) },
      ]}
    />
  );
}
