// Strings both apps use. App-specific strings live in each app's locales/.
const zhCN = {
  brand: {
    name: '暖新',
    tagline: '新就业群体的暖心服务平台',
  },
  common: {
    signIn: '登录',
    signOut: '退出登录',
    loading: '加载中…',
    retry: '重试',
    cancel: '取消',
    comingSoon: '即将上线',
    unknownError: '出错了，请稍后再试',
  },
  language: {
    label: '语言',
    'zh-CN': '中文',
    en: 'English',
    switchTo: '切换到 English',
  },
  signIn: {
    title: '登录',
    phone: '手机号',
    phonePlaceholder: '请输入 11 位手机号',
    phoneInvalid: '请输入正确的 11 位手机号',
    password: '密码',
    passwordPlaceholder: '请输入密码',
    passwordRequired: '请输入密码',
    submit: '登录',
    submitting: '正在登录…',
    success: '登录成功',
    demoTitle: '演示账号',
    demoHint: '演示模式已开启，点按一个账号即可填入手机号和密码。',
    demoFill: '填入 {name} 的账号',
  },
  session: {
    signOutConfirm: '确定要退出登录吗？',
    signedOut: '已退出登录',
  },
  roles: {
    worker: '劳动者',
    grid_member: '网格员',
    resident: '居民',
    merchant: '商户',
    station_staff: '驿站工作人员',
    mediator: '调解员',
    department_handler: '部门经办人',
    coordinator: '协调员',
    admin: '管理员',
    system_admin: '系统管理员',
    security_admin: '安全管理员',
    audit_admin: '审计管理员',
  },
  levels: {
    city: '市',
    district: '区县',
    street: '街道/乡镇',
    community: '社区/村',
    grid: '网格',
  },
  regionKinds: {
    admin: '行政区划',
    zone: '功能区',
  },
  orgKinds: {
    street_office: '街道办事处',
    department: '职能部门',
    station_operator: '驿站运营方',
    mediation_team: '快调队伍',
    trade_union: '工会',
    merchant: '商户',
    social_organisation: '社会组织',
    enterprise: '企业',
  },
};

export type SharedMessages = typeof zhCN;
export default zhCN;
