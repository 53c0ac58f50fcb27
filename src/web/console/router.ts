import { createRouter, createWebHistory } from 'vue-router';
import { grantsWith, loadSession, onSessionEnded, session } from '../shared/session';
import { ACCOUNT_ADMIN_ROLES, AUDIT_ROLES, STAFF_ROLES, type Me, type Role } from '../shared/types';
import { CALENDAR_EDITOR_ROLES, DESK_ROLES, MATTER_STAFF_ROLES } from '../shared/matters/roles';
import { PLACE_EDITOR_ROLES, PLANNER_ROLES } from './pages/places/roles';
import { CITY_ADMIN_ROLES, POINT_RULE_READER_ROLES, ROUTE_KEEPER_ROLES } from './pages/reports-admin/roles';
import { prepareScope, resetScope } from './scope';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in. */
    public?: boolean;
    /** Only for staff holding one of these roles (the side menu hides the page from others). */
    roles?: readonly Role[];
  }
}

/** Where '/' leads: staff who work on appeals open the desk, everyone else the region tree. */
function landing(me: Me | null): 'desk' | 'regions' {
  return me && grantsWith(me, MATTER_STAFF_ROLES).length > 0 ? 'desk' : 'regions';
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
        { path: '', redirect: () => ({ name: landing(session.me) }) },
        { path: 'regions', name: 'regions', component: () => import('./pages/regions/RegionsPage.vue') },
        { path: 'organisations', name: 'organisations', component: () => import('./pages/organisations/OrganisationsPage.vue') },
        {
          path: 'users',
          name: 'users',
          component: () => import('./pages/users/UsersPage.vue'),
          meta: { roles: ACCOUNT_ADMIN_ROLES },
        },
        { path: 'audit', name: 'audit', component: () => import('./pages/audit/AuditPage.vue'), meta: { roles: AUDIT_ROLES } },
        { path: 'matters', name: 'desk', component: () => import('./pages/matters/DeskPage.vue'), meta: { roles: MATTER_STAFF_ROLES } },
        {
          path: 'matters/new',
          name: 'matter-new',
          component: () => import('./pages/matters/NewMatterPage.vue'),
          meta: { roles: DESK_ROLES },
        },
        {
          path: 'matters/:id',
          name: 'matter',
          component: () => import('./pages/matters/MatterPage.vue'),
          props: true,
          meta: { roles: MATTER_STAFF_ROLES },
        },
        {
          path: 'figures',
          name: 'figures',
          component: () => import('./pages/figures/FiguresPage.vue'),
          meta: { roles: MATTER_STAFF_ROLES },
        },
        { path: 'places', name: 'places', component: () => import('./pages/places/PlacesPage.vue') },
        {
          path: 'places/new',
          name: 'place-new',
          component: () => import('./pages/places/PlacePage.vue'),
          meta: { roles: PLACE_EDITOR_ROLES },
        },
        {
          path: 'places/stops',
          name: 'place-stops',
          component: () => import('./pages/places/MobileStopsPage.vue'),
          meta: { roles: PLACE_EDITOR_ROLES },
        },
        {
          path: 'places/coverage',
          name: 'coverage',
          component: () => import('./pages/places/CoveragePage.vue'),
          meta: { roles: PLANNER_ROLES },
        },
        { path: 'places/:id', name: 'place', component: () => import('./pages/places/PlacePage.vue'), props: true },
        { path: 'templates', name: 'templates', component: () => import('./pages/templates/TemplatesPage.vue') },
        {
          path: 'calendar',
          name: 'calendar',
          component: () => import('./pages/calendar/CalendarPage.vue'),
          meta: { roles: CALENDAR_EDITOR_ROLES },
        },
        {
          path: 'report-categories',
          name: 'report-categories',
          component: () => import('./pages/reports-admin/CategoriesPage.vue'),
          meta: { roles: CITY_ADMIN_ROLES },
        },
        {
          path: 'report-routes',
          name: 'report-routes',
          component: () => import('./pages/reports-admin/RoutesPage.vue'),
          meta: { roles: ROUTE_KEEPER_ROLES },
        },
        {
          path: 'open311-keys',
          name: 'open311-keys',
          component: () => import('./pages/reports-admin/Open311KeysPage.vue'),
          meta: { roles: CITY_ADMIN_ROLES },
        },
        {
          path: 'points-rules',
          name: 'points-rules',
          component: () => import('./pages/points/PointsRulesPage.vue'),
          meta: { roles: POINT_RULE_READER_ROLES },
        },
        { path: 'account/two-factor', name: 'two-factor', component: () => import('./pages/account/TwoFactorPage.vue') },
        { path: 'account/sessions', name: 'sessions', component: () => import('./pages/account/SessionsPage.vue') },
      ],
    },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});

router.beforeEach(async (to) => {
  await loadSession();
  const me = session.me;
  if (to.meta.public) return me && to.name === 'sign-in' ? { path: '/' } : true;
  // '/' may have been resolved before the session loaded (a fresh page load): where it lands is
  // decided here once we know who it is, and it is not kept as the place to return to.
  const fromRoot = to.redirectedFrom?.path === '/';
  // Signed out, or a second factor still owed: the sign-in page takes both.
  if (!me) return { name: 'sign-in', query: fromRoot || to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  const isStaff = grantsWith(me, STAFF_ROLES).length > 0;
  if (!isStaff) return to.name === 'no-access' ? true : { name: 'no-access' };
  if (to.name === 'no-access') return { path: '/' };
  const roles = to.meta.roles;
  if (roles && grantsWith(me, roles).length === 0) return { path: '/' };
  if (fromRoot && to.name !== landing(me)) return { name: landing(me) };
  await prepareScope(me);
  return true;
});

// An expired session sends the staff member to sign in again, back to the same page after.
onSessionEnded(() => {
  resetScope();
  const current = router.currentRoute.value;
  if (!current.meta.public) void router.replace({ name: 'sign-in', query: { redirect: current.fullPath } });
});
