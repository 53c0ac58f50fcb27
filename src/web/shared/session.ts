// Who is signed in and what the server says about itself, loaded once per page load.
import { reactive } from 'vue';
import { api, ApiError, setUnauthenticatedHandler } from './api';
import type { Grant, Me, Meta, Role } from './types';

export const session = reactive({
  meta: null as Meta | null,
  me: null as Me | null,
  /** True once meta and me have been asked for (whatever the answers). */
  ready: false,
});

let loading: Promise<void> | null = null;

const sessionEndedListeners: (() => void)[] = [];

/** Runs when the server says the session is gone although we thought we were signed in. */
export function onSessionEnded(listener: () => void): void {
  sessionEndedListeners.push(listener);
}

setUnauthenticatedHandler(() => {
  if (!session.me) return;
  session.me = null;
  for (const listener of sessionEndedListeners) listener();
});

/** Loads meta and the signed-in person; safe to call many times. */
export function loadSession(): Promise<void> {
  loading ??= Promise.all([
    api.meta().then(
      (meta) => {
        session.meta = meta;
      },
      () => {
        session.meta = null;
      },
    ),
    refreshMe(),
  ]).then(() => {
    session.ready = true;
  });
  return loading;
}

export async function refreshMe(): Promise<Me | null> {
  try {
    session.me = await api.me();
  } catch (error) {
    // 401 means signed out; anything else we also treat as signed out, the pages show retry.
    if (!(error instanceof ApiError)) throw error;
    session.me = null;
  }
  return session.me;
}

export async function signIn(phone: string, password: string): Promise<Me> {
  const me = await api.signIn(phone, password);
  session.me = me;
  return me;
}

export async function signOut(): Promise<void> {
  await api.signOut();
  session.me = null;
}

/** Grants with one of the roles (all grants when roles is omitted), in the server's order. */
export function grantsWith(me: Me | null, roles?: readonly Role[]): Grant[] {
  if (!me) return [];
  return roles ? me.grants.filter((g) => roles.includes(g.role)) : me.grants;
}
