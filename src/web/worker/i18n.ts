// The worker app's i18n instance; also keeps Vant's own texts in the chosen language.
import { watch } from 'vue';
import { Locale } from 'vant';
import vantEn from 'vant/es/locale/lang/en-US';
import vantZh from 'vant/es/locale/lang/zh-CN';
import { createAppI18n } from '../shared/i18n';
import matterEn from '../shared/matters/locales/en';
import matterZh from '../shared/matters/locales/zh-CN';
import appealsEn from './locales/appeals.en';
import appealsZh from './locales/appeals.zh-CN';
import en from './locales/en';
import zhCN from './locales/zh-CN';

export const i18n = createAppI18n({ 'zh-CN': { ...zhCN, ...matterZh, ...appealsZh }, en: { ...en, ...matterEn, ...appealsEn } });

watch(
  i18n.global.locale,
  (locale) => {
    if (locale === 'en') Locale.use('en-US', vantEn);
    else Locale.use('zh-CN', vantZh);
    document.title = locale === 'en' ? 'Nuanxin' : '暖新';
  },
  { immediate: true },
);
