// Who is signed in and what the server says about itself, loaded once per page load.
import { reactive } from 'vue';
import { api, ApiError, setUnauthenticatedHandler } from './api';
import type { Grant, Me, Meta, Role } from './types';

export const session = reactive({
  meta: null as Meta | null,
  /** The signed-in person, once every sign-in step is done; null otherwise. */
  me: null as Me | null,
  /** Password accepted but a second factor (or its enrolment) still owed: only those steps are open. */
  pending: null as Me | null,
  /** True once meta and me have been asked for (whatever the answers). */
  ready: false,
});

/** Files the server's answer under `me` or `pending`, by whether a step is still owed. */
function settle(me: Me | null): Me | null {
  session.me = me && !me.pending ? me : null;
  session.pending = me?.pending ? me : null;
  return me;
}

let loading: Promise<void> | null = null;

const sessionEndedListeners: (() => void)[] = [];

/** Runs when the server says the session is gone although we thought we were signed in. */
export function onSessionEnded(listener: () => void): void {
  sessionEndedListeners.push(listener);
}

setUnauthenticatedHandler(() => {
  session.pending = null;
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

/** Asks the server who is signed in; the answer may still owe a step (see `session.pending`). */
export async function refreshMe(): Promise<Me | null> {
  try {
    return settle(await api.me());
  } catch (error) {
    // 401 means signed out; anything else we also treat as signed out, the pages show retry.
    if (!(error instanceof ApiError)) throw error;
    return settle(null);
  }
}

/** Checks the password; the answer's `pending` says whether a second step is owed. */
export async function signIn(phone: string, password: string): Promise<Me> {
  const me = await api.signIn(phone, password);
  settle(me);
  return me;
}

/** Finishes a sign-in with an authenticator code or a recovery code. */
export async function completeSecondFactor(code: string): Promise<Me> {
  const me = await api.secondFactor(code);
  settle(me);
  return me;
}

/** After registering: the new account is signed in. */
export function signedIn(me: Me): void {
  settle(me);
}

export async function signOut(): Promise<void> {
  await api.signOut();
  settle(null);
}

/** Ends every session of this person, this one too. */
export async function signOutEverywhere(): Promise<void> {
  await api.signOutEverywhere();
  settle(null);
}

/** After the account is closed on the server: nothing is signed in any more. */
export function forget(): void {
  settle(null);
}

/** Grants with one of the roles (all grants when roles is omitted), in the server's order. */
export function grantsWith(me: Me | null, roles?: readonly Role[]): Grant[] {
  if (!me) return [];
  return roles ? me.grants.filter((g) => roles.includes(g.role)) : me.grants;
}
