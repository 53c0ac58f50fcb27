// Entry of the console (desktop, Element Plus).
import { createApp } from 'vue';
import 'element-plus/theme-chalk/base.css';
import App from './App.vue';
import { i18n } from './i18n';
import { router } from './router';
import './theme.css';

createApp(App).use(i18n).use(router).mount('#app');
