// The audit actions the server records, by group (the filter sends "group." as a prefix). An
// action missing here still shows in the table, under its code.
export const AUDIT_ACTIONS = {
  auth: ['sign_in', 'sign_in_failed', 'second_factor', 'second_factor_failed', 'sign_out', 'sign_out_everywhere'],
  user: ['register', 'create', 'status', 'anonymise'],
  grant: ['create', 'delete'],
  two_factor: ['enable', 'disable', 'recovery_codes'],
  session: ['revoke'],
  personal_data: ['reveal', 'export'],
  profile: ['update'],
  consent: ['record'],
  organisation: ['create'],
  audit: ['prune'],
} as const;

export const TARGET_TYPES = ['user', 'session', 'organisation'] as const;
