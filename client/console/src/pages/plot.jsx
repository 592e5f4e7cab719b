// Hand-made SVG plots (no chart library): horizontal bar charts with labels and values.
// Each chart is an <svg role="img"> named by its <title> and <desc>; the page shows the same
// numbers in a table next to it. Colours are SVG presentation attributes (no style needed).

const ROW = 26;      // px per bar
const BAR = 16;      // bar thickness
const CHAR = 7.2;    // approximate px per character at 13px
const TEXT = '#1b1b1b';
const FILL = { none: '#0b4f8a', ok: '#1d5e20', warn: '#8a5a00', bad: '#a4001d' };

// bars: [{label, value, text, tone?: 'ok'|'warn'|'bad'|'none'}]; the longest bar fills the width.
export function BarChart({ id, title, desc, bars, width = 760 }) {
  const labelW = Math.min(380, Math.max(60, Math.ceil(Math.max(0, ...bars.map((b) => b.label.length)) * CHAR) + 12));
  const textW = Math.max(48, Math.ceil(Math.max(0, ...bars.map((b) => (b.text || '').length)) * CHAR) + 12);
  const plotW = Math.max(60, width - labelW - textW);
  const max = Math.max(1, ...bars.map((b) => b.value));
  const height = bars.length * ROW + 8;
  return (
    <figure class="chart" data-chart={id} style={{ margin: '0 0 1.25rem' }}>
      <figcaption aria-hidden="true"><strong>{title}</strong></figcaption>
      <svg id={id} role="img" aria-labelledby={id + '-t ' + id + '-d'}
           viewBox={`0 0 ${width} ${height}`} width="100%" height={height}
           preserveAspectRatio="xMinYMin meet" font-size="13" font-family="system-ui, sans-serif">
        <title id={id + '-t'}>{title}</title>
        <desc id={id + '-d'}>{desc}</desc>
        <line x1={labelW} y1="0" x2={labelW} y2={height} stroke="#8a8f96" stroke-width="1" />
        {bars.map((b, i) => {
          const y = 4 + i * ROW;
          const w = b.value > 0 ? Math.max(2, (b.value / max) * plotW) : 0;
          return (
            <g key={i} data-bar={b.label} data-value={b.value}>
              <text x={labelW - 6} y={y + BAR / 2 + 4} text-anchor="end" fill={TEXT}>{b.label}</text>
              <rect x={labelW} y={y} width={w} height={BAR} rx="2" fill={FILL[b.tone || 'none'] || FILL.none} />
              <text x={labelW + w + 5} y={y + BAR / 2 + 4} fill={TEXT}>{b.text}</text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
