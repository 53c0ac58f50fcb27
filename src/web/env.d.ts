/// <reference types="vite/client" />

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

// Style-only entry points of Vant and Element Plus (imported for their side effects).
declare module 'vant/es/*/style/index';
declare module 'element-plus/es/components/*/style/css';
