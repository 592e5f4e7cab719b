import { t } from '../i18n.js';

export function FindPage() {
  return <h1>{t('find.title')}</h1>;
}
