// The browser tests' story, loaded through the real hopctl (as deploy/demo/county.sh does for
// the quickstart): three nodes of Tartu County, their people, two schools, three children.
// Every person and isikukood here is invented (valid by the check-digit rule only); children's
// surname "Näidis" ("sample").
import { Federation, dateFromToday } from './harness.mjs';

// An isikukood from its first ten digits: appends the check digit (daemon/domain/isikukood.cc).
export function isikukood(first10) {
  const d = [...first10].map(Number);
  const w1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 1];
  const w2 = [3, 4, 5, 6, 7, 8, 9, 1, 2, 3];
  let c = d.reduce((s, x, i) => s + x * w1[i], 0) % 11;
  if (c === 10) c = d.reduce((s, x, i) => s + x * w2[i], 0) % 11 % 10;
  return first10 + c;
}

export const TARTU = '0793';
export const KAMBJA = '0283';
export const ELVA = '0171';
export const CODES = [TARTU, KAMBJA, ELVA];

// Children and guardians.
export const RASMUS = { id: '51403120272', name: 'Rasmus Näidis', mother: '48509235762' };  // held by Kambja
export const MIA = { id: isikukood('6150612023'), name: 'Mia Näidis' };  // at another school
export const OSKAR = { id: isikukood('5160304017'), name: 'Oskar Näidis', guardian: isikukood('4850220031') };
// The person with the TEST ID card: a case manager of Kambja.
export const IVO = { id: isikukood('3800108571'), user: 'ivo', surname: 'Idkaart', given: 'Ivo', name: 'Ivo Idkaart' };

export const PEOPLE = {
  tiina: { node: TARTU, role: 'case-manager', name: 'Tiina Tamm', phone: '+372 5550 7931', email: 'tiina@tartu.example' },
  mari: { node: TARTU, role: 'teacher', name: 'Mari Maasikas', school: 'A' },
  kati: { node: TARTU, role: 'coordinator', name: 'Kati Kask', school: 'A' },
  olev: { node: TARTU, role: 'teacher', name: 'Olev Org', school: 'B' },
  leena: { node: TARTU, role: 'network-leader', name: 'Leena Liiv' },
  kadri: { node: KAMBJA, role: 'case-manager', name: 'Kadri Kuusk', phone: '+372 5550 2831', email: 'kadri@kambja.example' },
  anne: { node: ELVA, role: 'case-manager', name: 'Anne Allik', phone: '+372 5550 1711', email: 'anne@elva.example' },
};

// Personal data of the story: none of it may appear on a page of a role without access to it.
export const PERSONAL = [RASMUS.id, RASMUS.name, RASMUS.mother, MIA.id, MIA.name, OSKAR.id,
  OSKAR.name, OSKAR.guardian, 'Rasmus', 'Oskar', 'Näidis'];

function idOf(json) {
  if (!json || !json.id) throw new Error(`no id in hopctl's answer: ${JSON.stringify(json)}`);
  return json.id;
}

// Starts the federation and loads the story. Resolves {fed, schoolA, schoolB, caseRasmus,
// caseMia, caseOskar}.
export async function startSeeded() {
  const fed = new Federation(CODES);
  await fed.start();
  try {
    const s = { fed };
    const add = (user, extra = []) => {
      const p = PEOPLE[user];
      const args = ['user', 'add', user, '--role', p.role, '--name', p.name, ...extra];
      if (p.phone) args.push('--phone', p.phone, '--email', p.email);
      return fed.ok(p.node, 'admin', args);
    };
    await Promise.all([add('tiina'), add('kadri'), add('anne'), add('leena')]);
    await fed.ok(KAMBJA, 'admin', ['user', 'add', IVO.user, '--role', 'case-manager', '--name', IVO.name,
      '--phone', '+372 5550 2839', '--email', 'ivo@kambja.example', '--id-code', IVO.id]);
    s.schoolA = idOf(await fed.ok(TARTU, 'tiina', ['directory', 'institution', 'add', '--name',
      'Tartu Kesklinna Kool', '--kind', 'school', '--ownership', 'municipal', '--municipality', TARTU], { json: true }));
    s.schoolB = idOf(await fed.ok(TARTU, 'tiina', ['directory', 'institution', 'add', '--name',
      'Tartu Annelinna Kool', '--kind', 'school', '--ownership', 'municipal', '--municipality', TARTU], { json: true }));
    await fed.ok(TARTU, 'tiina', ['directory', 'contact', 'add', '--institution', s.schoolA, '--name', 'Kati Kask',
      '--role', 'HEVKO', '--phone', '+372 5551 7930', '--email', 'kati.kask@tartu.example',
      '--age-level', 'school', '--topic', 'learning-support']);
    await Promise.all([add('mari', ['--institution', s.schoolA]), add('kati', ['--institution', s.schoolA]),
      add('olev', ['--institution', s.schoolB])]);

    // Rasmus: school in Tartu linn, registered in Kambja; his mother lets Kambja see it.
    s.caseRasmus = idOf(await fed.ok(TARTU, 'mari', ['case', 'open', '--child', RASMUS.id, '--name', RASMUS.name,
      '--level', 'school', '--institution', s.schoolA, '--need', 'reading', '--need', 'speech',
      '--reason', 'falls behind in reading in grade 3'], { json: true }));
    await fed.ok(TARTU, 'kati', ['case', 'escalate', s.caseRasmus, '--to', 'II', '--reason', 'the class teacher\'s measures were not enough']);
    await fed.ok(TARTU, 'tiina', ['case', 'escalate', s.caseRasmus, '--to', 'III', '--reason', 'needs a service from the home municipality']);
    await fed.ok(TARTU, 'tiina', ['case', 'relate', s.caseRasmus, '--registered', KAMBJA, '--actual', KAMBJA]);
    await fed.ok(TARTU, 'tiina', ['consent', 'grant', '--child', RASMUS.id, '--guardian', RASMUS.mother,
      '--to', KAMBJA, '--scope', 'summary,contact,services', '--purpose', 'coordinate support with the home municipality',
      '--until', dateFromToday(365), '--evidence', 'TL-TEST-0114']);

    // Mia: a stage I case of another school of Tartu linn (teacher olev's).
    s.caseMia = idOf(await fed.ok(TARTU, 'olev', ['case', 'open', '--child', MIA.id, '--name', MIA.name,
      '--level', 'school', '--institution', s.schoolB, '--need', 'reading', '--reason', 'reads slowly'], { json: true }));

    // Oskar: a case of Tartu linn; the family also lives in Elva; no consent yet (the test
    // grants and withdraws one in the console).
    s.caseOskar = idOf(await fed.ok(TARTU, 'tiina', ['case', 'open', '--child', OSKAR.id, '--name', OSKAR.name,
      '--level', 'school', '--institution', s.schoolA, '--need', 'speech', '--reason', 'speech support'], { json: true }));
    await fed.ok(TARTU, 'tiina', ['case', 'relate', s.caseOskar, '--registered', TARTU, '--actual', `${TARTU},${ELVA}`]);

    // Kambja and Elva pull from Tartu linn: Kambja now holds Rasmus's summary (and Tartu linn
    // pulls from them, so its node page shows every peer synced).
    await Promise.all([fed.sync(KAMBJA), fed.sync(ELVA), fed.sync(TARTU)]);
    return s;
  } catch (e) {
    await fed.stop();
    throw e;
  }
}
