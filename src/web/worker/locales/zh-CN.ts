// Strings of the worker app (shared ones are in shared/locales).
const zhCN = {
  tabs: {
    label: '主导航',
    home: '首页',
    map: '地图',
    report: '上报',
    me: '我的',
  },
  home: {
    greeting: {
      night: '夜深了',
      morning: '早上好',
      noon: '中午好',
      afternoon: '下午好',
      evening: '晚上好',
    },
    greetingName: '{greeting}，{name}',
    welcome: '{greeting}，欢迎来到暖新',
    signedOutHint: '登录后可上报问题、提交诉求、积累红色积分',
    signInCta: '登录',
    roleAt: '{role} · {region}',
    services: '常用服务',
    cards: {
      station: { title: '最近的驿站', desc: '歇脚、喝水、充电，就近找到暖新驿站' },
      report: { title: '随手拍上报', desc: '路牌不清、设施损坏、安全隐患，拍照就能报' },
      appeals: { title: '我的诉求', desc: '欠薪、合同、工伤等诉求，全程跟踪办理' },
      points: { title: '我的积分', desc: '上报被采纳、参与志愿服务可得红色积分' },
    },
    noteTitle: '平台正在建设中',
    noteBody: '驿站地图、随手拍、诉求办理和积分兑换将陆续上线，敬请期待。',
  },
  map: {
    title: '服务地图',
    desc: '附近的暖新驿站、爱心商户取水点、友好修车点将显示在这里，并标注开放时间和设施。',
    features: {
      nearest: '一键找到最近的开放驿站',
      amenities: '查看饮水、充电、热饭、卫生间等设施',
      route: '按距离排序，15 分钟服务圈一目了然',
    },
  },
  report: {
    title: '上报问题',
    desc: '送单路上看到路牌不清、护栏损坏、卫生或安全隐患，拍张照片就能上报，被采纳可获红色积分。',
    features: {
      photo: '拍照上报，自动记录位置',
      track: '实时查看处理进度和答复',
      points: '上报被采纳即得红色积分',
    },
  },
  comingSoon: {
    badge: '即将上线',
    backHome: '返回首页',
  },
  me: {
    title: '我的',
    signedOutTitle: '你还没有登录',
    signedOutDesc: '登录后可查看身份、提交诉求、积累积分',
    identities: '我的身份',
    noGrants: '暂无身份',
    services: '我的服务',
    appeals: '我的诉求',
    points: '我的积分',
    reports: '我的上报',
    settings: '设置',
    language: '语言 Language',
    chooseLanguage: '选择语言',
  },
  signInPage: {
    back: '返回',
    welcome: '欢迎使用暖新',
  },
};

export type WorkerMessages = typeof zhCN;
export default zhCN;
