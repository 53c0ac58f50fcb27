// The report page's calls: categories, likely duplicates, my reports, and sending one with its
// Idempotency-Key (the shared client sends no custom headers).
import { ApiError, request } from '../../../shared/api';
import { mattersApi } from '../../../shared/matters/api';
import type { LocalizedText } from '../../../shared/types';

export interface ReportCategory {
  code: string;
  label: LocalizedText;
}

export interface Duplicate {
  number: number;
  category: string;
  status: string;
  title: string | null;
  distanceM: number;
  createdAt: string;
  score: number;
}

export interface MyReport {
  id: string;
  number: number;
  status: string;
  category: string;
  text: string;
  points: number | null;
  level: string | null;
  ownerOrgName: string | null;
  rejectReason: string | null;
  result: string | null;
  mergedIntoNumber: number | null;
  createdAt: string;
}

export interface ReportDraft {
  category: string;
  text: string;
  photos: string[];
  location?: { lat: number; lng: number; datum: 'wgs84'; accuracyM: number | null };
  placeId?: string;
  occurredAt: string;
}

function readCookie(name: string): string | null {
  const found = document.cookie.split('; ').find((c) => c.startsWith(`${name}=`));
  return found ? decodeURIComponent(found.slice(name.length + 1)) : null;
}

export const reportsApi = {
  categories: () => request<{ items: ReportCategory[] }>('GET', '/api/report-categories'),
  duplicates: (body: { lat: number; lng: number; category?: string; text?: string }) =>
    request<{ items: Duplicate[] }>('POST', '/api/reports/duplicates', { body }),
  mine: () => request<{ items: MyReport[] }>('GET', '/api/me/reports', { query: { limit: 50 } }),
  upload: (blob: Blob) => mattersApi.upload(blob, 'photo.jpg'),
  /** Sends a report; the same key sent again answers with the first report, never a second one. */
  async send(draft: ReportDraft, key: string): Promise<{ id: string; number: number }> {
    const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json', 'idempotency-key': key };
    const csrf = readCookie('nx_csrf');
    if (csrf) headers['x-csrf-token'] = csrf;
    let response: Response;
    try {
      response = await fetch('/api/reports', { method: 'POST', headers, credentials: 'same-origin', body: JSON.stringify(draft) });
    } catch {
      throw new ApiError(0, 'network_error', { zh: '网络连接失败', en: 'No connection' });
    }
    const data = (await response.json().catch(() => null)) as { error?: { code: string; message: LocalizedText } } | null;
    if (!response.ok) {
      throw new ApiError(
        response.status,
        data?.error?.code ?? `http_${response.status}`,
        data?.error?.message ?? { zh: '提交失败', en: 'Sending failed' },
      );
    }
    return data as unknown as { id: string; number: number };
  },
};
