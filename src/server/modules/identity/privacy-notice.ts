// The privacy notice people accept when they register. A new version means a new `version`:
// consent is recorded against the version that was shown.
export const PRIVACY_NOTICE = {
  version: '2026-11-01',
  title: { zh: '暖新平台隐私政策', en: 'Nuanxin privacy notice' },
  body: {
    zh: [
      '暖新平台由所在区、街道的党建工作部门运营，为新就业群体和社区居民提供驿站查找、问题上报、诉求办理、积分兑换等服务。',
      '我们收集：手机号（用于登录和通知）、姓名或昵称、所在区域、职业和所属平台（可选）、您提交的上报、诉求及其照片。手机号、身份证号等个人信息加密存储，列表和导出中只显示部分号码。',
      '精确位置：只有在您单独同意后，才会在上报问题、查找最近驿站时使用手机的精确位置。您可以随时在“我的数据”中关闭。',
      '党员身份等敏感信息只有在您单独同意后才会记录，且只对协调员可见。',
      '工作人员只能查看其负责区域内的信息；查看完整手机号等操作都会记录在审计日志中。',
      '您可以随时下载平台保存的您的全部数据，或申请注销账号。注销后，您的账号信息将被匿名化，您提交的诉求只保留统计信息。',
      '依据《中华人民共和国个人信息保护法》，如有疑问，请联系所在街道党建办。',
    ].join('\n\n'),
    en: [
      'Nuanxin is run by the Party-building offices of your district and street. It helps new-employment workers and residents find rest stations, report problems, get grievances handled and redeem points.',
      'We collect: your mobile number (for signing in and notices), your name or nickname, your region, your occupation and platform (optional), and the reports and appeals you submit with their photos. Phone and ID numbers are stored encrypted; lists and exports show them only in part.',
      'Precise location: only with your separate consent is your phone’s precise location used, when you report a problem or look for the nearest station. You can turn it off at any time under “My data”.',
      'Sensitive facts such as Party membership are recorded only with your separate consent, and only coordinators can see them.',
      'Staff see only the records of the regions they serve; viewing a full phone number and similar actions are recorded in the audit log.',
      'You can download all data held about you, or close your account, at any time. A closed account is anonymised; your appeals keep only their statistics.',
      'Under the Personal Information Protection Law of the PRC, questions go to the Party-building office of your street.',
    ].join('\n\n'),
  },
} as const;
