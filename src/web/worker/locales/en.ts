import type { WorkerMessages } from './zh-CN';

const en: WorkerMessages = {
  tabs: {
    label: 'Main navigation',
    home: 'Home',
    map: 'Map',
    report: 'Report',
    me: 'Me',
  },
  home: {
    greeting: {
      night: 'Working late',
      morning: 'Good morning',
      noon: 'Good day',
      afternoon: 'Good afternoon',
      evening: 'Good evening',
    },
    greetingName: '{greeting}, {name}',
    welcome: '{greeting}, welcome to Nuanxin',
    signedOutHint: 'Sign in to report problems, file appeals and earn points',
    signInCta: 'Sign in',
    roleAt: '{role} · {region}',
    services: 'Services',
    cards: {
      station: { title: 'Nearest station', desc: 'Rest, water and charging at a warm station near you' },
      report: { title: 'Report a problem', desc: 'Unclear signs, broken facilities, hazards: snap and send' },
      appeals: { title: 'My appeals', desc: 'Unpaid fees, contracts, injuries: followed to the end' },
      points: { title: 'My points', desc: 'Earn points for adopted reports and volunteering' },
    },
    noteTitle: 'We are just getting started',
    noteBody: 'The station map, photo reports, appeals and points will arrive step by step.',
  },
  map: {
    title: 'Service map',
    desc: 'Warm stations, free water points at partner shops and friendly repair points near you, with opening hours and amenities.',
    features: {
      nearest: 'Find the nearest open station in one tap',
      amenities: 'See water, charging, hot meals and toilets',
      route: 'Sorted by distance: your 15-minute circle at a glance',
    },
  },
  report: {
    title: 'Report a problem',
    desc: 'Seen an unclear road sign, a broken guardrail, litter or a hazard on your route? Take a photo and report it; adopted reports earn points.',
    features: {
      photo: 'Report with a photo; the place is recorded for you',
      track: 'Follow progress and read the reply',
      points: 'Earn points when your report is adopted',
    },
  },
  comingSoon: {
    badge: 'Coming soon',
    backHome: 'Back to home',
  },
  me: {
    title: 'Me',
    signedOutTitle: 'You are not signed in',
    signedOutDesc: 'Sign in to see your roles, file appeals and earn points',
    identities: 'My roles',
    noGrants: 'No roles yet',
    services: 'My services',
    appeals: 'My appeals',
    points: 'My points',
    reports: 'My reports',
    settings: 'Settings',
    language: '语言 Language',
    chooseLanguage: 'Choose a language',
  },
  signInPage: {
    back: 'Back',
    welcome: 'Welcome to Nuanxin',
  },
};

export default en;
