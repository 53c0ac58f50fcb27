// Entry of the worker app (mobile, Vant).
import { createApp } from 'vue';
import { loadSession } from '../shared/session';
import App from './App.vue';
import { i18n } from './i18n';
import { activateRolesWithKeyboard } from './keyboard';
import { router } from './router';
import './theme.css';

void loadSession();
activateRolesWithKeyboard();
createApp(App).use(i18n).use(router).mount('#app');
