// vue-i18n set-up shared by both apps: shared strings merged with each app's own.
import { computed } from 'vue';
import { createI18n, useI18n } from 'vue-i18n';
import { currentLocale, rememberLocale, type AppLocale } from './locale';
import sharedEn from './locales/en';
import sharedZh from './locales/zh-CN';
import type { LocalizedText } from './types';

type Messages = Record<string, unknown>;

export function createAppI18n(app: { 'zh-CN': Messages; en: Messages }) {
  const locale = currentLocale();
  rememberLocale(locale);
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'zh-CN',
    messages: {
      'zh-CN': { ...sharedZh, ...app['zh-CN'] },
      en: { ...sharedEn, ...app.en },
    },
  });
}

/** The current language and a way to change it (remembered, and reflected in <html lang>). */
export function useAppLocale() {
  const { locale } = useI18n({ useScope: 'global' });
  const current = computed<AppLocale>(() => (locale.value === 'en' ? 'en' : 'zh-CN'));
  function setLocale(next: AppLocale): void {
    locale.value = next;
    rememberLocale(next);
  }
  /** A name in the current language: the English name when there is one, else the Chinese. */
  function localName(item: { name: string; nameEn?: string | null }): string {
    return current.value === 'en' && item.nameEn ? item.nameEn : item.name;
  }
  function localText(text: LocalizedText): string {
    return current.value === 'en' ? text.en || text.zh : text.zh || text.en;
  }
  return {
    locale: current,
    setLocale,
    toggle: () => setLocale(current.value === 'en' ? 'zh-CN' : 'en'),
    localName,
    localText,
  };
}

/**
 * Labels of the server's closed sets (roles, region levels and kinds, organisation kinds). An
 * unknown value, say a role added on the server later, shows as itself rather than a key path.
 */
export function useLabels() {
  const { t, te } = useI18n({ useScope: 'global' });
  const label = (group: string, key: string | null | undefined): string => {
    if (!key) return '';
    return te(`${group}.${key}`) ? t(`${group}.${key}`) : key;
  };
  return {
    roleLabel: (role: string | null | undefined) => label('roles', role),
    levelLabel: (level: string | null | undefined) => label('levels', level),
    regionKindLabel: (kind: string | null | undefined) => label('regionKinds', kind),
    orgKindLabel: (kind: string | null | undefined) => label('orgKinds', kind),
  };
}
