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
import placesEn from './locales/places.en';
import placesZh from './locales/places.zh-CN';
import pointsEn from './locales/points.en';
import pointsZh from './locales/points.zh-CN';
import reportsEn from './locales/reports.en';
import reportsZh from './locales/reports.zh-CN';
import zhCN from './locales/zh-CN';

export const i18n = createAppI18n({
  'zh-CN': { ...zhCN, ...matterZh, ...appealsZh, ...placesZh, ...pointsZh, ...reportsZh },
  en: { ...en, ...matterEn, ...appealsEn, ...placesEn, ...pointsEn, ...reportsEn },
});

watch(
  i18n.global.locale,
  (locale) => {
    if (locale === 'en') Locale.use('en-US', vantEn);
    else Locale.use('zh-CN', vantZh);
    document.title = locale === 'en' ? 'Nuanxin' : '暖新';
  },
  { immediate: true },
);
