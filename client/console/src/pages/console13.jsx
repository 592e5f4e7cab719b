// Case work (issue 13) on the Case page: assign support specialists to a case or remove them
// (CaseWork.Assign add_assignees/remove_assignees) and move the case to another institution of
// this municipality (CaseWork.ChangeInstitution). Shown only to the roles the server allows
// (coordinators, case managers, child protection); the server's errors appear next to the
// field they name (SpecForm does that). `send` is the case page's: it shows the new case.
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n.js';
import { SpecForm } from '../form.jsx';
import { call } from '../api.js';

const MAY_ASSIGN = ['ROLE_INSTITUTION_COORDINATOR', 'ROLE_CASE_MANAGER', 'ROLE_CHILD_PROTECTION'];

// This municipality's current institutions other than the case's own, for the move picker
// (null while loading, [] when the directory cannot be read: then a text field).
function useMoveTargets(c, reference) {
  const muni = reference && reference.thisMunicipality;
  const [list, setList] = useState(null);
  useEffect(() => {
    call('hop.v1.CaseWork/SearchDirectory', muni ? { municipality: muni } : {})
      .then((r) => setList((r.institutions || []).filter((i) => !Number(i.retiredAt || 0) && (!muni || i.municipality === muni))))
      .catch(() => setList([]));
  }, [muni]);
  return list && list.filter((i) => i.id !== c.institutionId);
}

export function AssigneeAndMoveForms({ c, who, reference, send, Panel }) {
  const targets = useMoveTargets(c, reference);
  if (!who || !MAY_ASSIGN.includes(who.role)) return null;
  const saved = t('form.saved');
  const assignees = c.assignees || [];
  return (
    <>
      <Panel title={t('c13.add.title')} testid="add-assignee-form">
        <SpecForm testid="add-assignee-form" submitLabel={t('c13.add.submit')} doneText={saved} intro={t('c13.add.intro')}
          fields={[
            { name: 'user_id', label: t('c13.add.user'), required: true, hint: t('c13.add.userHint') },
            { name: 'task', label: t('c13.add.task'), required: true, hint: t('c13.add.taskHint') },
          ]}
          onSubmit={(v) => send('Assign', { addAssignees: [{ userId: v.user_id.trim(), task: v.task.trim() }] })} />
      </Panel>
      {assignees.length ? (
        <Panel title={t('c13.remove.title')} testid="remove-assignee-form">
          <SpecForm testid="remove-assignee-form" submitLabel={t('c13.remove.submit')} doneText={saved}
            fields={[{ name: 'user_id', label: t('c13.remove.user'), type: 'select', required: true,
              options: assignees.map((a) => ({ value: a.userId, label: a.task ? `${a.userId}: ${a.task}` : a.userId })) }]}
            onSubmit={(v) => send('Assign', { removeAssignees: [v.user_id] })} />
        </Panel>
      ) : null}
      <Panel title={t('c13.move.title')} testid="move-form">
        <SpecForm testid="move-form" submitLabel={t('c13.move.submit')} doneText={saved} intro={t('c13.move.intro')}
          fields={[
            targets === null || targets.length
              ? { name: 'institution_id', label: t('c13.move.institution'), type: 'select', required: true,
                  options: (targets || []).map((i) => ({ value: i.id, label: `${i.name} (${i.id})` })) }
              : { name: 'institution_id', label: t('c13.move.institution'), required: true, hint: t('case.institutionIdHint') },
            { name: 'responsible_user', label: t('c13.move.responsible'), hint: t('c13.move.responsibleHint') },
            { name: 'reason', label: t('case.reason'), type: 'textarea', required: true },
          ]}
          onSubmit={(v) => send('ChangeInstitution', { institutionId: v.institution_id, reason: v.reason, responsibleUser: v.responsible_user.trim() })} />
      </Panel>
    </>
  );
}
