// The closed set of errors the API returns. Each has an HTTP status, a stable code and a
// message in Chinese and English; http/errors.ts turns them (and framework errors) into JSON.

export interface Message {
  zh: string;
  en: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messages: Message,
    readonly details?: unknown,
  ) {
    super(messages.en);
  }
}

const define =
  (status: number, code: string, zh: string, en: string) =>
  (details?: unknown): AppError =>
    new AppError(status, code, { zh, en }, details);

export const errors = {
  invalidRequest: define(400, 'invalid_request', '请求内容不符合要求', 'The request is not valid'),
  malformedJson: define(400, 'malformed_json', '请求体不是有效的 JSON', 'The request body is not valid JSON'),
  passwordTooWeak: define(
    400,
    'password_too_weak',
    '密码强度不够：至少 8 位；工作人员须包含大写字母、小写字母、数字、符号中的三类',
    'The password is too weak: at least 8 characters; staff passwords need three of upper case, lower case, digits and symbols',
  ),
  codeInvalid: define(400, 'code_invalid', '验证码不正确或已过期', 'The code is wrong or has expired'),
  privacyNoticeOutdated: define(
    400,
    'privacy_notice_outdated',
    '隐私政策已更新，请重新阅读并同意',
    'The privacy notice has changed; read and accept it again',
  ),
  consentRequired: define(400, 'consent_required', '需要先同意相关授权', 'This needs your consent first'),
  regionTooCoarse: define(400, 'region_too_coarse', '请选择到街道（乡镇）或更细的区域', 'Choose a street or town, or a smaller region'),
  fileNotAttachable: define(
    400,
    'file_not_attachable',
    '附件不存在、不是您上传的或已被使用，请重新上传',
    'The attachment does not exist, was not uploaded by you or is already in use; upload it again',
  ),
  transitionUnknown: define(400, 'transition_unknown', '没有这个办理环节', 'There is no such step for this kind of matter'),
  noteRequired: define(400, 'note_required', '请填写说明或理由', 'Write a note or a reason'),
  filesRequired: define(400, 'files_required', '请上传照片或附件', 'Attach a photo or a document'),
  categoryUnknown: define(400, 'category_unknown', '请选择有效的类别', 'Choose one of the categories'),
  ownerOutOfRegion: define(
    400,
    'owner_out_of_region',
    '承办单位不在该事项所属区域范围内',
    'The organisation does not cover the region of this matter',
  ),
  ownerNotMember: define(400, 'owner_not_member', '承办人不属于所选单位', 'That person does not work for the chosen organisation'),
  deadlineInvalid: define(400, 'deadline_invalid', '办理期限须在今后一年之内', 'The deadline must lie within the coming year'),
  mergeTargetInvalid: define(
    400,
    'merge_target_invalid',
    '只能合并到同类、未办结的其他事项',
    'A matter can only be merged into another open matter of the same kind',
  ),
  hoursInvalid: define(
    400,
    'hours_invalid',
    '营业时间不正确：关门时间须晚于开门时间，同一天的时段不能重叠',
    'The opening hours are not valid: closing must come after opening, and periods on one day must not overlap',
  ),
  outsideServiceArea: define(400, 'outside_service_area', '该位置不在服务范围内', 'This location lies outside the service area'),
  contactRequired: define(
    400,
    'contact_required',
    '代为登记时须填写当事人姓名和手机号',
    'Registering for someone needs their name and phone number',
  ),
  unauthenticated: define(401, 'unauthenticated', '请先登录', 'Please sign in first'),
  signInFailed: define(
    401,
    'sign_in_failed',
    '手机号或密码不正确；连续失败多次后账号将暂时锁定',
    'Wrong phone number or password; after repeated failures the account is locked for a while',
  ),
  secondFactorRequired: define(401, 'second_factor_required', '请先完成两步验证', 'Complete two-factor sign-in first'),
  secondFactorFailed: define(401, 'second_factor_failed', '验证码不正确', 'The code is not right'),
  passwordIncorrect: define(403, 'password_incorrect', '密码不正确', 'The password is not right'),
  twoFactorRequired: define(403, 'two_factor_required', '您的角色必须使用两步验证', 'Your role must use two-factor sign-in'),
  grantNotAllowed: define(
    403,
    'grant_not_allowed',
    '不能授予该角色：超出您的权限范围',
    'You cannot grant this role here: it is beyond your own',
  ),
  csrfFailed: define(403, 'csrf_failed', '页面已过期，请刷新后重试', 'This page has expired; reload it and try again'),
  forbidden: define(403, 'forbidden', '没有权限执行此操作', 'You are not allowed to do this'),
  notFound: define(404, 'not_found', '找不到请求的地址', 'No such address'),
  regionNotFound: define(404, 'region_not_found', '找不到该区域', 'No such region'),
  regionWithoutGeometry: define(
    400,
    'region_without_geometry',
    '该区域暂无边界数据，无法计算覆盖情况',
    'This region has no outline on record, so its coverage cannot be computed',
  ),
  userNotFound: define(404, 'user_not_found', '找不到该用户', 'No such user'),
  sessionNotFound: define(404, 'session_not_found', '找不到该登录会话', 'No such session'),
  organisationNotFound: define(404, 'organisation_not_found', '找不到该组织', 'No such organisation'),
  matterNotFound: define(404, 'matter_not_found', '找不到该事项', 'No such matter'),
  fileNotFound: define(404, 'file_not_found', '找不到该文件', 'No such file'),
  placeNotFound: define(404, 'place_not_found', '找不到该场所', 'No such place'),
  templateNotFound: define(404, 'template_not_found', '找不到该文书模板，可能已下架', 'No such template; it may have been withdrawn'),
  methodNotAllowed: define(405, 'method_not_allowed', '该地址不支持此请求方法', 'This address does not accept this method'),
  conflict: define(409, 'conflict', '与现有数据冲突', 'This conflicts with existing data'),
  phoneTaken: define(409, 'phone_taken', '该手机号已注册', 'This phone number is already registered'),
  twoFactorNotStarted: define(409, 'two_factor_not_started', '请先开始设置两步验证', 'Start the two-factor set-up first'),
  organisationExists: define(
    409,
    'organisation_exists',
    '该区域已有同名组织',
    'An organisation of this name already exists in this region',
  ),
  transitionNotAllowed: define(
    409,
    'transition_not_allowed',
    '该事项当前状态下不能进行此操作',
    "This step cannot be taken in the matter's current state",
  ),
  versionConflict: define(
    409,
    'version_conflict',
    '该事项刚被他人更新，请刷新后重试',
    'Someone else has just changed this matter; reload it and try again',
  ),
  clockAlreadyPaused: define(409, 'clock_already_paused', '计时已暂停', 'The clock is already paused'),
  clockNotPaused: define(409, 'clock_not_paused', '计时未暂停', 'The clock is not paused'),
  payloadTooLarge: define(413, 'payload_too_large', '请求内容过大', 'The request is too large'),
  fileTooLarge: define(413, 'file_too_large', '文件过大，请压缩后再上传', 'The file is too large; make it smaller and upload it again'),
  fileTypeNotAllowed: define(
    415,
    'file_type_not_allowed',
    '不支持该文件类型：请上传照片（JPEG、PNG、WebP、GIF）或 PDF、Word、Excel 文档',
    'This type of file is not accepted: upload a photo (JPEG, PNG, WebP, GIF) or a PDF, Word or Excel document',
  ),
  unsupportedMediaType: define(415, 'unsupported_media_type', '不支持该内容类型', 'This content type is not supported'),
  tooManyRequests: define(429, 'too_many_requests', '请求过于频繁，请稍后再试', 'Too many requests; try again later'),
  internal: define(500, 'internal_error', '服务器内部错误，请稍后再试', 'Something went wrong on our side; try again later'),
} as const;
