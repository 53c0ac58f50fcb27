// The worker app's client for points, rewards and the merchant page (see docs/points.md).
import { ApiError, readCookie, request } from '../../../shared/api';

export interface MyPoints {
  balance: number;
  held: number;
  expiring: { points: number; expiresAt: string }[];
}

export interface PointsEntry {
  id: number;
  kind: 'award' | 'spend' | 'hold' | 'release' | 'expiry' | 'correction';
  source: string | null;
  sourceId: string | null;
  points: number;
  note: string | null;
  expiresAt: string | null;
  createdAt: string;
}

export interface Reward {
  id: string;
  organisationId: string;
  organisationName: string;
  title: string;
  description: string;
  pointsPrice: number;
  stock: number;
  validFrom: string | null;
  validUntil: string | null;
  active: boolean;
}

export interface Redemption {
  id: string;
  rewardId: string;
  rewardTitle: string;
  organisationName: string;
  points: number;
  status: 'pending' | 'confirmed' | 'expired';
  expiresAt: string;
  confirmedAt: string | null;
  createdAt: string;
  codes?: { token: string; shortCode: string } | null;
}

export interface Statement {
  month: string;
  total: number;
  redemptions: number;
  balance: number;
  rows: { day: string; rewardId: string; rewardTitle: string; redemptions: number; points: number }[];
}

export interface RewardInput {
  title: string;
  description?: string;
  pointsPrice: number;
  stock: number;
  active?: boolean;
}

/** Redeems with an idempotency key, so a retried tap (or a lost answer) never redeems twice. */
async function redeem(rewardId: string, key: string): Promise<Redemption> {
  const headers: Record<string, string> = { accept: 'application/json', 'idempotency-key': key };
  const csrf = readCookie('nx_csrf');
  if (csrf) headers['x-csrf-token'] = csrf;
  let response: Response;
  try {
    response = await fetch(`/api/rewards/${encodeURIComponent(rewardId)}/redemptions`, { method: 'POST', headers, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network_error', { zh: '网络连接失败，请检查网络后重试', en: 'No connection; check the network and try again' });
  }
  const data = (await response.json().catch(() => null)) as (Redemption & { error?: { code: string; message: { zh: string; en: string } } }) | null;
  if (!response.ok || !data) {
    throw new ApiError(response.status, data?.error?.code ?? 'internal_error', data?.error?.message ?? { zh: '兑换失败', en: 'Redemption failed' });
  }
  return data;
}

export const pointsApi = {
  mine: () => request<MyPoints>('GET', '/api/me/points'),
  history: (before?: number) => request<{ items: PointsEntry[]; next: number | null }>('GET', '/api/me/points/history', { query: { before, limit: 30 } }),
  rewards: () => request<{ items: Reward[] }>('GET', '/api/rewards'),
  redeem,
  myRedemptions: () => request<{ items: Redemption[] }>('GET', '/api/me/redemptions'),
  merchantRewards: () => request<{ items: Reward[] }>('GET', '/api/merchant/rewards'),
  merchantRedemptions: (status?: Redemption['status']) => request<{ items: Redemption[] }>('GET', '/api/merchant/redemptions', { query: { status } }),
  confirm: (code: string) => request<Redemption>('POST', '/api/merchant/redemptions/confirm', { body: { code } }),
  statement: (month: string) => request<Statement>('GET', '/api/merchant/statement', { query: { month } }),
  createReward: (input: RewardInput) => request<Reward>('POST', '/api/rewards', { body: input }),
  updateReward: (id: string, input: RewardInput) => request<Reward>('PUT', `/api/rewards/${encodeURIComponent(id)}`, { body: input }),
};

/** This month in Beijing time, YYYY-MM. */
export function beijingMonth(at = new Date()): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 7);
}
