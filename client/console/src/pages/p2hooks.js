// Hooks shared by UI-2's pages.
import { useEffect, useState } from 'preact/hooks';
import { call, reference } from '../api.js';

let whoAmI = null;

// Who the caller is: the app's `who` prop (Admin/WhoAmI), else asked once.
export function useMe(props) {
  const given = props && props.who;
  const [me, setMe] = useState(given || null);
  useEffect(() => {
    if (given) return;
    if (!whoAmI) whoAmI = call('hop.v1.Admin/WhoAmI', {}).catch((e) => { whoAmI = null; throw e; });
    whoAmI.then(setMe, () => setMe({ kind: '', role: 'ROLE_UNSPECIFIED' }));
  }, []);
  return given || me;
}

// /api/reference (municipalities and code lists): the app's `reference` prop, else loaded.
export function useReference(props) {
  const given = props && props.reference;
  const [ref, setRef] = useState(given || null);
  useEffect(() => {
    if (given) return;
    reference().then(setRef, () => setRef({ thisMunicipality: '', municipalities: [], codes: {} }));
  }, []);
  return given || ref;
}
