// The console's i18n instance; the document title follows the language.
import { watch } from 'vue';
import { createAppI18n } from '../shared/i18n';
import matterEn from '../shared/matters/locales/en';
import matterZh from '../shared/matters/locales/zh-CN';
import en from './locales/en';
import mattersEn from './locales/matters.en';
import mattersZh from './locales/matters.zh-CN';
import zhCN from './locales/zh-CN';

export const i18n = createAppI18n({ 'zh-CN': zhCN, en });
// The appeals desk's strings: merged deeply, so its `nav` entries join the menu's.
i18n.global.mergeLocaleMessage('zh-CN', { ...matterZh, ...mattersZh });
i18n.global.mergeLocaleMessage('en', { ...matterEn, ...mattersEn });

watch(
  i18n.global.locale,
  (locale) => {
    document.title = locale === 'en' ? en.console.fullTitle : zhCN.console.fullTitle;
  },
  { immediate: true },
);
