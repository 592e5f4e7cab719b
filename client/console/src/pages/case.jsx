// Case: the cases the caller may see (CaseWork/ListCases), opening a case (OpenCase), and one
// case whole (GetCase) with its stage history, needs, action plan, services, assessments,
// relations and notes, and the forms that change it. The case being viewed is app state
// (props.state.caseId), never in the address.
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api.js';
import { t, fmtDateTime, fmtIsoDate, muniName, codeLabel } from '../i18n.js';
import { ErrorBanner, Loading, Table, Field, useAction } from '../components.jsx';
import { SpecForm, codeOptions, muniOptions } from '../form.jsx';
import { isikukoodError } from '../isikukood.js';
import { NeedTags, CaseTable, stageName, levelName, statusName, useInstitutionNames } from '../summary.jsx';
import { CaseWorkForms, ReopenForm, eventText, doneText } from './casework2.jsx';
import { AssigneeAndMoveForms } from './console13.jsx';

const STAGES = ['STAGE_I', 'STAGE_II', 'STAGE_III'];
const LEVELS = ['LEVEL_KINDERGARTEN', 'LEVEL_SCHOOL', 'LEVEL_MUNICIPALITY'];
const COORDINATORS_UP = ['ROLE_INSTITUTION_COORDINATOR', 'ROLE_CASE_MANAGER', 'ROLE_CHILD_PROTECTION'];

function userLabel(id) {
  return id || t('case.nobody');
}

// ----- list of cases and opening one -------------------------------------------------------

function CaseList({ go }) {
  const [filter, setFilter] = useState({ status: 'CASE_OPEN', stage: '', isikukood: '', cpOnly: false });
  const [ikErr, setIkErr] = useState('');
  const [cases, setCases] = useState(null);
  const [next, setNext] = useState('');
  const list = useAction();

  async function load(pageToken = '') {
    const ik = filter.isikukood.trim();
    const e = isikukoodError(ik, false);
    setIkErr(e);
    if (e) return;
    const req = { limit: 100 };
    if (filter.status) req.status = filter.status;
    if (filter.stage) req.stage = filter.stage;
    if (ik) req.childIsikukood = ik;
    if (filter.cpOnly) req.childProtectionOnly = true;
    if (pageToken) req.pageToken = pageToken;
    const r = await list.run(() => call('hop.v1.CaseWork/ListCases', req));
    if (r) {
      setCases((old) => (pageToken && old ? [...old, ...(r.cases || [])] : r.cases || []));
      setNext(r.nextPageToken || '');
    }
  }
  useEffect(() => { load(); }, []);

  const set = (k) => (e) => setFilter((f) => ({ ...f, [k]: e.currentTarget.type === 'checkbox' ? e.currentTarget.checked : e.currentTarget.value }));
  return (
    <section aria-labelledby="cases-h2">
      <h2 id="cases-h2">{t('case.listTitle')}</h2>
      <form class="filters" data-testid="case-filter" noValidate onSubmit={(e) => { e.preventDefault(); load(); }}>
        <div class="form-grid">
          <Field name="status" label={t('case.status')} as="select" value={filter.status} onChange={set('status')}>
            <option value="">{t('case.any')}</option>
            <option value="CASE_OPEN">{t('status.CASE_OPEN')}</option>
            <option value="CASE_CLOSED">{t('status.CASE_CLOSED')}</option>
          </Field>
          <Field name="stage" label={t('case.stage')} as="select" value={filter.stage} onChange={set('stage')}>
            <option value="">{t('case.any')}</option>
            {STAGES.map((s) => <option key={s} value={s}>{stageName(s)}</option>)}
          </Field>
          <Field name="child_isikukood" label={t('case.filterIsikukood')} value={filter.isikukood}
            inputMode="numeric" autoComplete="off" maxLength={11} error={ikErr} onInput={set('isikukood')} />
          <div class="field checkbox-field">
            <label class="checkbox">
              <input type="checkbox" name="child_protection_only" checked={filter.cpOnly} onChange={set('cpOnly')} />
              {' '}{t('case.cpOnly')}
            </label>
          </div>
        </div>
        <div class="actions"><button type="submit" disabled={list.busy}>{t('case.filter')}</button></div>
      </form>
      <ErrorBanner error={list.error} />
      {cases === null && list.busy ? <Loading /> : null}
      {cases !== null ? <CaseTable cases={cases} go={go} caption={t('case.listCaption')} empty={t('case.noCases')} /> : null}
      {next ? <button type="button" class="secondary" disabled={list.busy} onClick={() => load(next)}>{t('case.more')}</button> : null}
    </section>
  );
}

function OpenCaseForm({ reference, go }) {
  const [institutions, setInstitutions] = useState(null);
  useEffect(() => {
    const muni = reference && reference.thisMunicipality;
    call('hop.v1.CaseWork/SearchDirectory', muni ? { municipality: muni } : {})
      .then((r) => setInstitutions((r.institutions || []).filter((i) => !muni || i.municipality === muni)))
      .catch(() => setInstitutions([]));
  }, []);
  // A picker of this municipality's institutions (empty while loading); a text field when the
  // directory cannot be read or has none.
  const instField = institutions === null || institutions.length
    ? { name: 'institution_id', label: t('case.institution'), type: 'select', required: true,
        options: (institutions || []).map((i) => ({ value: i.id, label: `${i.name} (${i.id})` })) }
    : { name: 'institution_id', label: t('case.institutionId'), required: true, hint: t('case.institutionIdHint') };
  return (
    <section aria-labelledby="open-h2" class="card no-print">
      <h2 id="open-h2">{t('case.openTitle')}</h2>
      <SpecForm
        testid="open-case-form"
        submitTestid="open-case-submit"
        submitLabel={t('case.openSubmit')}
        fields={[
          { name: 'child.isikukood', label: t('case.childIsikukood'), type: 'isikukood', required: true },
          { name: 'child.name', label: t('case.childName'), required: true },
          { name: 'level', label: t('case.level'), type: 'select', required: true,
            options: LEVELS.map((l) => ({ value: l, label: levelName(l) })) },
          instField,
          { name: 'need_areas', label: t('case.needAreas'), type: 'checkboxes', options: codeOptions(reference, 'needAreas') },
          { name: 'reason', label: t('case.openReason'), type: 'textarea' },
        ]}
        onSubmit={async (v) => {
          const c = await call('hop.v1.CaseWork/OpenCase', {
            child: { isikukood: v['child.isikukood'].trim(), name: v['child.name'].trim() },
            level: v.level,
            institutionId: v.institution_id.trim(),
            needAreas: v.need_areas,
            reason: v.reason,
          });
          go('case', { caseId: c.id });
          return c;
        }}
      />
    </section>
  );
}

// Opens a case by its id ("0283-C000001"): the API says whether the caller may see it.
function OpenById({ go, reference }) {
  const [id, setId] = useState('');
  const [err, setErr] = useState('');
  function submit(e) {
    e.preventDefault();
    const v = id.trim();
    if (!v) { setErr(t('common.required')); return; }
    if (!/^\d{4}-C\d+$/.test(v)) { setErr(t('case.idShape')); return; }
    go('case', { caseId: v });
  }
  return (
    <section aria-labelledby="open-id-h2">
      <h2 id="open-id-h2">{t('case.openByIdTitle')}</h2>
      <form data-testid="case-open-id" noValidate onSubmit={submit}>
        <div class="form-grid">
          <Field name="case_id" label={t('case.caseId')} value={id} autoComplete="off" spellcheck={false}
            hint={t('case.caseIdHint', { code: (reference && reference.thisMunicipality) || '0793' })} error={err} onInput={(e) => { setId(e.currentTarget.value); setErr(''); }} />
        </div>
        <div class="actions"><button type="submit">{t('case.openById')}</button></div>
      </form>
    </section>
  );
}

// ----- one case ----------------------------------------------------------------------------

function Section({ title, id, children }) {
  return (
    <section aria-labelledby={id} class="case-section">
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function FormPanel({ title, testid, children }) {
  return (
    <details class="form-panel" data-testid={testid ? testid + '-panel' : undefined}>
      <summary>{title}</summary>
      {children}
    </details>
  );
}

// "Tartu Kesklinna Kool (0793-I000001)" when the directory knows the id, else the id.
function instLabel(names, id) {
  if (!id) return '';
  return names && names[id] ? `${names[id]} (${id})` : id;
}

// Issue 13: the people assigned to the case and the institutions it left (shown when any), and
// the history entries of those events ('' for a stage move).
function AssignmentProps({ c, institutions }) {
  const assignees = c.assignees || [];
  const former = c.formerInstitutions || [];
  return (
    <>
      {assignees.length > 0 && <dt>{t('case.assignees')}</dt>}
      {assignees.length > 0 && (
        <dd data-testid="case-assignees">{assignees.map((a) => `${userLabel(a.userId)}: ${a.task || ''}`).join('; ')}</dd>
      )}
      {former.length > 0 && <dt>{t('case.formerInstitutions')}</dt>}
      {former.length > 0 && (
        <dd data-testid="case-former">
          {former.map((f) => t('case.formerUntil', { inst: instLabel(institutions, f.institutionId), until: fmtDateTime(f.readUntil) })).join('; ')}
        </dd>
      )}
    </>
  );
}

function assignmentEvent(h, institutions) {
  if (h.event === 'CASE_EVENT_INSTITUTION_CHANGED') {
    return t('case.historyMoved', { from: instLabel(institutions, h.fromInstitution), to: instLabel(institutions, h.toInstitution) });
  }
  if (h.event === 'CASE_EVENT_ASSIGNED') return t('case.historyAssigned');
  return '';
}

function CaseView({ c, institutions }) {
  const r = c.related || {};
  return (
    <>
      <dl class="props" data-testid="case-props">
        <dt>{t('case.child')}</dt>
        <dd>{(c.child && c.child.name) || ''} <span class="muted">({(c.child && c.child.isikukood) || ''})</span></dd>
        <dt>{t('case.origin')}</dt><dd>{muniName(c.origin)}</dd>
        <dt>{t('case.level')}</dt><dd>{levelName(c.level)}</dd>
        <dt>{t('case.stage')}</dt><dd data-testid="case-stage" data-stage={c.stage}>{stageName(c.stage)}</dd>
        <dt>{t('case.childProtection')}</dt>
        <dd data-testid="cp-flag" data-cp={c.childProtection ? 'true' : 'false'}>
          {c.childProtection ? <span class="tag cp">{t('case.cpYes')}</span> : t('case.cpNo')}
        </dd>
        <dt>{t('case.status')}</dt>
        <dd data-testid="case-status" data-status={c.status}>
          {statusName(c.status)}{c.closingReason ? ` – ${c.closingReason}` : ''}
        </dd>
        <dt>{t('case.institution')}</dt><dd>{instLabel(institutions, c.institutionId)}</dd>
        <dt>{t('case.responsible')}</dt><dd data-testid="case-responsible">{userLabel(c.responsibleUser)}</dd>
        <dt>{t('case.caseManager')}</dt><dd data-testid="case-manager">{userLabel(c.caseManager)}</dd>
        <AssignmentProps c={c} institutions={institutions} />
        <dt>{t('case.created')}</dt><dd>{fmtDateTime(c.createdAt)}</dd>
        <dt>{t('case.updated')}</dt><dd>{fmtDateTime(c.updatedAt)}</dd>
      </dl>

      <Section title={t('case.history')} id="h-history">
        <Table
          rows={c.history || []}
          empty={t('case.noHistory')}
          columns={[
            { key: 'at', label: t('case.when'), render: (h) => fmtDateTime(h.at) },
            { key: 'change', label: t('case.change'), render: (h) => assignmentEvent(h, institutions) || eventText(h, stageName(h.toStage)) || (
              h.toChildProtection && h.fromStage === h.toStage
                ? t('case.historyToCp', { stage: stageName(h.toStage) })
                : (h.fromStage && h.fromStage !== 'STAGE_UNSPECIFIED'
                  ? `${stageName(h.fromStage)} → ${stageName(h.toStage)}`
                  : t('case.historyOpened', { stage: stageName(h.toStage) }))
            ) },
            { key: 'by', label: t('case.by'), render: (h) => h.byUser },
            { key: 'reason', label: t('case.reason'), render: (h) => h.reason },
          ]}
        />
      </Section>

      <Section title={t('case.needs')} id="h-needs">
        <NeedTags needs={c.needAreas} />
      </Section>

      <Section title={t('case.actionPlan')} id="h-plan">
        <Table
          rows={c.actionPlan || []}
          rowKey={(a) => a.id}
          empty={t('case.noActions')}
          columns={[
            { key: 'description', label: t('action.description') },
            { key: 'responsibleUser', label: t('action.responsible') },
            { key: 'dueDate', label: t('action.due'), render: (a) => fmtIsoDate(a.dueDate) },
            { key: 'evaluationDate', label: t('action.evaluation'), render: (a) => fmtIsoDate(a.evaluationDate) },
            { key: 'done', label: t('cw2.done.column'), render: (a) => doneText(a) },
          ]}
        />
      </Section>

      <Section title={t('case.services')} id="h-services">
        <Table
          rows={c.services || []}
          rowKey={(s) => s.id}
          empty={t('case.noServices')}
          columns={[
            { key: 'type', label: t('service.type'), render: (s) => codeLabel('serviceTypes', s.type) },
            { key: 'provider', label: t('service.provider'), render: (s) => instLabel(institutions, s.provider) },
            { key: 'municipality', label: t('service.municipality'), render: (s) => muniName(s.municipality) },
            { key: 'period', label: t('service.period'), render: (s) => `${fmtIsoDate(s.startDate)} – ${s.endDate ? fmtIsoDate(s.endDate) : t('service.ongoing')}` },
            { key: 'outcome', label: t('service.outcome'), render: (s) => codeLabel('outcomes', s.outcome) },
            { key: 'note', label: t('service.transportNote'), render: (s) => s.transportPaymentNote },
          ]}
        />
      </Section>

      <Section title={t('case.assessments')} id="h-assessments">
        <Table
          rows={c.assessments || []}
          empty={t('case.noAssessments')}
          columns={[
            { key: 'date', label: t('assessment.date'), render: (a) => fmtIsoDate(a.date) },
            { key: 'conclusion', label: t('assessment.conclusion') },
            { key: 'byUser', label: t('case.by') },
          ]}
        />
      </Section>

      <Section title={t('case.relations')} id="h-relations">
        <dl class="props" data-testid="case-relations">
          <dt>{t('relations.registered')}</dt><dd>{muniName(r.registeredResidence) || t('relations.none')}</dd>
          <dt>{t('relations.actual')}</dt>
          <dd>{(r.actualResidences || []).length ? r.actualResidences.map(muniName).join('; ') : t('relations.none')}</dd>
          <dt>{t('relations.institution')}</dt><dd>{muniName(r.institutionMunicipality) || t('relations.none')}</dd>
        </dl>
      </Section>

      <Section title={t('case.notes')} id="h-notes">
        {(c.notes || []).length ? (
          <ol class="notes">
            {c.notes.map((n, i) => (
              <li key={i} class="note">
                <p class="muted">{t('note.meta', { by: n.byUser, when: fmtDateTime(n.at) })}</p>
                <p class="note-text">{n.text}</p>
              </li>
            ))}
          </ol>
        ) : <p class="empty">{t('case.noNotes')}</p>}
      </Section>
    </>
  );
}

function CaseForms({ c, who, reference, institutions, onCase }) {
  const caseId = c.id;
  const send = (method, body) => call('hop.v1.CaseWork/' + method, { caseId, ...body }).then((r) => { onCase(r); return r; });
  const stageIdx = STAGES.indexOf(c.stage);
  const nextStage = stageIdx >= 0 && stageIdx < STAGES.length - 1 ? STAGES[stageIdx + 1] : '';
  const mayCoordinate = who && COORDINATORS_UP.includes(who.role);
  const saved = t('form.saved');
  return (
    <Section title={t('case.actions')} id="h-actions">
      {nextStage ? (
        <FormPanel title={t('escalate.title', { stage: stageName(nextStage) })} testid="escalate-form">
          <SpecForm key={nextStage} testid="escalate-form" submitLabel={t('escalate.submit')} doneText={saved}
            initial={{ to_stage: nextStage }}
            fields={[
              { name: 'to_stage', label: t('escalate.toStage'), type: 'select', required: true,
                placeholderOption: false, options: [{ value: nextStage, label: stageName(nextStage) }],
                hint: t('escalate.hint') },
              { name: 'reason', label: t('case.reason'), type: 'textarea', required: true },
            ]}
            onSubmit={(v) => send('Escalate', { toStage: v.to_stage, reason: v.reason })} />
        </FormPanel>
      ) : null}
      {!c.childProtection ? (
        <FormPanel title={t('cp.title')} testid="cp-form">
          <SpecForm testid="cp-form" submitLabel={t('cp.submit')} doneText={saved} danger intro={t('cp.intro')}
            fields={[{ name: 'reason', label: t('case.reason'), type: 'textarea', required: true }]}
            onSubmit={(v) => send('MoveToChildProtection', { reason: v.reason })} />
        </FormPanel>
      ) : null}
      {mayCoordinate ? (
        <FormPanel title={t('assign.title')} testid="assign-form">
          <SpecForm testid="assign-form" submitLabel={t('assign.submit')} doneText={saved} intro={t('assign.intro')}
            fields={[
              { name: 'responsible_user', label: t('case.responsible'), hint: t('assign.userHint') },
              { name: 'case_manager', label: t('case.caseManager'), hint: t('assign.userHint') },
            ]}
            validate={(v) => (!v.responsible_user.trim() && !v.case_manager.trim() ? { responsible_user: t('assign.giveOne') } : {})}
            onSubmit={(v) => send('Assign', { responsibleUser: v.responsible_user.trim(), caseManager: v.case_manager.trim() })} />
        </FormPanel>
      ) : null}
      <FormPanel title={t('needs.title')} testid="needs-form">
        <SpecForm testid="needs-form" submitLabel={t('needs.submit')} doneText={saved}
          fields={[{ name: 'need_areas', label: t('case.needAreas'), type: 'checkboxes', required: true,
            requiredText: t('needs.pick'), options: codeOptions(reference, 'needAreas', c.needAreas || []) }]}
          onSubmit={(v) => send('AddNeeds', { needAreas: v.need_areas })} />
      </FormPanel>
      <FormPanel title={t('action.title')} testid="action-form">
        <SpecForm testid="action-form" submitLabel={t('action.submit')} doneText={saved}
          fields={[
            { name: 'item.description', label: t('action.description'), type: 'textarea', required: true },
            { name: 'item.responsible_user', label: t('action.responsible'), hint: t('assign.userHint') },
            { name: 'item.due_date', label: t('action.due'), type: 'date' },
            { name: 'item.evaluation_date', label: t('action.evaluation'), type: 'date' },
          ]}
          onSubmit={(v) => send('AddActionItem', { item: {
            description: v['item.description'], responsibleUser: v['item.responsible_user'].trim(),
            dueDate: v['item.due_date'], evaluationDate: v['item.evaluation_date'] } })} />
      </FormPanel>
      <FormPanel title={t('service.title')} testid="service-form">
        <SpecForm testid="service-form" submitLabel={t('service.submit')} doneText={saved}
          initial={{ 'service.municipality': (reference && reference.thisMunicipality) || '' }}
          fields={[
            { name: 'service.type', label: t('service.type'), type: 'select', required: true, options: codeOptions(reference, 'serviceTypes') },
            institutions && Object.keys(institutions).length
              ? { name: 'service.provider', label: t('service.providerPick'), type: 'select', emptyLabel: t('service.noProvider'),
                  options: Object.entries(institutions).sort((a, b) => a[1].localeCompare(b[1], 'et'))
                    .map(([id, name]) => ({ value: id, label: `${name} (${id})` })) }
              : { name: 'service.provider', label: t('service.provider'), hint: t('service.providerHint') },
            { name: 'service.municipality', label: t('service.municipality'), type: 'select', required: true, options: muniOptions(reference) },
            { name: 'service.start_date', label: t('service.start'), type: 'date', required: true },
            { name: 'service.end_date', label: t('service.end'), type: 'date', hint: t('service.endHint') },
            { name: 'service.outcome', label: t('service.outcome'), type: 'select', options: codeOptions(reference, 'outcomes'), emptyLabel: t('service.noOutcome') },
            { name: 'service.transport_payment_note', label: t('service.transportNote'), type: 'textarea', hint: t('service.transportHint') },
          ]}
          validate={(v) => (v['service.end_date'] && v['service.start_date'] && v['service.end_date'] < v['service.start_date']
            ? { 'service.end_date': t('service.endBeforeStart') } : {})}
          onSubmit={(v) => send('AddService', { service: {
            type: v['service.type'], provider: v['service.provider'].trim(), municipality: v['service.municipality'],
            startDate: v['service.start_date'], endDate: v['service.end_date'], outcome: v['service.outcome'],
            transportPaymentNote: v['service.transport_payment_note'] } })} />
      </FormPanel>
      <FormPanel title={t('relations.title')} testid="relations-form">
        <SpecForm testid="relations-form" submitLabel={t('relations.submit')} doneText={saved} intro={t('relations.intro')}
          fields={[
            { name: 'related.registered_residence', label: t('relations.registered'), type: 'select', options: muniOptions(reference), emptyLabel: t('relations.keep') },
            { name: 'related.actual_residences', label: t('relations.actualSet'), type: 'checkboxes', options: muniOptions(reference), maxItems: 4, hint: t('relations.actualHint'), moreLabel: t('common.otherCounties') },
            { name: 'related.institution_municipality', label: t('relations.institution'), type: 'select', options: muniOptions(reference), emptyLabel: t('relations.keep') },
            ...((c.related && c.related.registeredResidence) ? [{ name: 'end_registered_residence', label: t('relations.endRegistered'), type: 'checkboxes',
              options: [{ value: 'yes', label: t('relations.endRegisteredOption', { muni: muniName(c.related.registeredResidence) }) }] }] : []),
            ...((c.related && (c.related.actualResidences || []).length) ? [{ name: 'end_actual_residences', label: t('relations.endActual'), type: 'checkboxes',
              options: c.related.actualResidences.map((m) => ({ value: m, label: muniName(m) })) }] : []),
          ]}
          validate={(v) => {
            const e = {};
            const ending = (v.end_registered_residence || []).length > 0;
            if (ending && v['related.registered_residence']) e['related.registered_residence'] = t('relations.setOrEnd');
            const both = (v.end_actual_residences || []).filter((m) => (v['related.actual_residences'] || []).includes(m));
            if (both.length) e.end_actual_residences = t('relations.setAndEnd', { muni: both.map(muniName).join(', ') });
            const nothing = !v['related.registered_residence'] && !(v['related.actual_residences'] || []).length &&
              !v['related.institution_municipality'] && !ending && !(v.end_actual_residences || []).length;
            if (nothing) e['related.registered_residence'] = t('relations.nothing');
            return e;
          }}
          onSubmit={(v) => send('SetRelatedMunicipalities', {
            related: { registeredResidence: v['related.registered_residence'], actualResidences: v['related.actual_residences'],
              institutionMunicipality: v['related.institution_municipality'] },
            endRegisteredResidence: (v.end_registered_residence || []).length > 0,
            endActualResidences: v.end_actual_residences || [] })} />
      </FormPanel>
      <FormPanel title={t('assessment.title')} testid="assessment-form">
        <SpecForm testid="assessment-form" submitLabel={t('assessment.submit')} doneText={saved}
          fields={[
            { name: 'assessment.date', label: t('assessment.date'), type: 'date', required: true },
            { name: 'assessment.conclusion', label: t('assessment.conclusion'), type: 'textarea', required: true },
          ]}
          onSubmit={(v) => send('AddAssessment', { assessment: { date: v['assessment.date'], conclusion: v['assessment.conclusion'] } })} />
      </FormPanel>
      <FormPanel title={t('note.title')} testid="note-form">
        <SpecForm testid="note-form" submitLabel={t('note.submit')} doneText={saved} intro={t('note.intro')}
          fields={[{ name: 'text', label: t('note.text'), type: 'textarea', required: true }]}
          onSubmit={(v) => send('AddNote', { text: v.text })} />
      </FormPanel>
      <CaseWorkForms c={c} who={who} reference={reference} send={send} Panel={FormPanel} />
      <AssigneeAndMoveForms c={c} who={who} reference={reference} send={send} Panel={FormPanel} />
      {mayCoordinate ? (
        <FormPanel title={t('close.title')} testid="close-form">
          <SpecForm testid="close-form" submitLabel={t('close.submit')} doneText={saved} danger
            fields={[{ name: 'reason', label: t('close.reason'), type: 'textarea', required: true }]}
            onSubmit={(v) => send('CloseCase', { reason: v.reason })} />
        </FormPanel>
      ) : null}
    </Section>
  );
}

function CaseDetail({ caseId, who, reference, go }) {
  const [c, setC] = useState(null);
  const institutions = useInstitutionNames();
  const load = useAction();
  useEffect(() => {
    setC(null);
    load.run(() => call('hop.v1.CaseWork/GetCase', { caseId }).then(setC));
  }, [caseId]);
  return (
    <article data-testid="case-detail" data-case-id={caseId}>
      <p class="no-print">
        <button type="button" class="secondary" data-testid="back-to-cases" onClick={() => go('case', undefined)}>
          {t('case.back')}
        </button>
      </p>
      <h1>{t('case.titleOne', { id: caseId })}</h1>
      <ErrorBanner error={load.error} />
      {load.busy && !c ? <Loading /> : null}
      {c ? (
        <>
          <CaseView c={c} institutions={institutions} />
          {c.status === 'CASE_OPEN' ? (
            <CaseForms c={c} who={who} reference={reference} institutions={institutions} onCase={setC} />
          ) : (
            <>
              <p class="notice" role="status">{t('case.closedNoChanges')}</p>
              <ReopenForm c={c} who={who} Panel={FormPanel}
                send={(method, body) => call('hop.v1.CaseWork/' + method, { caseId, ...body }).then((r) => { setC(r); return r; })} />
            </>
          )}
        </>
      ) : null}
    </article>
  );
}

export function CasePage({ who, reference, state, go }) {
  const caseId = state && state.caseId;
  if (caseId) return <CaseDetail caseId={caseId} who={who} reference={reference} go={go} />;
  return (
    <>
      <h1>{t('case.title')}</h1>
      <CaseList go={go} />
      <OpenById go={go} reference={reference} />
      <OpenCaseForm reference={reference} go={go} />
    </>
  );
}
