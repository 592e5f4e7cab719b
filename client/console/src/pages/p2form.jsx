// Form pieces for UI-2's pages with value/onInput-style props, on top of the shared Field and
// CheckboxGroup (components.jsx): label, control and <p role="alert" data-error-for=NAME>.
import { Field, CheckboxGroup } from '../components.jsx';

export function Input({ name, label, value, onInput, error, help, type = 'text', ...rest }) {
  return (
    <Field name={name} label={label} error={error} hint={help} type={type} value={value}
           onInput={(e) => onInput(e.currentTarget.value)} {...rest} />
  );
}

export function Select({ name, label, value, onChange, error, options, help, ...rest }) {
  return (
    <Field as="select" name={name} label={label} error={error} hint={help} value={value}
           onChange={(e) => onChange(e.currentTarget.value)} {...rest}>
      {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
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
