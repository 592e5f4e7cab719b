// Message catalogues (Estonian first, English one click away), dates and numbers in each
// language's style, municipality names and code-list labels from /api/reference.
import { useEffect, useState } from 'preact/hooks';
import et from './messages/et.json';
import etPages2 from './messages/et.pages2.json';
import en from './messages/en.json';
import etAssign from './messages/et.assign.json';
import enAssign from './messages/en.assign.json';
import enPages2 from './messages/en.pages2.json';
import etFigures from './messages/et.figures.json';
import enFigures from './messages/en.figures.json';
import etCasework2 from './messages/et.casework2.json';
import enCasework2 from './messages/en.casework2.json';
import etConsole13 from './messages/et.console13.json';
import enConsole13 from './messages/en.console13.json';
import { referenceSync } from './api.js';

const CATALOGUES = {
  et: { ...etPages2, ...etFigures, ...etAssign, ...etCasework2, ...etConsole13, ...et },
  en: { ...enPages2, ...enFigures, ...enAssign, ...enCasework2, ...enConsole13, ...en },
};
const LOCALES = { et: 'et-EE', en: 'en-GB' };
const STORAGE_KEY = 'hop.console.lang';

function initialLang() {
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (saved && CATALOGUES[saved]) return saved;
  } catch (e) {
    // storage unavailable: the default
  }
  return 'et';
}

let current = initialLang();
const listeners = new Set();

function applyHtmlLang() {
  if (typeof document !== 'undefined') document.documentElement.lang = current;
}
applyHtmlLang();

export function lang() {
  return current;
}

export function setLang(l) {
  if (!CATALOGUES[l] || l === current) return;
  current = l;
  try {
    window.localStorage.setItem(STORAGE_KEY, l);
  } catch (e) {
    // not remembered
  }
  applyHtmlLang();
  for (const fn of [...listeners]) fn(l);
}

// Re-renders the calling component when the language changes; returns the language.
export function useLang() {
  const [l, setL] = useState(current);
  useEffect(() => {
    const fn = (v) => setL(v);
    listeners.add(fn);
    if (l !== current) setL(current);
    return () => listeners.delete(fn);
  }, []);
  return l;
}

// The message `key` in the current language with {name} placeholders filled from `params`;
// falls back to Estonian, then to the key itself.
export function t(key, params) {
  let s = CATALOGUES[current][key];
  if (s === undefined) s = CATALOGUES.et[key];
  if (s === undefined) return key;
  if (params) {
    s = s.replace(/\{(\w+)\}/g, (m, name) =>
      params[name] === undefined || params[name] === null ? m : String(params[name]));
  }
  return s;
}

// True iff the catalogue has `key` (in either language).
export function hasKey(key) {
  return CATALOGUES[current][key] !== undefined || CATALOGUES.et[key] !== undefined;
}

function toDate(unixSeconds) {
  if (unixSeconds === undefined || unixSeconds === null || unixSeconds === '') return null;
  const n = Number(unixSeconds);
  if (!Number.isFinite(n) || n <= 0) return null;
  return new Date(n * 1000);
}

// 2.12.2026 (et) / 02/12/2026 (en); "" for 0 or absent.
export function fmtDate(unixSeconds) {
  const d = toDate(unixSeconds);
  if (!d) return '';
  return new Intl.DateTimeFormat(LOCALES[current], { day: 'numeric', month: 'numeric', year: 'numeric' }).format(d);
}

// 14:05
export function fmtTime(unixSeconds) {
  const d = toDate(unixSeconds);
  if (!d) return '';
  return new Intl.DateTimeFormat(LOCALES[current], { hour: '2-digit', minute: '2-digit', hour12: false }).format(d);
}

// 2.12.2026 14:05
export function fmtDateTime(unixSeconds) {
  const d = toDate(unixSeconds);
  if (!d) return '';
  return fmtDate(unixSeconds) + ' ' + fmtTime(unixSeconds);
}

// A calendar date "YYYY-MM-DD" in the language's style ("2.12.2026"); other text as it is.
export function fmtIsoDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
  if (!m) return iso || '';
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(LOCALES[current], {
    day: 'numeric', month: 'numeric', year: 'numeric', timeZone: 'UTC',
  }).format(d);
}

// 1 234,5 (et) / 1,234.5 (en)
export function fmtNumber(n, options) {
  const v = Number(n);
  if (!Number.isFinite(v)) return '';
  return new Intl.NumberFormat(LOCALES[current], options).format(v);
}

// "Kambja vald (0283)"; the bare code when the reference data does not know it.
export function muniName(code) {
  if (!code) return '';
  const ref = referenceSync();
  const m = ref && (ref.municipalities || []).find((x) => x.code === code);
  return m ? `${m.name} (${code})` : code;
}

// The label of `code` in code list `list` ("needAreas" | "serviceTypes" | "outcomes" |
// "topics") in the current language; the code itself when unknown.
export function codeLabel(list, code) {
  if (!code) return '';
  const ref = referenceSync();
  const entries = (ref && ref.codes && ref.codes[list]) || [];
  const c = entries.find((x) => x.code === code);
  if (!c) return code;
  return (current === 'en' ? c.en || c.et : c.et || c.en) || code;
}

// "juhtumikorraldaja" for "ROLE_CASE_MANAGER".
export function roleName(role) {
  const key = 'role.' + (role || 'ROLE_UNSPECIFIED');
  return hasKey(key) ? t(key) : role || '';
}
