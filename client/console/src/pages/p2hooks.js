// Hooks shared by UI-2's pages.
import { useEffect, useState } from 'preact/hooks';
import { call, reference } from '../api.js';

let whoAmI = null;

// Who the caller is (Admin/WhoAmI), from the app's props when it passes them, else asked once.
export function useMe(props) {
  const given = props && (props.me || props.whoami || props.who);
  const [me, setMe] = useState(given || null);
  useEffect(() => {
    if (given) return;
    if (!whoAmI) whoAmI = call('hop.v1.Admin/WhoAmI', {}).catch((e) => { whoAmI = null; throw e; });
    whoAmI.then(setMe, () => setMe({ kind: '', role: 'ROLE_UNSPECIFIED' }));
  }, []);
  return given || me;
}

// /api/reference (municipalities and code lists), or null while loading.
export function useReference() {
  const [ref, setRef] = useState(null);
  useEffect(() => {
    reference().then(setRef, () => setRef({ thisMunicipality: '', municipalities: [], codes: {} }));
  }, []);
  return ref;
}

// Tells the header that the number of unacknowledged inbox entries changed.
export function inboxChanged() {
  window.dispatchEvent(new CustomEvent('hop:inbox-changed'));
}
