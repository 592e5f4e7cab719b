// Case work, complete (issue 13) on the Case page: end a service with its outcome, mark an
// action item done with an evaluation, leave the child-protection track (specialists), reopen
// a closed case (coordinators and up); and how the stage history names these events. Each
// form calls one CaseWork method through `send` (the case page's: it shows the new case).
import { t, fmtIsoDate } from '../i18n.js';
import { SpecForm, codeOptions } from '../form.jsx';

const COORDINATORS_UP = ['ROLE_INSTITUTION_COORDINATOR', 'ROLE_CASE_MANAGER', 'ROLE_CHILD_PROTECTION'];
const EVENTS = ['CASE_EVENT_CLOSED', 'CASE_EVENT_REOPENED', 'CASE_EVENT_LEFT_CHILD_PROTECTION'];

// The history text of an event that keeps the stage ("closed", "reopened", "left the
// child-protection track"), or '' for stage moves.
export function eventText(h, stage) {
  return h.event && EVENTS.includes(h.event) ? t('cw2.event.' + h.event, { stage }) : '';
}

// "done 14.03.2025 by kati: reads fluently" for a done item, '' while open.
export function doneText(a) {
  return a.doneDate ? t('cw2.done.text', { date: fmtIsoDate(a.doneDate), by: a.doneBy || '', evaluation: a.evaluation || '' }) : '';
}

// The forms for an open case. `Panel` is the page's collapsible form panel.
export function CaseWorkForms({ c, who, reference, send, Panel }) {
  const saved = t('form.saved');
  const services = (c.services || []).filter((s) => !(s.outcome && s.endDate));
  const items = (c.actionPlan || []).filter((a) => !a.doneDate);
  const specialist = who && who.role === 'ROLE_CHILD_PROTECTION';
  return (
    <>
      {services.length ? (
        <Panel title={t('cw2.end.title')} testid="end-service-form">
          <SpecForm testid="end-service-form" submitLabel={t('cw2.end.submit')} doneText={saved}
            fields={[
              { name: 'service_id', label: t('cw2.end.service'), type: 'select', required: true,
                options: services.map((s) => ({ value: s.id, label: `${s.id}: ${s.type}` })) },
              { name: 'end_date', label: t('cw2.end.date'), type: 'date', required: true },
              { name: 'outcome', label: t('cw2.end.outcome'), type: 'select', required: true,
                options: codeOptions(reference, 'outcomes', ['ongoing']) },
            ]}
            onSubmit={(v) => send('EndService', { serviceId: v.service_id, endDate: v.end_date, outcome: v.outcome })} />
        </Panel>
      ) : null}
      {items.length ? (
        <Panel title={t('cw2.done.title')} testid="done-form">
          <SpecForm testid="done-form" submitLabel={t('cw2.done.submit')} doneText={saved} intro={t('cw2.done.intro')}
            fields={[
              { name: 'item_id', label: t('cw2.done.item'), type: 'select', required: true,
                options: items.map((a) => ({ value: a.id, label: `${a.id}: ${a.description}` })) },
              { name: 'evaluation', label: t('cw2.done.evaluation'), type: 'textarea', required: true },
              { name: 'done_date', label: t('cw2.done.date'), type: 'date', hint: t('cw2.done.dateHint') },
            ]}
            onSubmit={(v) => send('CompleteActionItem', { itemId: v.item_id, evaluation: v.evaluation, doneDate: v.done_date })} />
        </Panel>
      ) : null}
      {c.childProtection && specialist ? (
        <Panel title={t('cw2.leave.title')} testid="leave-cp-form">
          <SpecForm testid="leave-cp-form" submitLabel={t('cw2.leave.submit')} doneText={saved} intro={t('cw2.leave.intro')}
            fields={[{ name: 'reason', label: t('case.reason'), type: 'textarea', required: true }]}
            onSubmit={(v) => send('LeaveChildProtection', { reason: v.reason })} />
        </Panel>
      ) : null}
    </>
  );
}

// Reopening a closed case (coordinators, case managers, child protection).
export function ReopenForm({ c, who, send, Panel }) {
  if (!who || !COORDINATORS_UP.includes(who.role)) return null;
  return (
    <Panel title={t('cw2.reopen.title')} testid="reopen-form">
      <SpecForm testid="reopen-form" submitLabel={t('cw2.reopen.submit')} doneText={t('form.saved')} intro={t('cw2.reopen.intro')}
        fields={[{ name: 'reason', label: t('case.reason'), type: 'textarea', required: true }]}
        onSubmit={(v) => send('ReopenCase', { reason: v.reason })} />
    </Panel>
  );
}
