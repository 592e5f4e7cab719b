import { t } from '../i18n.js';

export function CasePage() {
  return <h1>{t('case.title')}</h1>;
}
