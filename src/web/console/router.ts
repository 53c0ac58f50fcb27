import { createRouter, createWebHistory } from 'vue-router';
import { grantsWith, loadSession, onSessionEnded, session } from '../shared/session';
import { STAFF_ROLES } from '../shared/types';
import { prepareScope, resetScope } from './scope';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in. */
    public?: boolean;
  }
}

export const router = createRouter({
  history: createWebHistory('/console/'),
  routes: [
    { path: '/sign-in', name: 'sign-in', component: () => import('./pages/sign-in/SignInPage.vue'), meta: { public: true } },
    { path: '/no-access', name: 'no-access', component: () => import('./pages/no-access/NoAccessPage.vue') },
    {
      path: '/',
      component: () => import('./components/ConsoleLayout.vue'),
      children: [
        { path: '', redirect: { name: 'regions' } },
        { path: 'regions', name: 'regions', component: () => import('./pages/regions/RegionsPage.vue') },
        { path: 'organisations', name: 'organisations', component: () => import('./pages/organisations/OrganisationsPage.vue') },
      ],
    },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});

router.beforeEach(async (to) => {
  await loadSession();
  const me = session.me;
  if (to.meta.public) return me && to.name === 'sign-in' ? { path: '/' } : true;
  if (!me) return { name: 'sign-in', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  const isStaff = grantsWith(me, STAFF_ROLES).length > 0;
  if (!isStaff) return to.name === 'no-access' ? true : { name: 'no-access' };
  if (to.name === 'no-access') return { path: '/' };
  await prepareScope(me);
  return true;
});

// An expired session sends the staff member to sign in again, back to the same page after.
onSessionEnded(() => {
  resetScope();
  const current = router.currentRoute.value;
  if (!current.meta.public) void router.replace({ name: 'sign-in', query: { redirect: current.fullPath } });
});
