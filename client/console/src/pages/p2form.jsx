// Small form pieces for UI-2's pages: a labelled input or select with its error line
// (<p role="alert" data-error-for=NAME>), and a group of checkboxes in a fieldset.
import { useMemo } from 'preact/hooks';

let counter = 0;
function uid(name) {
  counter += 1;
  return 'f2-' + name.replace(/[^a-z0-9]/gi, '-') + '-' + counter;
}

export function Input({ name, label, value, onInput, error, help, type = 'text', required, ...rest }) {
  const id = useMemo(() => uid(name), [name]);
  const describedBy = [help ? id + '-help' : '', id + '-error'].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={id}>{label}{required ? <span aria-hidden="true"> *</span> : null}</label>
      <input id={id} name={name} type={type} value={value} required={required}
             aria-invalid={error ? 'true' : 'false'} aria-describedby={describedBy}
             onInput={(e) => onInput(e.currentTarget.value)} {...rest} />
      {help ? <p id={id + '-help'} class="help">{help}</p> : null}
      <p id={id + '-error'} role="alert" class="field-error" data-error-for={name}>{error || ''}</p>
    </div>
  );
}

export function Select({ name, label, value, onChange, error, options, required, ...rest }) {
  const id = useMemo(() => uid(name), [name]);
  return (
    <div class="field">
      <label for={id}>{label}{required ? <span aria-hidden="true"> *</span> : null}</label>
      <select id={id} name={name} value={value} required={required}
              aria-invalid={error ? 'true' : 'false'} aria-describedby={id + '-error'}
              onChange={(e) => onChange(e.currentTarget.value)} {...rest}>
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
      <p id={id + '-error'} role="alert" class="field-error" data-error-for={name}>{error || ''}</p>
    </div>
  );
}

// A set of checkboxes: `values` is the chosen list; `options` [{value, label}].
export function Checks({ name, legend, values, onChange, options, error }) {
  const id = useMemo(() => uid(name), [name]);
  const toggle = (v, on) => onChange(on ? [...values, v] : values.filter((x) => x !== v));
  return (
    <fieldset class="field checks" aria-describedby={id + '-error'}>
      <legend>{legend}</legend>
      {options.map((o, i) => (
        <label key={o.value} class="check" for={id + '-' + i}>
          <input id={id + '-' + i} type="checkbox" name={name} value={o.value}
                 checked={values.includes(o.value)}
                 onChange={(e) => toggle(o.value, e.currentTarget.checked)} />
          {' '}{o.label}
        </label>
      ))}
      <p id={id + '-error'} role="alert" class="field-error" data-error-for={name}>{error || ''}</p>
    </fieldset>
  );
}
