import type { SharedMessages } from './zh-CN';

const en: SharedMessages = {
  brand: {
    name: 'Nuanxin',
    tagline: 'Warm services for gig workers on the move',
  },
  common: {
    signIn: 'Sign in',
    signOut: 'Sign out',
    loading: 'Loading…',
    retry: 'Try again',
    cancel: 'Cancel',
    comingSoon: 'Coming soon',
    unknownError: 'Something went wrong. Please try again later.',
  },
  language: {
    label: 'Language',
    'zh-CN': '中文',
    en: 'English',
    switchTo: 'Switch to 中文',
  },
  signIn: {
    title: 'Sign in',
    phone: 'Mobile number',
    phonePlaceholder: '11-digit mobile number',
    phoneInvalid: 'Enter a valid 11-digit mobile number',
    password: 'Password',
    passwordPlaceholder: 'Your password',
    passwordRequired: 'Enter your password',
    submit: 'Sign in',
    submitting: 'Signing in…',
    success: 'Signed in',
    demoTitle: 'Demo accounts',
    demoHint: 'Demo mode is on. Tap an account to fill in its number and password.',
    demoFill: 'Fill in the account of {name}',
  },
  session: {
    signOutConfirm: 'Sign out now?',
    signedOut: 'Signed out',
  },
  roles: {
    worker: 'Worker',
    grid_member: 'Grid member',
    resident: 'Resident',
    merchant: 'Merchant',
    station_staff: 'Station staff',
    mediator: 'Mediator',
    department_handler: 'Department handler',
    coordinator: 'Coordinator',
    admin: 'Administrator',
    system_admin: 'System admin',
    security_admin: 'Security admin',
    audit_admin: 'Audit admin',
  },
  levels: {
    city: 'City',
    district: 'District / county',
    street: 'Street / town',
    community: 'Community / village',
    grid: 'Grid',
  },
  regionKinds: {
    admin: 'Administrative',
    zone: 'Zone',
  },
  orgKinds: {
    street_office: 'Street office',
    department: 'Department',
    station_operator: 'Station operator',
    mediation_team: 'Mediation team',
    trade_union: 'Trade union',
    merchant: 'Merchant',
    social_organisation: 'Social organisation',
    enterprise: 'Enterprise',
  },
};

export default en;
