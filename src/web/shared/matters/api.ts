// Typed calls for matters (appeals), in-app messages, attachments and the work calendar, built on
// the shared client so errors, CSRF and lost sessions are handled the same way everywhere.
import { ApiError, request } from '../api';
import { downloadFile, sendRaw } from '../download';
import type { Items } from '../types';
import type {
  CalendarDay,
  CalendarYear,
  FileInfo,
  Figures,
  LedgerPage,
  LedgerQuery,
  Matter,
  MatterKind,
  NewMatter,
  NotificationList,
  OwnerCandidate,
  StepRequest,
} from './types';

const seg = encodeURIComponent;

/** The ledger's query string; `status` repeats (status=a&status=b), empty values are left out. */
export function ledgerSearch(query: Omit<LedgerQuery, 'cursor' | 'limit'> & { cursor?: string; limit?: number }): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.set(key, String(value));
  }
  return params.toString();
}

let kindsLoading: Promise<MatterKind[]> | null = null;

export const mattersApi = {
  /** Kinds with their states, categories and steps; fetched once per page load. */
  kinds(): Promise<MatterKind[]> {
    kindsLoading ??= request<Items<MatterKind>>('GET', '/api/matter-kinds').then(
      (r) => r.items,
      (error: unknown) => {
        kindsLoading = null;
        throw error;
      },
    );
    return kindsLoading;
  },
  list: (query: LedgerQuery) => request<LedgerPage>('GET', `/api/matters?${ledgerSearch(query)}`),
  get: (id: string) => request<Matter>('GET', `/api/matters/${seg(id)}`),
  create: (input: NewMatter) => request<Matter>('POST', '/api/matters', { body: input }),
  /** Takes a step (assign, reply, rate …) on the version of the matter the person saw. */
  step: (id: string, name: string, body: StepRequest) =>
    request<Matter>('POST', `/api/matters/${seg(id)}/transitions/${seg(name)}`, { body }),
  /** Organisations above the matter's region or in its district, with their people, for assign and transfer. */
  ownerCandidates: (id: string) => request<Items<OwnerCandidate>>('GET', `/api/matters/${seg(id)}/owner-candidates`),
  /** The full phone number of the person concerned; the reason is written to the audit log. */
  revealContact: (id: string, reason: string) =>
    request<{ phone: string | null }>('POST', `/api/matters/${seg(id)}/reveal-contact`, { body: { reason } }),
  figures: (query: { kind: string; region?: string; from: string; to: string }) =>
    request<Figures>('GET', '/api/matters/figures', { query }),

  /** Downloads exactly the filtered ledger rows as an Excel workbook. */
  downloadLedger: (query: Omit<LedgerQuery, 'cursor' | 'limit'>): Promise<string> =>
    downloadFile(`/api/matters/export.xlsx?${ledgerSearch({ ...query, withTotal: undefined })}`, 'ledger.xlsx'),

  notifications: (limit = 20, before?: string) => request<NotificationList>('GET', '/api/me/notifications', { query: { limit, before } }),
  markRead: (which: string[] | 'all') =>
    request<{ marked: number }>('POST', '/api/me/notifications/read', { body: which === 'all' ? { all: true } : { ids: which } }),

  /** Uploads one photo or document; it stays private to the uploader until attached to a matter. */
  upload(file: File | Blob, name = file instanceof File ? file.name : 'photo.jpg'): Promise<FileInfo> {
    const form = new FormData();
    form.append('file', file, name);
    return sendRaw<FileInfo>('POST', '/api/files', form);
  },

  calendar: (year: number) => request<CalendarYear>('GET', '/api/calendar', { query: { year } }),
  setCalendarDay: (day: string, body: { isWorkday: boolean; name?: string | null }) =>
    request<CalendarDay>('PUT', `/api/calendar/days/${seg(day)}`, { body }),
  resetCalendarDay: (day: string) => request<CalendarDay>('DELETE', `/api/calendar/days/${seg(day)}`),
};

/** True when the error says someone else changed the matter since it was loaded. */
export function isVersionConflict(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'version_conflict';
}
