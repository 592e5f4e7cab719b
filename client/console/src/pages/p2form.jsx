// Form pieces for UI-2's pages with value/onInput-style props, on top of the shared Field and
// CheckboxGroup (components.jsx): label, control and <p role="alert" data-error-for=NAME>.
import { Field, CheckboxGroup } from '../components.jsx';

export function Input({ name, label, value, onInput, error, help, type = 'text', ...rest }) {
  return (
    <Field name={name} label={label} error={error} hint={help} type={type} value={value}
           onInput={(e) => onInput(e.currentTarget.value)} {...rest} />
  );
}

// Options in order; consecutive options with the same `group` go into one <optgroup>.
function renderOptions(options) {
  const out = [];
  for (let i = 0; i < options.length;) {
    const g = options[i].group;
    if (!g) {
      out.push(<option key={options[i].value} value={options[i].value}>{options[i].label}</option>);
      i += 1;
      continue;
    }
    let j = i;
    while (j < options.length && options[j].group === g) j += 1;
    out.push(
      <optgroup key={'g-' + g} label={g}>
        {options.slice(i, j).map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </optgroup>,
    );
    i = j;
  }
  return out;
}

export function Select({ name, label, value, onChange, error, options, help, ...rest }) {
  return (
    <Field as="select" name={name} label={label} error={error} hint={help} value={value}
           onChange={(e) => onChange(e.currentTarget.value)} {...rest}>
      {renderOptions(options)}
    </Field>
  );
}

// A set of checkboxes: `values` is the chosen list; `options` [{value, label}].
export function Checks({ name, legend, values, onChange, options, error, help }) {
  return (
    <CheckboxGroup name={name} legend={legend} options={options} value={values}
                   onChange={onChange} error={error} hint={help} />
  );
}
