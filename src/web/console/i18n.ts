// The console's i18n instance; the document title follows the language.
import { watch } from 'vue';
import { createAppI18n } from '../shared/i18n';
import en from './locales/en';
import zhCN from './locales/zh-CN';

export const i18n = createAppI18n({ 'zh-CN': zhCN, en });

watch(
  i18n.global.locale,
  (locale) => {
    document.title = locale === 'en' ? en.console.fullTitle : zhCN.console.fullTitle;
  },
  { immediate: true },
);
