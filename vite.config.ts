import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The console: a single-page app whose sources live in src/console and whose
// production bundle the server serves from dist/console (see
// src/server/plugins/console-static.ts). `npx vite` runs it in development
// against a server on port 3000.
export default defineConfig({
  root: 'src/console',
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../../dist/console',
    emptyOutDir: true,
    // Keep the bundle free of inline scripts and eval so that a strict
    // Content-Security-Policy (script-src 'self') applies.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
});
