// Form field layout that follows the language: English labels need a wider label column.
import { computed } from 'vue';
import { useAppLocale } from '../shared/i18n';

export function useLabelWidth() {
  const { locale } = useAppLocale();
  return computed(() => (locale.value === 'en' ? '7.4em' : '5.2em'));
}
