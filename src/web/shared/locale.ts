// The language the user chose (zh-CN by default), remembered in localStorage and shown in <html lang>.
export const APP_LOCALES = ['zh-CN', 'en'] as const;
export type AppLocale = (typeof APP_LOCALES)[number];

const STORAGE_KEY = 'nx.locale';

function isAppLocale(value: unknown): value is AppLocale {
  return typeof value === 'string' && (APP_LOCALES as readonly string[]).includes(value);
}

function readStoredLocale(): AppLocale {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isAppLocale(stored) ? stored : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

let current: AppLocale = readStoredLocale();

export function currentLocale(): AppLocale {
  return current;
}

/** Records the choice and updates the document; vue-i18n's own locale is set by the caller. */
export function rememberLocale(locale: AppLocale): void {
  current = locale;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  } catch {
    // Private browsing may refuse storage; the choice then lasts for this page only.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}
