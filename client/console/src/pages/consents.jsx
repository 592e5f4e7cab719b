import { t } from '../i18n.js';

export function ConsentsPage() {
  return <h1>{t('consents.title')}</h1>;
}
