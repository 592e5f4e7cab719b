// The Estonian personal identification code (isikukood), checked as daemon/domain/isikukood.cc
// does: 11 digits, first digit 1-6 (sex and century), digits 2-7 a real birth date, and the
// check digit (weights 1..9,1 mod 11; if 10, weights 3..9,1,2,3; if 10 again, 0).
import { t } from './i18n.js';

const W1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 1];
const W2 = [3, 4, 5, 6, 7, 8, 9, 1, 2, 3];

export function checkDigit(first10) {
  if (!/^\d{10}$/.test(first10)) return -1;
  const sum = (w) => w.reduce((s, wi, i) => s + wi * Number(first10[i]), 0) % 11;
  let d = sum(W1);
  if (d === 10) d = sum(W2);
  if (d === 10) d = 0;
  return d;
}

// The birth date {year, month, day} of a valid code, else null.
export function birthDate(code) {
  if (!/^\d{11}$/.test(code || '')) return null;
  const c = Number(code[0]);
  const base = { 1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000 }[c];
  if (!base) return null;
  const year = base + Number(code.slice(1, 3));
  const month = Number(code.slice(3, 5));
  const day = Number(code.slice(5, 7));
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return { year, month, day };
}

// "" when `code` is a valid isikukood, else what is wrong, in the current language.
// `required`: whether an empty value is an error.
export function isikukoodError(code, required = true) {
  const v = code || '';
  if (v === '') return required ? t('common.required') : '';
  if (v.length !== 11) return t('ik.length', { n: v.length });
  const bad = v.search(/\D/);
  if (bad >= 0) return t('ik.notDigit', { pos: bad + 1 });
  if (!'123456'.includes(v[0])) return t('ik.century', { digit: v[0] });
  const b = birthDate(v);
  if (!b) return t('ik.date');
  const now = new Date();
  const today = now.getFullYear() * 10000 + (now.getMonth() + 1) * 100 + now.getDate();
  if (b.year * 10000 + b.month * 100 + b.day > today) return t('ik.future');
  const expected = checkDigit(v.slice(0, 10));
  if (Number(v[10]) !== expected) return t('ik.checkDigit', { actual: v[10], expected });
  return '';
}

// Whether the person of a valid code is at least 18 on `today` (a Date).
export function isAdult(code, today = new Date()) {
  const b = birthDate(code);
  if (!b) return false;
  const y = today.getFullYear(), m = today.getMonth() + 1, d = today.getDate();
  let age = y - b.year;
  if (m < b.month || (m === b.month && d < b.day)) age -= 1;
  return age >= 18;
}
