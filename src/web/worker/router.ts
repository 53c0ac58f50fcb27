import { createRouter, createWebHistory } from 'vue-router';
import { loadSession, onSessionEnded, session } from '../shared/session';

declare module 'vue-router' {
  interface RouteMeta {
    /** Pages reached from the bottom tab bar show it. */
    tab?: boolean;
    /** Only for a signed-in person: others are sent to sign in, and back afterwards. */
    auth?: boolean;
  }
}

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/', name: 'home', component: () => import('./pages/home/HomePage.vue'), meta: { tab: true } },
    { path: '/map', name: 'map', component: () => import('./pages/map/MapPage.vue'), meta: { tab: true } },
    { path: '/places/:id', name: 'place', component: () => import('./pages/places/PlacePage.vue'), props: true },
    { path: '/report', name: 'report', component: () => import('./pages/report/ReportPage.vue'), meta: { tab: true } },
    { path: '/me', name: 'me', component: () => import('./pages/me/MePage.vue'), meta: { tab: true } },
    { path: '/me/profile', name: 'profile', component: () => import('./pages/me/ProfilePage.vue'), meta: { auth: true } },
    { path: '/me/devices', name: 'devices', component: () => import('./pages/me/DevicesPage.vue'), meta: { auth: true } },
    { path: '/me/data', name: 'my-data', component: () => import('./pages/me/MyDataPage.vue'), meta: { auth: true } },
    { path: '/appeals', name: 'appeals', component: () => import('./pages/appeals/AppealsPage.vue'), meta: { auth: true } },
    { path: '/appeals/new', name: 'appeal-new', component: () => import('./pages/appeals/NewAppealPage.vue'), meta: { auth: true } },
    { path: '/appeals/:id', name: 'appeal', component: () => import('./pages/appeals/AppealPage.vue'), props: true, meta: { auth: true } },
    { path: '/templates', name: 'templates', component: () => import('./pages/templates/TemplatesPage.vue'), meta: { auth: true } },
    { path: '/points', name: 'points', component: () => import('./pages/points/PointsPage.vue'), meta: { auth: true } },
    { path: '/rewards', name: 'rewards', component: () => import('./pages/rewards/RewardsPage.vue'), meta: { auth: true } },
    { path: '/merchant', name: 'merchant', component: () => import('./pages/merchant/MerchantPage.vue'), meta: { auth: true } },
    { path: '/messages', name: 'messages', component: () => import('./pages/appeals/MessagesPage.vue'), meta: { auth: true } },
    { path: '/sign-in', name: 'sign-in', component: () => import('./pages/sign-in/SignInPage.vue') },
    { path: '/register', name: 'register', component: () => import('./pages/register/RegisterPage.vue') },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
  scrollBehavior: () => ({ top: 0 }),
});

router.beforeEach(async (to) => {
  if (to.name === 'register') {
    await loadSession();
    return session.me ? { name: 'me' } : true;
  }
  if (!to.meta.auth) return true;
  await loadSession();
  return session.me ? true : { name: 'sign-in', query: { redirect: to.fullPath } };
});

// Signed out elsewhere (or the session expired) while on a page that needs it: sign in again.
onSessionEnded(() => {
  const current = router.currentRoute.value;
  if (current.meta.auth) void router.replace({ name: 'sign-in', query: { redirect: current.fullPath } });
});
