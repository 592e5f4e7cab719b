// The console's shell: header (node, user, role, inbox count, language), navigation by role,
// hash routes without data (#/find, #/case, ...) and the page of the route.
import { useEffect, useRef, useState } from 'preact/hooks';
import { call, reference } from './api.js';
import { t, lang, setLang, useLang, muniName, roleName, fmtNumber } from './i18n.js';
import { ErrorBanner, Loading } from './components.jsx';
import { pages, INBOX_ROLES } from './pages/index.js';

const INBOX_POLL_MS = 60000;

function hashRoute() {
  const m = /^#\/([a-z0-9-]+)/.exec(window.location.hash || '');
  return m ? m[1] : '';
}

// Whether `page` is for the signed-in identity (navigation only; the API decides).
export function pageAllowed(page, who) {
  if (!who) return false;
  if (who.kind === 'ops') return !!page.ops;
  if (who.kind !== 'staff') return false;
  return (page.roles || []).includes(who.role);
}

function LangSwitch() {
  const other = lang() === 'et' ? 'en' : 'et';
  return (
    <button type="button" class="lang-switch" data-testid="lang-switch" lang={other}
      onClick={() => setLang(other)}>
      {t('lang.switchTo.' + other)}
    </button>
  );
}

function InboxBadge({ count, error }) {
  const label = error ? t('header.inboxUnknown') : t('header.inboxCount', { count: fmtNumber(count) });
  return (
    <a href="#/inbox" class={'inbox-badge' + (count > 0 ? ' has-items' : '')} data-nav-inbox>
      <span class="inbox-label">{t('header.inbox')}</span>{' '}
      <span class="badge" data-testid="inbox-count" aria-label={label} title={label}>
        {error ? '?' : fmtNumber(count)}
      </span>
    </a>
  );
}

function SignIn({ error }) {
  const unauth = error && (error.status === 401 || error.code === 'UNAUTHENTICATED');
  return (
    <main id="main" data-page="signin" tabIndex={-1}>
      <h1>{t('signin.title')}</h1>
      {unauth ? (
        <div class="card">
          <p>{t('signin.needCertificate')}</p>
          <ul>
            <li>{t('signin.staffCert')}</li>
            <li>{t('signin.idCard')}</li>
          </ul>
          <p>{t('signin.reload')}</p>
        </div>
      ) : (
        <ErrorBanner error={error} />
      )}
    </main>
  );
}

export function App() {
  useLang();
  const [who, setWho] = useState(null);
  const [whoError, setWhoError] = useState(null);
  const [ref, setRef] = useState(null);
  const [route, setRoute] = useState(hashRoute());
  const [routeState, setRouteState] = useState({});
  const [inbox, setInbox] = useState({ count: 0, error: null, known: false });
  const mainRef = useRef(null);
  const firstRoute = useRef(true);

  useEffect(() => {
    reference().then(setRef).catch(() => setRef({}));
    call('hop.v1.Admin/WhoAmI', {}).then(setWho).catch(setWhoError);
    const onHash = () => setRoute(hashRoute());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const inboxAllowed = !!who && who.kind === 'staff' && INBOX_ROLES.includes(who.role);
  function refreshInbox() {
    if (!inboxAllowed) return Promise.resolve();
    return call('hop.v1.CaseWork/ListInbox', {})
      .then((r) => setInbox({ count: (r.entries || []).length, error: null, known: true }))
      .catch((e) => setInbox((s) => ({ ...s, error: e, known: true })));
  }
  useEffect(() => {
    if (!inboxAllowed) return undefined;
    refreshInbox();
    const timer = setInterval(refreshInbox, INBOX_POLL_MS);
    return () => clearInterval(timer);
  }, [inboxAllowed]);

  const visible = pages.filter((p) => pageAllowed(p, who));
  let page = pages.find((p) => p.route === route);
  if (who && !page) page = visible[0];
  const current = page ? page.route : '';

  useEffect(() => {
    if (!page) return;
    document.title = t(page.title) + ' – ' + t('app.name');
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    if (mainRef.current) mainRef.current.focus();
  }, [current, lang()]);

  function go(to, state) {
    setRouteState((s) => ({ ...s, [to]: state }));
    if (hashRoute() === to) setRoute(to);
    else window.location.hash = '#/' + to;
  }

  const header = (
    <header class="site-header">
      <div class="brand">
        <span class="app-name">{t('app.name')}</span>
        {who && who.municipality ? <span class="node-muni">{muniName(who.municipality)}</span> : null}
      </div>
      <div class="who">
        {who ? (
          <span class="user">
            <span class="user-name">{who.name || who.spiffeId}</span>
            {who.kind === 'staff' && who.role ? <span class="user-role">{roleName(who.role)}</span> : null}
            {who.kind === 'ops' ? <span class="user-role">{t('role.ops')}</span> : null}
          </span>
        ) : null}
        {inboxAllowed ? <InboxBadge count={inbox.count} error={inbox.error} /> : null}
        <LangSwitch />
      </div>
    </header>
  );

  if (whoError) {
    return (
      <>
        <a class="skip-link" href="#main">{t('app.skipToContent')}</a>
        {header}
        <SignIn error={whoError} />
      </>
    );
  }
  if (!who || !ref) {
    return (
      <>
        {header}
        <main id="main" tabIndex={-1}><Loading /></main>
      </>
    );
  }

  const Page = page ? page.component : null;
  return (
    <>
      <a class="skip-link" href="#main" onClick={(e) => { e.preventDefault(); mainRef.current && mainRef.current.focus(); }}>
        {t('app.skipToContent')}
      </a>
      {header}
      <nav class="site-nav" aria-label={t('nav.label')}>
        <ul>
          {visible.map((p) => (
            <li key={p.route}>
              <a href={'#/' + p.route} data-nav={p.route} aria-current={p.route === current ? 'page' : undefined}
                onClick={() => setRouteState((s) => ({ ...s, [p.route]: undefined }))}>
                {t(p.title)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" data-page={current || 'none'} tabIndex={-1} ref={mainRef}>
        {Page ? (
          <Page key={current} who={who} reference={ref} state={routeState[current]} go={go}
            refreshInbox={refreshInbox} />
        ) : (
          <>
            <h1>{t('app.noPagesTitle')}</h1>
            <p>{t('app.noPages')}</p>
          </>
        )}
      </main>
    </>
  );
}
