// Labels from the server ({zh, en}), distances and the open/closed line, in the chosen language.
import { useI18n } from 'vue-i18n';
import type { LocalizedText } from '../../../shared/types';
import type { MobileStop } from './api';
import type { OpenState } from './hours';
import { beijing, formatMinutes } from './hours';

export function useLabel() {
  const { t, locale } = useI18n();
  const label = (text: LocalizedText | undefined | null): string =>
    text ? (locale.value === 'en' ? text.en || text.zh : text.zh || text.en) : '';
  const distance = (m: number): string => {
    const rounded = Math.round(m / 10) * 10;
    return rounded < 1000 ? t('places.distance.m', { n: rounded }) : t('places.distance.km', { n: (m / 1000).toFixed(1) });
  };
  const clock = (iso: string): string => formatMinutes(beijing(new Date(iso)).minute);
  /** The hours decide the text; the server's openNow wins when the two disagree (it knows more). */
  const stateText = (state: OpenState, openNow: boolean | undefined, mobile: MobileStop | null): string => {
    if (mobile) return t('places.state.mobile', { from: clock(mobile.startsAt), to: clock(mobile.endsAt) });
    if (state.kind === 'always') return t('places.state.always');
    if (state.kind === 'open' && openNow !== false) return t('places.state.openUntil', { time: state.closes });
    if (state.kind === 'closed' && openNow !== true && state.opens) {
      return state.tomorrow
        ? t('places.state.closedOpensTomorrow', { time: state.opens })
        : t('places.state.closedOpens', { time: state.opens });
    }
    return openNow ? t('places.filters.openNow') : t('places.state.closed');
  };
  return { label, distance, clock, stateText };
}
