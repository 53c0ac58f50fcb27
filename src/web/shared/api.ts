// The one typed client for the server's JSON API, used by both web apps.
import { currentLocale } from './locale';
import type {
  Items,
  Me,
  Meta,
  NewOrganisation,
  Organisation,
  OrganisationKind,
  Page,
  Region,
  RegionDetail,
  RegionSearchResult,
  LocalizedText,
  ErrorBody,
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

const NETWORK_MESSAGE: LocalizedText = { zh: '网络连接失败，请检查网络后重试', en: 'Cannot reach the server. Check your connection and try again.' };
const UNKNOWN_MESSAGE: LocalizedText = { zh: '服务暂时不可用，请稍后再试', en: 'The service is not available right now. Please try again later.' };

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

function readCookie(name: string): string | null {
  const match = document.cookie.split('; ').find((part) => part.startsWith(`${name}=`));
  return match ? decodeURIComponent(match.slice(name.length + 1)) : null;
}

type Query = Record<string, string | number | undefined | null>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function request<T>(method: 'GET' | 'POST', path: string, options: { query?: Query; body?: unknown } = {}): Promise<T> {
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
    if (response.status === 401 && path !== '/api/me' && path !== '/api/auth/sign-in') onUnauthenticated?.();
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

export const api = {
  meta: () => request<Meta>('GET', '/api/meta'),
  me: () => request<Me>('GET', '/api/me'),
  signIn: (phone: string, password: string) => request<Me>('POST', '/api/auth/sign-in', { body: { phone, password } }),
  signOut: () => request<void>('POST', '/api/auth/sign-out'),

  /** Top-level regions, or the children of `parent` (for a zone: the regions it spans). */
  regions: (parent?: string) => request<Items<Region>>('GET', '/api/regions', { query: { parent } }),
  region: (code: string) => request<RegionDetail>('GET', `/api/regions/${encodeURIComponent(code)}`),
  searchRegions: (q: string, within?: string, limit = 20) =>
    request<Items<RegionSearchResult>>('GET', '/api/regions/search', { query: { q, within, limit } }),

  organisations: (query: OrganisationQuery) => request<Page<Organisation>>('GET', '/api/organisations', { query: { ...query } }),
  organisation: (id: string) => request<Organisation>('GET', `/api/organisations/${encodeURIComponent(id)}`),
  createOrganisation: (input: NewOrganisation) => request<Organisation>('POST', '/api/organisations', { body: input }),
};
