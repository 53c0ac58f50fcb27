// Errors of the places module that the shared list does not hold (same shape: status, code, zh/en).
import { AppError } from '../../errors.js';

const define =
  (status: number, code: string, zh: string, en: string) =>
  (details?: unknown): AppError =>
    new AppError(status, code, { zh, en }, details);

export const placeErrors = {
  regionRequired: define(
    400,
    'region_required',
    '无法根据位置确定所属区域，请选择区域',
    'No region could be found for this location; choose the region',
  ),
  mobileWindowInvalid: define(
    400,
    'mobile_window_invalid',
    '流动服务时间不正确：结束须晚于开始、晚于现在，且不超过 24 小时',
    'The mobile-service window is not valid: it must end after it starts, end in the future and last at most 24 hours',
  ),
  amenityNotAtPlace: define(400, 'amenity_not_at_place', '该场所没有这项设施', 'This place does not have this amenity'),
  kindNotAllowed: define(400, 'kind_not_allowed', '流动服务请通过"流动服务"安排创建', 'Mobile-service stops are created as mobile stops'),
  alreadyCheckedIn: define(
    409,
    'already_checked_in',
    '本小时内已在此处打卡，请稍后再来',
    'You have already checked in here this hour; try again later',
  ),
  placeNotOpen: define(409, 'place_not_open', '该流动服务当前不在服务时间内', 'This mobile service is not on at the moment'),
  tooManyPhotos: define(
    409,
    'too_many_photos',
    '照片数量已达上限，请先删除旧照片',
    'This place has the most photos it may have; remove one first',
  ),
  photoNotFound: define(404, 'file_not_found', '找不到该照片', 'No such photo'),
} as const;
