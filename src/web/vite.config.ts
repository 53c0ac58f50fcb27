// Builds both web apps (worker app at /, console at /console/) into dist/web at the repo root.
import { fileURLToPath, URL } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin, type UserConfig } from 'vite';

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

/**
 * Vant's icon font names a third-party CDN (alicdn) as a fallback after its inline woff2. The
 * inline font is enough; the fallback would leak visitors' addresses and breaks our CSP.
 */
function dropVantIconCdn(): Plugin {
  return {
    name: 'nx-drop-vant-icon-cdn',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]vant[\\/].*[\\/]icon[\\/]index\.css$/.test(id.split('?')[0] ?? '')) return null;
      return { code: code.replace(/,\s*url\(\/\/at\.alicdn\.com[^)]*\)\s*format\("woff"\)/g, ''), map: null };
    },
  };
}

const config = {
  root: webRoot,
  base: '/',
  plugins: [vue(), consoleHistoryFallback(), dropVantIconCdn()],
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
      output: {
        // Pages keep their own names; shared chunks are named after the library they mostly hold.
        chunkFileNames(chunk) {
          if (chunk.isDynamicEntry) return 'assets/[name]-[hash].js';
          const has = (pkg: string) => chunk.moduleIds.some((id) => id.includes(`/node_modules/${pkg}/`));
          const name = has('element-plus') ? 'element-plus' : has('vant') ? 'vant' : has('vue') || has('@vue') ? 'vue' : chunk.name;
          return `assets/${name}-[hash].js`;
        },
      },
    },
  },
  server: {
    proxy: {
      // NX_API_URL points the dev server at another API server (e.g. one on another port).
      '/api': { target: process.env.NX_API_URL || 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
} satisfies UserConfig;

export default defineConfig(({ command }) => {
  // A build is what the server ships, whatever NODE_ENV its caller runs under: the browser tests
  // build from inside vitest (NODE_ENV=test), which would otherwise ship Vue's development build.
  if (command === 'build') process.env.NODE_ENV = 'production';
  return config;
});
