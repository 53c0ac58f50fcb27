import { createRouter, createWebHistory } from 'vue-router';

declare module 'vue-router' {
  interface RouteMeta {
    /** Pages reached from the bottom tab bar show it. */
    tab?: boolean;
  }
}

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/', name: 'home', component: () => import('./pages/home/HomePage.vue'), meta: { tab: true } },
    { path: '/map', name: 'map', component: () => import('./pages/map/MapPage.vue'), meta: { tab: true } },
    { path: '/report', name: 'report', component: () => import('./pages/report/ReportPage.vue'), meta: { tab: true } },
    { path: '/me', name: 'me', component: () => import('./pages/me/MePage.vue'), meta: { tab: true } },
    { path: '/sign-in', name: 'sign-in', component: () => import('./pages/sign-in/SignInPage.vue') },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
  scrollBehavior: () => ({ top: 0 }),
});
