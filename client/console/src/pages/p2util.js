// Helpers shared by the pages of UI-2 (inbox, report, directory, figures, node). Plain
// functions only: the shared modules (api, i18n, components) stay UI-1's.
import { t, roleName } from '../i18n.js';

// The checks the server makes on an isikukood (daemon/domain/isikukood.cc), as a message key
// and its parameters, or null when the code is valid.
export function isikukoodProblem(code) {
  if (code.length === 0) return { key: 'p2.ik.empty' };
  if (code.length !== 11) return { key: 'p2.ik.length', params: { n: code.length } };
  if (!/^[0-9]{11}$/.test(code)) return { key: 'p2.ik.digits' };
  const c = Number(code[0]);
  if (c < 1 || c > 6) return { key: 'p2.ik.century' };
  const year = [1800, 1800, 1900, 1900, 2000, 2000][c - 1] + Number(code.slice(1, 3));
  const month = Number(code.slice(3, 5));
  const day = Number(code.slice(5, 7));
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) {
    return { key: 'p2.ik.date' };
  }
  const digits = code.split('').map(Number);
  const sum = (w) => w.reduce((s, x, i) => s + x * digits[i], 0) % 11;
  let check = sum([1, 2, 3, 4, 5, 6, 7, 8, 9, 1]);
  if (check === 10) check = sum([3, 4, 5, 6, 7, 8, 9, 1, 2, 3]);
  if (check === 10) check = 0;
  if (check !== digits[10]) return { key: 'p2.ik.check' };
  return null;
}

// An e-mail address as the server accepts it (daemon/domain/fields.cc ValidateEmail).
export function emailOk(v) {
  if (v.length > 254 || /[\s\x00-\x20\x7f]/.test(v)) return false;
  const parts = v.split('@');
  if (parts.length !== 2 || parts[0] === '') return false;
  const domain = parts[1];
  const dot = domain.lastIndexOf('.');
  return dot > 0 && !domain.startsWith('.') && !domain.endsWith('.') && !domain.includes('..') &&
      domain.length - dot - 1 >= 2;
}

// A phone number as the server accepts it (ValidatePhone): optional '+', 5 to 20 digits,
// single spaces or '-' only between digits.
export function phoneOk(v) {
  const rest = v.startsWith('+') ? v.slice(1) : v;
  if (!/^[0-9]+([ -][0-9]+)*$/.test(rest)) return false;
  const n = rest.replace(/[^0-9]/g, '').length;
  return n >= 5 && n <= 20;
}

// A user or ops name as in a certificate (ValidatePrincipalName).
export function principalOk(v) {
  return /^[a-z0-9][a-z0-9._-]{0,63}$/.test(v);
}

// int64/uint64 arrive as strings in proto3 JSON.
export function num(v) {
  if (v === undefined || v === null || v === '') return 0;
  return Number(v);
}

// The user id (or ops name) at the end of a certificate identity
// (spiffe://hop.tartumaa/municipality/0283/staff/mari).
export function actorName(spiffe) {
  if (!spiffe) return '';
  const at = spiffe.lastIndexOf('/');
  return at < 0 ? spiffe : spiffe.slice(at + 1);
}

const ROLE_BY_SLUG = {
  'teacher': 'ROLE_TEACHER',
  'coordinator': 'ROLE_INSTITUTION_COORDINATOR',
  'case-manager': 'ROLE_CASE_MANAGER',
  'child-protection': 'ROLE_CHILD_PROTECTION',
  'network-leader': 'ROLE_NETWORK_LEADER',
  'admin': 'ROLE_ADMIN',
  'school-nurse': 'ROLE_SCHOOL_NURSE',
  'social-pedagogue': 'ROLE_SOCIAL_PEDAGOGUE',
  'special-pedagogue': 'ROLE_SPECIAL_PEDAGOGUE',
  'speech-therapist': 'ROLE_SPEECH_THERAPIST',
  'psychologist': 'ROLE_PSYCHOLOGIST',
};

// A role as written in audit entries and inbox entries ("case-manager", "ops", "peer-node",
// "system") in the reader's language.
export function actorRoleLabel(slug) {
  if (ROLE_BY_SLUG[slug]) return roleName(ROLE_BY_SLUG[slug]);
  if (slug === 'ops' || slug === 'peer-node' || slug === 'system') return t('p2.actor.' + slug);
  return slug || '';
}

// A duration in seconds as "3 min", "2 h 5 min", "4 d".
export function fmtDuration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t('p2.dur.s', { n: s });
  const m = Math.floor(s / 60);
  if (m < 60) return t('p2.dur.m', { n: m });
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 === 0 ? t('p2.dur.h', { h }) : t('p2.dur.hm', { h, m: m % 60 });
  return t('p2.dur.d', { n: Math.floor(h / 24) });
}

// Whole days from `now` until `at` (both unix seconds), rounded down; negative when past.
export function daysUntil(at, now) {
  return Math.floor((at - now) / 86400);
}

// The field an API error is about, normalised for the forms: "contact.age_levels[0]" ->
// "contact.age_levels"; "contact.phone, contact.email: ..." -> "contact.phone". Uses
// ApiError.field when set, else reads the message.
export function errorField(err) {
  let f = (err && err.field) || '';
  if (!f && err && typeof err.message === 'string') {
    const m = /^([a-z_][a-z0-9_]*(?:\[[0-9]+\])?(?:\.[a-z_][a-z0-9_]*(?:\[[0-9]+\])?)*)(?:, [a-z_.\[\]0-9]+)*: /.exec(err.message);
    if (m) f = m[1];
  }
  return f.replace(/\[[0-9]+\]/g, '');
}

// The server's text without the leading field path (shown next to that field).
export function errorText(err) {
  const msg = (err && err.message) || '';
  const m = /^[a-z_][a-z0-9_.\[\]]*(?:, [a-z_.\[\]0-9]+)*: /.exec(msg);
  return m ? msg.slice(m[0].length) : msg;
}

// Colours of a state (ok / warn / bad) as a style object (the CSP allows style props set from
// script, not style attributes in HTML); contrast at least 4.5:1 (app.css's palette).
const TONES = {
  ok: { color: '#1d5e20', background: '#e9f5ea' },
  warn: { color: '#6b4400', background: '#fff4d6' },
  bad: { color: '#a4001d', background: '#fdecee' },
};
export function toneStyle(tone, text) {
  const c = TONES[tone];
  if (!c) return undefined;
  return text ? { color: c.color, fontWeight: 600 } : { color: c.color, background: c.background, padding: '0 .4em', borderRadius: '.25rem', fontWeight: 600 };
}
