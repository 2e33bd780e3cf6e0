import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The console: a single-page app whose sources live in src/console and whose
// production bundle the server serves from dist/console (see
// src/server/plugins/console-static.ts). `npx vite` runs it in development
// against a server on port 3000.
export default defineConfig(({ mode }) => ({
  root: 'src/console',
  base: '/',
  plugins: [react()],
  // The bundle follows the mode, not a NODE_ENV inherited from the shell
  // (vitest sets it to "test"): `vite build` always ships React's production build.
  define: { 'process.env.NODE_ENV': JSON.stringify(mode === 'development' ? 'development' : 'production') },
  build: {
    outDir: '../../dist/console',
    emptyOutDir: true,
    // Keep the bundle free of inline scripts and eval so that a strict
    // Content-Security-Policy (script-src 'self') applies.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      // Libraries in one chunk of their own: they change less often than the
      // console, so browsers keep them cached across releases.
      output: { codeSplitting: { groups: [{ name: 'vendor', test: /node_modules/ }] } },
    },
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
}));
