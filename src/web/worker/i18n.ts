// The worker app's i18n instance; also keeps Vant's own texts in the chosen language.
import { watch } from 'vue';
import { Locale } from 'vant';
import vantEn from 'vant/es/locale/lang/en-US';
import vantZh from 'vant/es/locale/lang/zh-CN';
import { createAppI18n } from '../shared/i18n';
import en from './locales/en';
import zhCN from './locales/zh-CN';

export const i18n = createAppI18n({ 'zh-CN': zhCN, en });

watch(
  i18n.global.locale,
  (locale) => {
    if (locale === 'en') Locale.use('en-US', vantEn);
    else Locale.use('zh-CN', vantZh);
    document.title = locale === 'en' ? 'Nuanxin' : '暖新';
  },
  { immediate: true },
);
