// The county's figures for network leaders (CaseWork/CountyFigures, issue 13): every municipality
// of the county, asked by this node over mTLS, and the county. One table per dimension
// (categories as rows, municipalities and the county as columns), suppressed cells as "<5", the
// 12-month trends as bar charts, the municipalities missing with why, and a CSV download built
// in the browser with the columns of `hopctl figures --csv`. Counts only: no names, no codes.
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api.js';
import { t, fmtNumber, muniName, codeLabel, useLang } from '../i18n.js';
import { ErrorBanner, Loading } from '../components.jsx';
import { num } from './p2util.js';
import { BarChart } from './plot.jsx';

// Dimension -> its CSV name (as hopctl writes it).
const DIMS = {
  FIGURE_BY_STAGE: 'stage',
  FIGURE_BY_LEVEL: 'level',
  FIGURE_BY_NEED_AREA: 'need_area',
  FIGURE_BY_CHILD_PROTECTION: 'child_protection',
  FIGURE_BY_OPENED_MONTH: 'opened_month',
  FIGURE_BY_CLOSED_MONTH: 'closed_month',
  FIGURE_BY_OPEN_AT_MONTH_END: 'open_at_month_end',
};
const MONTHLY = ['FIGURE_BY_OPENED_MONTH', 'FIGURE_BY_CLOSED_MONTH', 'FIGURE_BY_OPEN_AT_MONTH_END'];

function cellText(c) {
  return !c ? '' : c.suppressed ? '<5' : fmtNumber(num(c.count));
}

// A county cell with suppressed municipal parts: a lower bound "≥N", the shown parts plus one
// per hidden part (a suppressed cell holds at least one case), as hopctl figures shows it;
// computed from the municipal columns beside it, so it reveals nothing they do not.
function countyCellText(c, parts) {
  if (!c || !c.suppressed || !parts.some((p) => p && p.suppressed)) return cellText(c);
  const atLeast = parts.reduce((n, p) => n + (!p ? 0 : p.suppressed ? 1 : num(p.count)), 0);
  return '≥' + fmtNumber(atLeast);
}

function categoryLabel(dimension, category) {
  switch (dimension) {
    case 'FIGURE_BY_STAGE': return t('p2.stage.STAGE_' + category);
    case 'FIGURE_BY_LEVEL': return t('p2.level.LEVEL_' + category.toUpperCase());
    case 'FIGURE_BY_NEED_AREA': return codeLabel('needAreas', category);
    case 'FIGURE_BY_CHILD_PROTECTION': return t('countyFigures.cp.' + category);
    default: return category;
  }
}

function csvField(value) {
  const s = String(value);
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

// One tidy CSV (RFC 4180): municipality,dimension,category,count,suppressed.
export function figuresCsv(r) {
  const lines = ['municipality,dimension,category,count,suppressed'];
  const add = (who, v) => {
    for (const c of [...(v.cells || []), v.total || { category: 'total' }]) {
      lines.push([who, DIMS[v.dimension] || 'unknown', c.category || 'total',
        c.suppressed ? '' : num(c.count), c.suppressed ? 'true' : 'false'].map(csvField).join(','));
    }
  };
  for (const m of r.municipalities || []) for (const v of m.vectors || []) add(m.municipality, v);
  for (const v of r.county || []) add('county', v);
  return lines.join('\r\n') + '\r\n';
}

function download(r) {
  const url = URL.createObjectURL(new Blob([figuresCsv(r)], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = 'county-figures.csv';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function FigureTable({ r, d }) {
  const county = r.county[d];
  const munis = r.municipalities || [];
  const rows = [...(county.cells || []).map((c, i) => ({ label: categoryLabel(county.dimension, c.category), i })),
    { label: t('countyFigures.total'), i: -1 }];
  const cellOf = (v, i) => (i < 0 ? v.total : (v.cells || [])[i]);
  return (
    <div class="table-wrap">
      <table data-testid={'county-figures-' + (DIMS[county.dimension] || d)}>
        <caption>{t('countyFigures.dim.' + county.dimension)}</caption>
        <thead>
          <tr>
            <th scope="col">{t('countyFigures.category')}</th>
            {munis.map((m) => <th scope="col" class="num" key={m.municipality}>{muniName(m.municipality)}</th>)}
            <th scope="col" class="num">{t('countyFigures.county')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.i}>
              <th scope="row">{row.label}</th>
              {munis.map((m) => <td class="num" key={m.municipality}>{cellText(cellOf((m.vectors || [])[d] || {}, row.i))}</td>)}
              <td class="num">{countyCellText(cellOf(county, row.i),
                munis.map((m) => cellOf((m.vectors || [])[d] || {}, row.i)))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CountyFigures() {
  useLang();
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);

  async function load() {
    setError(null);
    try {
      setData(await call('hop.v1.CaseWork/CountyFigures', {}));
    } catch (e) {
      setError(e);
      setData(null);
    }
  }
  useEffect(() => { load(); }, []);

  const county = (data && data.county) || [];
  return (
    <section aria-labelledby="county-figures-title" data-testid="county-figures">
      <h2 id="county-figures-title">{t('countyFigures.title')}</h2>
      <p class="muted">{t('countyFigures.intro')}</p>
      {error && <ErrorBanner error={error} />}
      {!data && !error && <Loading />}
      {data && (
        <>
          <div class="actions">
            <button type="button" onClick={load}>{t('figures.refresh')}</button>
            <button type="button" data-testid="county-figures-csv" onClick={() => download(data)}>
              {t('countyFigures.csv')}
            </button>
          </div>
          {(data.gaps || []).length > 0 && (
            <ul data-testid="county-figures-gaps">
              {data.gaps.map((g) => (
                <li key={g.municipality}>
                  {t('countyFigures.gap', { municipality: muniName(g.municipality),
                    outcome: t('countyFigures.outcome.' + (g.outcome || 'PEER_OUTCOME_UNREACHABLE')) })}
                </li>
              ))}
            </ul>
          )}
          {county.map((v, d) => <FigureTable r={data} d={d} key={v.dimension} />)}
          {county.filter((v) => MONTHLY.includes(v.dimension)).map((v) => (
            <BarChart key={v.dimension} id={'trend-' + DIMS[v.dimension]}
                      title={t('countyFigures.dim.' + v.dimension)} desc={t('countyFigures.trendDesc')}
                      bars={(v.cells || []).map((c) => ({ label: c.category, value: c.suppressed ? 0 : num(c.count), text: cellText(c) }))} />
          ))}
          <p class="muted">{t('countyFigures.legend', { threshold: data.threshold || 5 })}</p>
        </>
      )}
    </section>
  );
}
