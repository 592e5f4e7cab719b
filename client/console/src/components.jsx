// Shared building blocks of the pages: a labelled form field with its error, the page's error
// banner, a loading note and a table. Also how an API error reads in plain words.
import { useId, useState } from 'preact/hooks';
import { t, hasKey } from './i18n.js';

// An API error in plain words: the code's explanation, then the server's own text.
export function errorMessage(err) {
  if (!err) return '';
  if (typeof err === 'string') return err;
  const code = err.code || '';
  const key = 'error.' + code;
  const plain = code && hasKey(key) ? t(key) : '';
  const detail = err.message || '';
  if (plain && detail && detail !== code) return `${plain} ${t('error.serverSaid', { message: detail })}`;
  return plain || detail || t('error.INTERNAL');
}

// The server's message for `name` when `err` is about that field (or a sub-field), else "".
export function fieldError(err, name) {
  if (!err || !err.field || !name) return '';
  const f = err.field;
  if (f === name || f.startsWith(name + '.') || f.startsWith(name + '[')) {
    // The field is where the text shows: keep a sub-path ("[2]: ..."), drop the field itself.
    const rest = err.message.slice(name.length);
    return rest.startsWith(': ') ? rest.slice(2) : err.message;
  }
  return '';
}

// `err` unless it belongs next to one of `names` (those show it themselves), for the banner.
export function bannerError(err, names = []) {
  if (!err) return null;
  return names.some((n) => fieldError(err, n)) ? null : err;
}

// Runs async actions with a busy flag and the last error: const a = useAction();
// a.run(async () => ...) resolves the action's value, or undefined when it threw.
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  async function run(fn) {
    setBusy(true);
    setError(null);
    try {
      return await fn();
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, setError, run };
}

// A label, a control and the control's error (<p role="alert" data-error-for=NAME>).
// `as`: "input" (default), "select" (children are the options) or "textarea". Other props
// go to the control. `error`: text shown under the field; `hint`: help text.
export function Field({ name, label, error, hint, as = 'input', children, class: cls, ...rest }) {
  const id = 'f' + useId().replace(/[^A-Za-z0-9_-]/g, '');
  const errId = id + '-err';
  const hintId = id + '-hint';
  const describedBy = [hint ? hintId : '', error ? errId : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name,
    'aria-invalid': error ? 'true' : undefined,
    'aria-describedby': describedBy,
    ...rest,
  };
  let control;
  if (as === 'select') control = <select {...common}>{children}</select>;
  else if (as === 'textarea') control = <textarea {...common} />;
  else control = <input type={rest.type || 'text'} {...common} />;
  return (
    <div class={'field' + (error ? ' field-invalid' : '') + (cls ? ' ' + cls : '')}>
      <label for={id}>
        {label}
        {rest.required ? <span class="required" aria-hidden="true"> *</span> : null}
      </label>
      {control}
      {hint ? <p class="hint" id={hintId}>{hint}</p> : null}
      <p class="field-error" role="alert" id={errId} data-error-for={name}>{error || ''}</p>
    </div>
  );
}

// A group of checkboxes (multi-select) with a legend and the group's error.
// options: [{value, label, secondary}]; value: array of selected values; onChange(newArray).
// Secondary options (e.g. municipalities of other counties) sit in a collapsed
// <details> titled `moreLabel`, open when one of them is chosen.
export function CheckboxGroup({ name, legend, options, value = [], onChange, error, hint, moreLabel }) {
  const id = 'g' + useId().replace(/[^A-Za-z0-9_-]/g, '');
  function toggle(v, on) {
    const next = on ? [...value.filter((x) => x !== v), v] : value.filter((x) => x !== v);
    onChange(next);
  }
  const box = (o) => (
    <label class="checkbox" key={o.value}>
      <input type="checkbox" name={name} value={o.value} checked={value.includes(o.value)}
        onChange={(e) => toggle(o.value, e.currentTarget.checked)} />
      {' '}{o.label}
    </label>
  );
  const main = options.filter((o) => !o.secondary);
  const more = options.filter((o) => o.secondary);
  const moreChosen = more.some((o) => value.includes(o.value));
  return (
    <fieldset class={'field checkbox-group' + (error ? ' field-invalid' : '')} data-field={name}
      aria-describedby={error ? id + '-err' : undefined}>
      <legend>{legend}</legend>
      {hint ? <p class="hint">{hint}</p> : null}
      <div class="checkbox-list">{main.map(box)}</div>
      {more.length ? (
        <details class="more-options" open={moreChosen || undefined}>
          <summary>{moreLabel || t('common.moreOptions', { n: more.length })}</summary>
          <div class="checkbox-list">{more.map(box)}</div>
        </details>
      ) : null}
      <p class="field-error" role="alert" id={id + '-err'} data-error-for={name}>{error || ''}</p>
    </fieldset>
  );
}

// The page's error (an ApiError or text), or nothing.
export function ErrorBanner({ error, onDismiss }) {
  if (!error) return null;
  return (
    <div class="error-banner" role="alert" data-testid="page-error"
      data-code={typeof error === 'object' && error.code ? error.code : undefined}>
      <p>{errorMessage(error)}</p>
      {onDismiss ? <button type="button" class="secondary" onClick={onDismiss}>{t('common.dismiss')}</button> : null}
    </div>
  );
}

// A short success note (role=status).
export function Notice({ children }) {
  if (!children) return null;
  return <p class="notice" role="status">{children}</p>;
}

export function Loading({ label }) {
  return <p class="loading" role="status" aria-live="polite">{label || t('common.loading')}</p>;
}

// columns: [{key, label, render(row) (default row[key]), class}]; rows; rowKey(row);
// rowProps(row): extra attributes of the row (data-*, onClick); empty: text when no rows.
export function Table({ columns, rows, rowKey, rowProps, caption, empty, class: cls }) {
  if (!rows || rows.length === 0) {
    return <p class="empty">{empty || t('common.none')}</p>;
  }
  return (
    <div class="table-wrap" tabIndex={0}>
      <table class={cls}>
        {caption ? <caption>{caption}</caption> : null}
        <thead>
          <tr>{columns.map((c) => <th scope="col" key={c.key} class={c.class}>{c.label}</th>)}</tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={rowKey ? rowKey(r) : i} {...(rowProps ? rowProps(r) : {})}>
              {columns.map((c) => (
                <td key={c.key} class={c.class}>{c.render ? c.render(r) : r[c.key]}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
