// The console's i18n instance; the document title follows the language.
import { watch } from 'vue';
import { createAppI18n } from '../shared/i18n';
import admin7En from './locales/admin7.en';
import admin7Zh from './locales/admin7.zh-CN';
import matterEn from '../shared/matters/locales/en';
import matterZh from '../shared/matters/locales/zh-CN';
import en from './locales/en';
import mattersEn from './locales/matters.en';
import mattersZh from './locales/matters.zh-CN';
import placesEn from './locales/places.en';
import placesZh from './locales/places.zh-CN';
import reportsEn from './locales/reports.en';
import reportsZh from './locales/reports.zh-CN';
import zhCN from './locales/zh-CN';

export const i18n = createAppI18n({ 'zh-CN': zhCN, en });
// The appeals desk's strings: merged deeply, so its `nav` entries join the menu's.
i18n.global.mergeLocaleMessage('zh-CN', { ...matterZh, ...mattersZh });
i18n.global.mergeLocaleMessage('en', { ...matterEn, ...mattersEn });
i18n.global.mergeLocaleMessage('zh-CN', placesZh);
i18n.global.mergeLocaleMessage('en', placesEn);
i18n.global.mergeLocaleMessage('zh-CN', admin7Zh);
i18n.global.mergeLocaleMessage('en', admin7En);
i18n.global.mergeLocaleMessage('zh-CN', reportsZh);
i18n.global.mergeLocaleMessage('en', reportsEn);

watch(
  i18n.global.locale,
  (locale) => {
    document.title = locale === 'en' ? en.console.fullTitle : zhCN.console.fullTitle;
  },
  { immediate: true },
);
