// Errors of the points ledger and of rewards. Kept with the module (same shape as errors.ts).
import { AppError } from '../../errors.js';

const define =
  (status: number, code: string, zh: string, en: string) =>
  (details?: unknown): AppError =>
    new AppError(status, code, { zh, en }, details);

export const pointErrors = {
  accountNotAwardable: define(
    409,
    'account_not_awardable',
    '该账号已注销、停用或不存在，不能发放积分',
    'This account is deleted, disabled or does not exist; points cannot be awarded to it',
  ),
  awardInvalid: define(400, 'award_invalid', '积分发放的内容不正确', 'The award is not valid'),
  insufficientPoints: define(409, 'insufficient_points', '积分不足', 'Not enough points'),
  correctionInvalid: define(400, 'correction_invalid', '积分调整须为非零整数并填写理由', 'A correction must be a non-zero whole number with a reason'),
  rulesRegionInvalid: define(400, 'rules_region_invalid', '积分规则只能按市或区（县）设置', 'Points rules are set for a city or a district only'),
  rewardNotFound: define(404, 'reward_not_found', '找不到该兑换商品，可能已下架', 'No such reward; it may have been withdrawn'),
  rewardUnavailable: define(409, 'reward_unavailable', '该商品当前不可兑换（未上架或不在有效期内）', 'This reward cannot be redeemed now (inactive or outside its dates)'),
  outOfStock: define(409, 'out_of_stock', '该商品已兑完', 'This reward is out of stock'),
  rewardInvalid: define(400, 'reward_invalid', '兑换商品信息不正确：积分须为正整数，库存不能为负，结束日期须晚于开始日期', 'The reward is not valid: the price must be a positive whole number, stock not negative, and the end after the start'),
  codeNotFound: define(404, 'redemption_code_not_found', '兑换码无效', 'No such redemption code'),
  codeUsed: define(409, 'redemption_code_used', '该兑换码已使用', 'This redemption code has already been used'),
  codeExpired: define(409, 'redemption_code_expired', '该兑换码已过期，积分已退回', 'This redemption code has expired; the points went back'),
  idempotencyKeyInvalid: define(400, 'idempotency_key_invalid', '幂等键格式不正确', 'The Idempotency-Key header is not valid'),
};
