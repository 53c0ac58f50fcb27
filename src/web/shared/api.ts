// The one typed client for the server's JSON API, used by both web apps.
import { currentLocale } from './locale';
import type {
  AuditEntry,
  ChainCheck,
  Consent,
  ConsentKind,
  CursorPage,
  ErrorBody,
  Items,
  LocalizedText,
  Me,
  Meta,
  NewGrant,
  NewOrganisation,
  NewStaffAccount,
  Organisation,
  OrganisationKind,
  Page,
  PrivacyNotice,
  Profile,
  ProfileChanges,
  RecoveryCodes,
  Region,
  RegionDetail,
  RegionSearchResult,
  Registration,
  Role,
  SessionInfo,
  TwoFactorSetup,
  UserAccount,
} from './types';

/**
 * A failed call: `code` is the server's stable error code, `messages` its text in both languages;
 * `message` is the text in the language chosen when it was thrown (`text()` gives it for now).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messages: LocalizedText,
    readonly details?: unknown,
  ) {
    super(pick(messages) || code);
    this.name = 'ApiError';
  }

  /** The message in the language the user has chosen now. */
  text(): string {
    return pick(this.messages) || this.code;
  }
}

function pick(messages: LocalizedText): string {
  return currentLocale() === 'en' ? messages.en || messages.zh : messages.zh || messages.en;
}

const NETWORK_MESSAGE: LocalizedText = {
  zh: '网络连接失败，请检查网络后重试',
  en: 'Cannot reach the server. Check your connection and try again.',
};
const UNKNOWN_MESSAGE: LocalizedText = {
  zh: '服务暂时不可用，请稍后再试',
  en: 'The service is not available right now. Please try again later.',
};

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}

let onUnauthenticated: (() => void) | null = null;

/** Called when a call other than sign-in or /api/me finds the session gone (expired, signed out elsewhere). */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

/** A cookie's value (the CSRF token that changes echo in a header). */
export function readCookie(name: string): string | null {
  const match = document.cookie.split('; ').find((part) => part.startsWith(`${name}=`));
  return match ? decodeURIComponent(match.slice(name.length + 1)) : null;
}

export type Query = Record<string, string | number | undefined | null>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** 401 codes that mean the session is gone (a wrong code, say, leaves it in place). */
const SESSION_GONE = new Set(['unauthenticated', 'second_factor_required']);
/** Calls whose 401 is an answer about the credentials, not a lost session. */
const SIGN_IN_PATHS = new Set(['/api/me', '/api/auth/sign-in', '/api/auth/second-factor']);

/** One JSON call; feature areas (shared/matters) build their typed functions on it. */
export async function request<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  options: { query?: Query; body?: unknown } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  // Changes echo the CSRF cookie in a header, which another site cannot read or send.
  if (method !== 'GET') {
    const csrf = readCookie('nx_csrf');
    if (csrf) headers['x-csrf-token'] = csrf;
  }
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, 'network_error', NETWORK_MESSAGE);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!response.ok) {
    if (response.status === 401 && !SIGN_IN_PATHS.has(path) && (!isErrorBody(data) || SESSION_GONE.has(data.error.code))) {
      onUnauthenticated?.();
    }
    if (isErrorBody(data)) {
      const { code, message, details } = data.error;
      throw new ApiError(response.status, code, message ?? UNKNOWN_MESSAGE, details);
    }
    throw new ApiError(response.status, `http_${response.status}`, UNKNOWN_MESSAGE);
  }
  if (data === undefined) throw new ApiError(response.status, 'invalid_response', UNKNOWN_MESSAGE);
  return data as T;
}

/** A message for any thrown value, in the current language. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.text();
  return pick(UNKNOWN_MESSAGE);
}

export interface OrganisationQuery {
  region?: string;
  kind?: OrganisationKind;
  q?: string;
  limit?: number;
  offset?: number;
}

export interface UserQuery {
  region?: string;
  role?: Role;
  q?: string;
  after?: string;
  limit?: number;
}

export interface AuditQuery {
  from?: string;
  to?: string;
  actorId?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  q?: string;
  before?: number;
  limit?: number;
}

/** One path segment, escaped. */
const seg = encodeURIComponent;

export const api = {
  meta: () => request<Meta>('GET', '/api/meta'),
  me: () => request<Me>('GET', '/api/me'),
  signIn: (phone: string, password: string) => request<Me>('POST', '/api/auth/sign-in', { body: { phone, password } }),
  /** An authenticator code (6 digits) or a recovery code. */
  secondFactor: (code: string) => request<Me>('POST', '/api/auth/second-factor', { body: { code } }),
  signOut: () => request<void>('POST', '/api/auth/sign-out'),
  signOutEverywhere: () => request<void>('POST', '/api/auth/sign-out-everywhere'),

  privacyNotice: () => request<PrivacyNotice>('GET', '/api/privacy-notice'),
  sendRegistrationCode: (phone: string) => request<void>('POST', '/api/auth/codes', { body: { phone, purpose: 'register' } }),
  register: (input: Registration) => request<Me>('POST', '/api/auth/register', { body: input }),

  mySessions: () => request<Items<SessionInfo>>('GET', '/api/me/sessions'),
  revokeSession: (sessionId: string) => request<void>('DELETE', `/api/me/sessions/${seg(sessionId)}`),

  startTwoFactor: () => request<TwoFactorSetup>('POST', '/api/me/two-factor/setup'),
  enableTwoFactor: (code: string) => request<RecoveryCodes>('POST', '/api/me/two-factor/enable', { body: { code } }),
  disableTwoFactor: (password: string) => request<void>('POST', '/api/me/two-factor/disable', { body: { password } }),
  newRecoveryCodes: (password: string) => request<RecoveryCodes>('POST', '/api/me/two-factor/recovery-codes', { body: { password } }),

  profile: () => request<Profile>('GET', '/api/me/profile'),
  updateProfile: (changes: ProfileChanges) => request<Profile>('PUT', '/api/me/profile', { body: changes }),
  platformSuggestions: (q: string) => request<Items<string>>('GET', '/api/platform-suggestions', { query: { q } }),
  consents: () => request<Items<Consent>>('GET', '/api/me/consents'),
  recordConsent: (kind: ConsentKind, granted: boolean) => request<Consent>('POST', '/api/me/consents', { body: { kind, granted } }),
  exportMyData: () => request<Record<string, unknown>>('GET', '/api/me/export'),
  deleteMyAccount: (password: string) => request<void>('POST', '/api/me/delete', { body: { password, confirm: 'DELETE' } }),

  users: (query: UserQuery) => request<CursorPage<UserAccount, string>>('GET', '/api/users', { query: { ...query } }),
  user: (userId: string) => request<UserAccount>('GET', `/api/users/${seg(userId)}`),
  createUser: (input: NewStaffAccount) => request<UserAccount>('POST', '/api/users', { body: input }),
  addGrant: (userId: string, grant: NewGrant) => request<UserAccount>('POST', `/api/users/${seg(userId)}/grants`, { body: grant }),
  removeGrant: (userId: string, grantId: string) => request<void>('DELETE', `/api/users/${seg(userId)}/grants/${seg(grantId)}`),
  setUserStatus: (userId: string, status: 'active' | 'disabled') =>
    request<UserAccount>('POST', `/api/users/${seg(userId)}/status`, { body: { status } }),
  /** The full value of a personal field; the reason is written to the audit log first. */
  revealPhone: (userId: string, reason: string) =>
    request<{ value: string | null }>('POST', `/api/users/${seg(userId)}/reveal`, { body: { field: 'phone', reason } }),
  grantableRoles: (regionCode: string) => request<{ roles: Role[] }>('GET', '/api/grantable-roles', { query: { region: regionCode } }),

  audit: (query: AuditQuery) => request<CursorPage<AuditEntry, number>>('GET', '/api/audit', { query: { ...query } }),
  verifyAudit: () => request<ChainCheck>('GET', '/api/audit/verify'),

  /** Top-level regions, or the children of `parent` (for a zone: the regions it spans). */
  regions: (parent?: string) => request<Items<Region>>('GET', '/api/regions', { query: { parent } }),
  region: (code: string) => request<RegionDetail>('GET', `/api/regions/${encodeURIComponent(code)}`),
  searchRegions: (q: string, within?: string, limit = 20) =>
    request<Items<RegionSearchResult>>('GET', '/api/regions/search', { query: { q, within, limit } }),

  organisations: (query: OrganisationQuery) => request<Page<Organisation>>('GET', '/api/organisations', { query: { ...query } }),
  organisation: (id: string) => request<Organisation>('GET', `/api/organisations/${encodeURIComponent(id)}`),
  createOrganisation: (input: NewOrganisation) => request<Organisation>('POST', '/api/organisations', { body: input }),
};
