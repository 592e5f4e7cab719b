// Forms described by a field list, checked in the browser as the server checks what is simple
// (required, length, code lists, dates, isikukood), and showing the server's refusal next to
// the field it names (ApiError.field), else in the form's error banner.
import { useState } from 'preact/hooks';
import { t, lang } from './i18n.js';
import { Field, CheckboxGroup, ErrorBanner, Notice, fieldError, bannerError, useAction } from './components.jsx';
import { isikukoodError } from './isikukood.js';

const MAX_TEXT_BYTES = 4096;

// Options of a code list ("needAreas", "serviceTypes", "outcomes", "topics") for new records:
// retired codes and `exclude` left out, labels in the current language.
export function codeOptions(reference, list, exclude = []) {
  const codes = (reference && reference.codes && reference.codes[list]) || [];
  return codes
    .filter((c) => !c.retired && !exclude.includes(c.code))
    .map((c) => ({ value: c.code, label: (lang() === 'en' ? c.en || c.et : c.et || c.en) || c.code }));
}

// Options of the municipalities of /api/reference ("Kambja vald (0283)"), `exclude` left out:
// this node's county first, then the others by name; those of other counties are marked
// `secondary` (CheckboxGroup folds them away).
export function muniOptions(reference, exclude = []) {
  const all = (reference && reference.municipalities) || [];
  const own = all.find((m) => m.code === (reference && reference.thisMunicipality));
  const county = own ? own.county : '';
  const byName = (a, b) => a.name.localeCompare(b.name, 'et');
  const mine = all.filter((m) => m.county === county).sort(byName);
  const others = all.filter((m) => m.county !== county).sort(byName);
  return [...mine, ...others]
    .filter((m) => !exclude.includes(m.code))
    .map((m) => ({ value: m.code, label: `${m.name} (${m.code})`, secondary: !!county && m.county !== county }));
}

export function utf8Bytes(s) {
  return new TextEncoder().encode(s || '').length;
}

// The client-side error of one field spec for `value`, or "".
export function checkField(f, value) {
  const v = typeof value === 'string' ? value : value;
  if (f.type === 'checkboxes') {
    if (f.required && (!v || v.length === 0)) return f.requiredText || t('form.pickOne');
    if (f.maxItems && v && v.length > f.maxItems) return t('form.tooMany', { max: f.maxItems });
    return '';
  }
  const s = (v || '').toString();
  if (f.type === 'isikukood') return isikukoodError(s.trim(), !!f.required);
  if (s.trim() === '') return f.required ? f.requiredText || t('common.required') : '';
  const max = f.maxBytes || MAX_TEXT_BYTES;
  if (utf8Bytes(s) > max) return t('form.tooLongBytes', { max });
  if (f.type === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(s)) return t('form.badDate');
  if (f.type === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s)) return t('form.badEmail');
  if (f.type === 'tel' && !/^\+?\d(?:[\s-]?\d){4,19}$/.test(s.trim())) return t('form.badPhone');
  if (f.pattern && !f.pattern.test(s)) return f.patternText || t('form.badFormat');
  return '';
}

// fields: [{name, label, type: text|textarea|date|select|checkboxes|isikukood|email|tel,
//   required, maxBytes, options: [{value,label}] (select, checkboxes), hint, placeholder,
//   aliases: other server field names shown at this field, testid}]
// onSubmit(values) -> Promise (the API call); validate(values) -> {name: text} for rules
// across fields; testid: data-testid of the <form>; submitTestid: of the submit button.
export function SpecForm({
  fields, initial = {}, onSubmit, validate, submitLabel, testid, submitTestid, busyLabel,
  doneText, resetOnDone = true, heading, headingLevel = 3, intro, danger, class: cls,
}) {
  const start = () => {
    const v = {};
    for (const f of fields) v[f.name] = initial[f.name] !== undefined ? initial[f.name] : f.type === 'checkboxes' ? [] : '';
    return v;
  };
  const [values, setValues] = useState(start);
  const [errors, setErrors] = useState({});
  const [done, setDone] = useState('');
  const action = useAction();

  function set(name, value) {
    setValues((v) => ({ ...v, [name]: value }));
    setDone('');
    if (errors[name]) setErrors((e) => ({ ...e, [name]: '' }));
  }

  async function submit(ev) {
    ev.preventDefault();
    const errs = {};
    for (const f of fields) {
      const e = checkField(f, values[f.name]);
      if (e) errs[f.name] = e;
    }
    Object.assign(errs, Object.fromEntries(Object.entries((validate && validate(values)) || {}).filter(([, e]) => e)));
    setErrors(errs);
    if (Object.keys(errs).length) {
      const first = fields.find((f) => errs[f.name]);
      if (first) {
        const el = ev.currentTarget.querySelector(`[name="${first.name}"]`);
        if (el) el.focus();
      }
      return;
    }
    const r = await action.run(() => onSubmit(values));
    if (r !== undefined) {
      setDone(typeof doneText === 'function' ? doneText(r) : doneText || '');
      if (resetOnDone) setValues(start());
    }
  }

  const names = fields.flatMap((f) => [f.name, ...(f.aliases || [])]);
  const serverErr = (f) => [f.name, ...(f.aliases || [])].map((n) => fieldError(action.error, n)).find(Boolean) || '';
  const H = 'h' + headingLevel;
  return (
    <form class={'spec-form' + (cls ? ' ' + cls : '')} data-testid={testid} onSubmit={submit} noValidate>
      {heading ? <H>{heading}</H> : null}
      {intro ? <p class="hint">{intro}</p> : null}
      <div class="form-grid">
        {fields.map((f) => {
          const error = errors[f.name] || serverErr(f);
          if (f.type === 'checkboxes') {
            return (
              <div class="span-all" key={f.name}>
                <CheckboxGroup name={f.name} legend={f.label} options={f.options || []} value={values[f.name]}
                  onChange={(v) => set(f.name, v)} error={error} hint={f.hint} moreLabel={f.moreLabel} />
              </div>
            );
          }
          const common = {
            key: f.name, name: f.name, label: f.label, error, hint: f.hint, required: f.required,
            value: values[f.name], placeholder: f.placeholder, 'data-testid': f.testid,
            class: f.type === 'textarea' ? 'span-all' : undefined,
            onInput: (e) => set(f.name, e.currentTarget.value),
          };
          if (f.type === 'select') {
            return (
              <Field {...common} as="select" onChange={(e) => set(f.name, e.currentTarget.value)}>
                {f.required && f.placeholderOption === false ? null : <option value="">{f.emptyLabel || t('form.choose')}</option>}
                {(f.options || []).map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
              </Field>
            );
          }
          if (f.type === 'textarea') return <Field {...common} as="textarea" rows={f.rows || 3} />;
          if (f.type === 'isikukood') {
            return <Field {...common} type="text" inputMode="numeric" autoComplete="off" maxLength={11} spellcheck={false} />;
          }
          return <Field {...common} type={f.type === 'date' ? 'date' : f.type === 'email' ? 'email' : f.type === 'tel' ? 'tel' : 'text'} autoComplete="off" />;
        })}
      </div>
      <ErrorBanner error={bannerError(action.error, names)} />
      <div class="actions">
        <button type="submit" class={danger ? 'danger' : undefined} data-testid={submitTestid} disabled={action.busy}>
          {action.busy ? busyLabel || t('form.sending') : submitLabel}
        </button>
        <Notice>{done}</Notice>
      </div>
    </form>
  );
}
