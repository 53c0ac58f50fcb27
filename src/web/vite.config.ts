// Builds both web apps (worker app at /, console at /console/) into dist/web at the repo root.
import { fileURLToPath, URL } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../../dist/web', import.meta.url));

/** In dev, deep links under /console/ must open the console page, not the worker app. */
function consoleHistoryFallback(): Plugin {
  return {
    name: 'nx-console-history-fallback',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        const path = (req.url ?? '').split('?')[0] ?? '';
        const wantsHtml = (req.headers.accept ?? '').includes('text/html');
        if (req.method === 'GET' && wantsHtml && /^\/console\/./.test(path) && !/\.[a-z0-9]+$/i.test(path)) {
          req.url = '/console/index.html';
        }
        next();
      });
    },
  };
}

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [vue(), consoleHistoryFallback()],
  define: {
    // vue-i18n: Composition API only, no devtools in production.
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    __VUE_PROD_DEVTOOLS__: false,
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
  },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2020',
    // Budgets are checked by the benchmark; warn well before them.
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      input: {
        worker: fileURLToPath(new URL('./index.html', import.meta.url)),
        console: fileURLToPath(new URL('./console/index.html', import.meta.url)),
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});
