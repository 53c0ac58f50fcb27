// Calls of the console's report, Open311 and points administration pages (issue 7's server side:
// docs/reports.md, docs/open311.md, docs/points.md).
import { request } from '../../../shared/api';
import type { LocalizedText } from '../../../shared/types';

export interface ReportCategory {
  code: string;
  label: LocalizedText;
  handleDays: number;
  sort: number;
  active: boolean;
}

export interface CategoryInput {
  labelZh: string;
  labelEn: string;
  handleDays: number;
  sort?: number;
  active?: boolean;
}

export interface ReportRoute {
  id: string;
  category: string;
  regionCode: string;
  regionName: string;
  organisationId: string;
  organisationName: string;
  updatedAt: string;
}

export interface Open311Key {
  id: string;
  name: string;
  masked: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface PointRules {
  reportOrdinary: number;
  reportUseful: number;
  reportImportant: number;
  perVolunteerHour: number;
  perGridShift: number;
  monthlyCap: number;
  expiryMonths: number;
  codeTtlMinutes: number;
}

export interface RulesAnswer {
  regionCode: string;
  rules: PointRules;
  /** The city or district whose rules apply; null: the defaults. */
  setAt: string | null;
}

const seg = encodeURIComponent;

export const adminApi = {
  categories: () => request<{ items: ReportCategory[] }>('GET', '/api/report-categories', { query: { all: 'true' } }),
  saveCategory: (code: string, input: CategoryInput) => request<ReportCategory>('PUT', `/api/report-categories/${seg(code)}`, { body: input }),

  routes: (query: { region?: string; category?: string }) =>
    request<{ items: ReportRoute[] }>('GET', '/api/report-routes', { query: { ...query } }),
  setRoute: (input: { category: string; regionCode: string; organisationId: string }) =>
    request<ReportRoute>('PUT', '/api/report-routes', { body: input }),
  deleteRoute: (id: string) => request<void>('DELETE', `/api/report-routes/${seg(id)}`),

  keys: () => request<{ items: Open311Key[] }>('GET', '/api/open311/keys'),
  createKey: (name: string) => request<Open311Key & { key: string }>('POST', '/api/open311/keys', { body: { name } }),
  revokeKey: (id: string) => request<void>('DELETE', `/api/open311/keys/${seg(id)}`),

  rules: (region: string) => request<RulesAnswer>('GET', '/api/points/rules', { query: { region } }),
  saveRules: (regionCode: string, rules: PointRules) => request<RulesAnswer>('PUT', '/api/points/rules', { body: { regionCode, rules } }),
  correct: (input: { userId: string; points: number; reason: string }) =>
    request<{ transferId: string; balance: number }>('POST', '/api/points/corrections', { body: input }),
};
