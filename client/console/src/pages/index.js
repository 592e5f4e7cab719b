// The page registry: route -> page. A page appears in the navigation for the roles whose API
// methods it needs (daemon/authz/authz_rules.cc); the API stays the authority, so a page
// opened by its address still shows the API's refusal in plain words.
//   route: the hash route (#/route), also <main data-page=route> and <a data-nav=route>
//   title: message key of the nav link and the page title
//   roles: staff roles that see it in the navigation; ops: ops certificates see it too
// A page component gets props {who, reference, state, go, refreshInbox}: who = WhoAmI's answer,
// reference = /api/reference, state = what go(route, state) passed (personal data stays here,
// never in the address), refreshInbox() = re-count the header's inbox badge.
import { FindPage } from './find.jsx';
import { CasePage } from './case.jsx';
import { ConsentsPage } from './consents.jsx';
import { InboxPage } from './inbox.jsx';
import { ReportPage } from './report.jsx';
import { DirectoryPage } from './directory.jsx';
import { FiguresPage } from './figures.jsx';
import { NodePage } from './node.jsx';

const CM = 'ROLE_CASE_MANAGER';
const CP = 'ROLE_CHILD_PROTECTION';
const TEACHER = 'ROLE_TEACHER';
const COORD = 'ROLE_INSTITUTION_COORDINATOR';
const NL = 'ROLE_NETWORK_LEADER';
const ADMIN = 'ROLE_ADMIN';
// Support specialists (issue 13): the cases they are assigned to, their inbox, the directory.
const SPECIALISTS = ['ROLE_SCHOOL_NURSE', 'ROLE_SOCIAL_PEDAGOGUE', 'ROLE_SPECIAL_PEDAGOGUE',
  'ROLE_SPEECH_THERAPIST', 'ROLE_PSYCHOLOGIST'];
export const ROLES = { CM, CP, TEACHER, COORD, NL, ADMIN };
// Roles that may call CaseWork/ListInbox (the header's inbox count).
export const INBOX_ROLES = [TEACHER, COORD, CM, CP, NL, ...SPECIALISTS];

export const pages = [
  // UI-1
  { route: 'find', title: 'nav.find', roles: [CM, CP], component: FindPage },
  { route: 'case', title: 'nav.case', roles: [TEACHER, COORD, CM, CP, ...SPECIALISTS], component: CasePage },
  { route: 'consents', title: 'nav.consents', roles: [COORD, CM, CP], component: ConsentsPage },
  // UI-2 (inbox, access report, directory, county figures, node) below this line
  { route: 'inbox', title: 'inbox.nav', roles: INBOX_ROLES, component: InboxPage },
  { route: 'report', title: 'report.nav', roles: [CM, CP], component: ReportPage },
  { route: 'directory', title: 'directory.nav', roles: [TEACHER, COORD, CM, CP, NL, ...SPECIALISTS], component: DirectoryPage },
  { route: 'figures', title: 'figures.nav', roles: [NL, CM, CP], component: FiguresPage },
  { route: 'node', title: 'node.nav', roles: [ADMIN], ops: true, component: NodePage },
];
