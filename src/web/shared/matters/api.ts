// Typed calls for matters (appeals), in-app messages, attachments and the work calendar, built on
// the shared client so errors, CSRF and lost sessions are handled the same way everywhere.
import { ApiError, readCookie, request } from '../api';
import type { Items, LocalizedText } from '../types';
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

const UPLOAD_FAILED: LocalizedText = { zh: '上传失败，请重试', en: 'The upload failed. Please try again.' };
const DOWNLOAD_FAILED: LocalizedText = { zh: '下载失败，请重试', en: 'The download failed. Please try again.' };

/** A non-JSON call (upload, download) that failed: the server's error if it sent one. */
async function failure(response: Response, fallback: LocalizedText): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: LocalizedText; details?: unknown } };
    if (body.error?.code) return new ApiError(response.status, body.error.code, body.error.message ?? fallback, body.error.details);
  } catch {
    // not JSON
  }
  return new ApiError(response.status, `http_${response.status}`, fallback);
}

/** The file name from a Content-Disposition header, preferring the UTF-8 form. */
function attachmentName(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (utf8?.[1]) return decodeURIComponent(utf8[1]);
  const plain = /filename="([^"]+)"/i.exec(header);
  return plain?.[1] ?? fallback;
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
  async downloadLedger(query: Omit<LedgerQuery, 'cursor' | 'limit'>): Promise<string> {
    let response: Response;
    try {
      response = await fetch(`/api/matters/export.xlsx?${ledgerSearch({ ...query, withTotal: undefined })}`, {
        credentials: 'same-origin',
      });
    } catch {
      throw new ApiError(0, 'network_error', DOWNLOAD_FAILED);
    }
    if (!response.ok) throw await failure(response, DOWNLOAD_FAILED);
    const name = attachmentName(response.headers.get('content-disposition'), 'ledger.xlsx');
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    return name;
  },

  notifications: (limit = 20, before?: string) => request<NotificationList>('GET', '/api/me/notifications', { query: { limit, before } }),
  markRead: (which: string[] | 'all') =>
    request<{ marked: number }>('POST', '/api/me/notifications/read', { body: which === 'all' ? { all: true } : { ids: which } }),

  /** Uploads one photo or document; it stays private to the uploader until attached to a matter. */
  async upload(file: File | Blob, name = file instanceof File ? file.name : 'photo.jpg'): Promise<FileInfo> {
    const form = new FormData();
    form.append('file', file, name);
    const headers: Record<string, string> = { accept: 'application/json' };
    const csrf = readCookie('nx_csrf');
    if (csrf) headers['x-csrf-token'] = csrf;
    let response: Response;
    try {
      response = await fetch('/api/files', { method: 'POST', body: form, headers, credentials: 'same-origin' });
    } catch {
      throw new ApiError(0, 'network_error', UPLOAD_FAILED);
    }
    if (!response.ok) throw await failure(response, UPLOAD_FAILED);
    return (await response.json()) as FileInfo;
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
