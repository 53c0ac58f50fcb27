// Errors of reports and of the Open311 interface. Kept with the module (same shape as errors.ts).
import { AppError } from '../../errors.js';

const define =
  (status: number, code: string, zh: string, en: string) =>
  (details?: unknown): AppError =>
    new AppError(status, code, { zh, en }, details);

export const reportErrors = {
  photosInvalid: define(400, 'photos_invalid', '照片须为图片，且最多 9 张', 'Photos must be pictures, nine at most'),
  categoryUnknown: define(400, 'category_unknown', '请选择有效的类别', 'Choose one of the categories'),
  locationRequired: define(
    400,
    'location_required',
    '请提供问题所在位置（经纬度）',
    'Give the location of the problem (latitude and longitude)',
  ),
  placeNotFound: define(404, 'place_not_found', '找不到该场所', 'No such place'),
  occurredAtInvalid: define(400, 'occurred_at_invalid', '发生时间不能晚于现在', 'The time it happened cannot lie in the future'),
  idempotencyKeyInvalid: define(
    400,
    'idempotency_key_invalid',
    '幂等键格式不正确（1–100 个字母、数字或 -_.:）',
    'The Idempotency-Key header is not valid (1–100 letters, digits or -_.:)',
  ),
  noRoute: define(
    409,
    'no_route',
    '该类别在该区域尚未设置承办部门：请先在派单路由中设置，或手动选择承办部门',
    'No department handles this category in this region: add a route first, or choose a department by hand',
  ),
  routeNotFound: define(404, 'route_not_found', '找不到该派单路由', 'No such route'),
  afterPhotoRequired: define(400, 'after_photo_required', '办结时须上传处置后的照片', 'Closing needs a photo taken after the work'),
  reportNotFound: define(404, 'report_not_found', '找不到该随手拍', 'No such report'),
  keyNotFound: define(404, 'open311_key_not_found', '找不到该接口密钥', 'No such API key'),
};
