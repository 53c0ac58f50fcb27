// What expires when. Points are spent first-in first-out: every debit (hold, expiry, negative
// correction), net of releases, eats the oldest lots first; what is left of each lot expires on
// that lot's date.
export interface Lot {
  amount: number;
  created_at: Date;
  expires_at: Date;
}

export interface Remaining {
  points: number;
  expiresAt: Date;
}

/** What is left of each lot after `otherSum` (sum of the non-lot entries, ≤ 0 normally). */
export function remainingLots(lots: Lot[], otherSum: number): Remaining[] {
  let consumed = Math.max(0, -otherSum);
  const left: Remaining[] = [];
  for (const lot of lots) {
    const take = Math.min(lot.amount, consumed);
    consumed -= take;
    if (lot.amount - take > 0) left.push({ points: lot.amount - take, expiresAt: lot.expires_at });
  }
  return left;
}

/** Remaining points grouped by expiry date, soonest first. */
export function groupByExpiry(left: Remaining[]): Remaining[] {
  const byTime = new Map<number, number>();
  for (const r of left) byTime.set(r.expiresAt.getTime(), (byTime.get(r.expiresAt.getTime()) ?? 0) + r.points);
  return [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([t, points]) => ({ points, expiresAt: new Date(t) }));
}
