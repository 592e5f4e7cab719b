// County figures (CaseWork/CountCases): counts of this node's cases by level, stage, track and
// status, for network leaders (and case managers, child-protection specialists). Counts only:
// the API gives no names or ids, and neither does this page. Cells under 5 (and those that
// would reveal one) come suppressed (issue 13): shown as "<5", and a sum with a suppressed part
// as "·", never as a number.
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api.js';
import { t, fmtNumber, fmtDateTime, muniName, useLang } from '../i18n.js';
import { ErrorBanner, Loading } from '../components.jsx';
import { useMe, useReference } from './p2hooks.js';
import { CountyFigures } from './county_figures.jsx';
import { num } from './p2util.js';
import { BarChart } from './plot.jsx';

const LEVEL_ORDER = ['LEVEL_KINDERGARTEN', 'LEVEL_SCHOOL', 'LEVEL_MUNICIPALITY', 'LEVEL_UNSPECIFIED'];
const STAGE_ORDER = ['STAGE_I', 'STAGE_II', 'STAGE_III', 'STAGE_UNSPECIFIED'];
const STATUS_ORDER = ['CASE_OPEN', 'CASE_CLOSED', 'CASE_STATUS_UNSPECIFIED'];

function order(list, v) {
  const i = list.indexOf(v);
  return i < 0 ? list.length : i;
}

function rowLabel(c) {
  return [t('p2.level.' + (c.level || 'LEVEL_UNSPECIFIED')), t('p2.stageShort.' + (c.stage || 'STAGE_UNSPECIFIED')),
    c.childProtection ? t('figures.cp') : null, t('p2.status.' + (c.status || 'CASE_STATUS_UNSPECIFIED'))]
    .filter(Boolean).join(' · ');
}

// Sums of the counts by one key, in the given order.
function sumBy(counts, key, keys, only) {
  const sums = new Map(keys.map((k) => [k, 0]));
  for (const c of counts) {
    if (only && !only(c)) continue;
    const k = c[key] || keys[keys.length - 1];
    sums.set(k, (sums.get(k) || 0) + num(c.count));
  }
  return sums;
}

// The sum of rows, or null when a suppressed row is among them (the sum would be a guess).
function sumShown(rows) {
  return rows.some((c) => c.suppressed) ? null : rows.reduce((s, c) => s + num(c.count), 0);
}

export function FiguresPage(props) {
  useLang();
  const ref = useReference(props);
  const me = useMe(props);
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  const [at, setAt] = useState(0);

  async function load() {
    setError(null);
    try {
      const r = await call('hop.v1.CaseWork/CountCases', {});
      const counts = (r.counts || []).slice().sort((a, b) =>
        order(STATUS_ORDER, a.status) - order(STATUS_ORDER, b.status) ||
        order(LEVEL_ORDER, a.level) - order(LEVEL_ORDER, b.level) ||
        order(STAGE_ORDER, a.stage) - order(STAGE_ORDER, b.stage) ||
        (a.childProtection ? 1 : 0) - (b.childProtection ? 1 : 0));
      setData({ counts, total: num(r.total) });
      setAt(Math.floor(Date.now() / 1000));
    } catch (e) {
      setError(e);
      setData(null);
    }
  }

  useEffect(() => { load(); }, []);

  const open = (c) => c.status === 'CASE_OPEN';
  const byStage = data ? sumBy(data.counts, 'stage', STAGE_ORDER.slice(0, 3).concat(['STAGE_UNSPECIFIED']), open) : null;
  const byLevel = data ? sumBy(data.counts, 'level', LEVEL_ORDER, open) : null;
  const cpOpen = data ? sumShown(data.counts.filter((c) => open(c) && c.childProtection)) : 0;
  const openTotal = data ? sumShown(data.counts.filter(open)) : 0;
  // Cells under 5 (and those that would reveal one) come suppressed: never printed as numbers.
  // Whether a suppressed open row falls under `k` of `key` (its sum in a chart is then partial).
  const hidden = (key, k) => data.counts.some((c) => open(c) && c.suppressed && (c[key] || '') === k);
  const totalText = data && data.total === 0 && data.counts.length > 0 ? '<5' : fmtNumber(data ? data.total : 0);

  return (
    <section aria-labelledby="figures-title">
      <h1 id="figures-title">{t('figures.title')}</h1>
      <p class="muted">{t('figures.intro', { node: ref ? muniName(ref.thisMunicipality) : '' })}</p>
      {me && me.role === 'ROLE_NETWORK_LEADER' && <CountyFigures />}
      {error && <ErrorBanner error={error} />}
      {!data && !error && <Loading />}
      {data && (
        <>
          <dl class="props" data-testid="figures-summary">
            <dt>{t('figures.total')}</dt><dd data-testid="figures-total">{totalText}</dd>
            <dt>{t('figures.open')}</dt><dd>{openTotal === null ? '·' : fmtNumber(openTotal)}</dd>
            <dt>{t('figures.openCp')}</dt><dd>{cpOpen === null ? '·' : fmtNumber(cpOpen)}</dd>
            <dt>{t('figures.asOf')}</dt><dd>{fmtDateTime(at)}</dd>
          </dl>
          <div class="actions">
            <button type="button" onClick={load}>{t('figures.refresh')}</button>
          </div>
          <h2>{t('figures.tableTitle')}</h2>
          {data.counts.length === 0 ? <p>{t('figures.none')}</p> : (
            <div class="table-wrap">
              <table data-testid="figures">
                <caption>{t('figures.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('figures.col.level')}</th>
                    <th scope="col">{t('figures.col.stage')}</th>
                    <th scope="col">{t('figures.col.track')}</th>
                    <th scope="col">{t('figures.col.status')}</th>
                    <th scope="col" class="num">{t('figures.col.count')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.counts.map((c, i) => (
                    <tr key={i}>
                      <td>{t('p2.level.' + (c.level || 'LEVEL_UNSPECIFIED'))}</td>
                      <td>{t('p2.stage.' + (c.stage || 'STAGE_UNSPECIFIED'))}</td>
                      <td>{c.childProtection ? t('figures.trackCp') : t('figures.trackSupport')}</td>
                      <td>{t('p2.status.' + (c.status || 'CASE_STATUS_UNSPECIFIED'))}</td>
                      <td class="num">{c.suppressed ? '<5' : fmtNumber(num(c.count))}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row" colSpan={4}>{t('figures.total')}</th>
                    <td class="num">{totalText}</td>
                  </tr>
                </tfoot>
              </table>
            </div>
          )}
          {data.counts.length > 0 && (
            <>
              <h2>{t('figures.chartsTitle')}</h2>
              <div>
                <BarChart id="fig-stage" title={t('figures.chart.stage')} desc={t('figures.chart.desc')}
                          bars={[...byStage.entries()].filter(([k, v]) => v > 0 || k !== 'STAGE_UNSPECIFIED')
                            .map(([k, v]) => ({ label: t('p2.stage.' + k), value: v, text: hidden('stage', k) ? '·' : fmtNumber(v) }))} />
                <BarChart id="fig-level" title={t('figures.chart.level')} desc={t('figures.chart.desc')}
                          bars={[...byLevel.entries()].filter(([k, v]) => v > 0 || k !== 'LEVEL_UNSPECIFIED')
                            .map(([k, v]) => ({ label: t('p2.level.' + k), value: v, text: hidden('level', k) ? '·' : fmtNumber(v) }))} />
                <BarChart id="fig-all" title={t('figures.chart.all')} desc={t('figures.chart.desc')}
                          bars={data.counts.map((c) => ({ label: rowLabel(c), value: num(c.count), text: c.suppressed ? '<5' : fmtNumber(num(c.count)) }))} />
              </div>
            </>
          )}
        </>
      )}
    </section>
  );
}

export default FiguresPage;
