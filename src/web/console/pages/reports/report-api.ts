// Calls the console makes while reviewing a report (随手拍): its likely duplicates and the points
// each contribution level gives in its region (see docs/reports.md, docs/points.md).
import { request } from '../../../shared/api';

export const REPORT_LEVELS = ['ordinary', 'useful', 'important'] as const;
export type ReportLevel = (typeof REPORT_LEVELS)[number];

export interface ReportDuplicate {
  /** Null when this reviewer may not open it. */
  id: string | null;
  number: number;
  category: string;
  status: string;
  title: string | null;
  distanceM: number;
  createdAt: string;
  similarity: number;
  score: number;
}

export interface PointRules {
  reportOrdinary: number;
  reportUseful: number;
  reportImportant: number;
}

const LEVEL_RULE: Record<ReportLevel, keyof PointRules> = {
  ordinary: 'reportOrdinary',
  useful: 'reportUseful',
  important: 'reportImportant',
};

export const reportApi = {
  /** Reports near, recent and alike the one under review (itself left out), best first. */
  duplicates: (matterId: string) =>
    request<{ items: ReportDuplicate[] }>('POST', '/api/reports/duplicates', { body: { matterId } }).then((r) => r.items),
  /** The rules in force in a region; administrators and coordinators over it may read them. */
  rules: (region: string) =>
    request<{ regionCode: string; rules: PointRules; setAt: string | null }>('GET', '/api/points/rules', { query: { region } }),
};

export function pointsOf(rules: PointRules | null, level: ReportLevel): number | null {
  return rules ? rules[LEVEL_RULE[level]] : null;
}

/** A map of the point (OpenStreetMap takes WGS-84, as the report stores it). */
export function mapLink(lat: number, lng: number): string {
  return `https://www.openstreetmap.org/?mlat=${lat.toFixed(6)}&mlon=${lng.toFixed(6)}#map=18/${lat.toFixed(6)}/${lng.toFixed(6)}`;
}
