/**
 * Vite config of the mailsink web inbox.
 *
 * `vite build --config ui/vite.config.ts` writes the static app to `ui/dist`, which the mailsink
 * HTTP server serves at `/`. `vite --config ui/vite.config.ts` is the dev server: it proxies `/api`
 * (REST and the `/api/events` WebSocket) to a mailsink running on the default HTTP port.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const uiRoot = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('./dist', import.meta.url));
const apiProxy = { '/api': { target: 'http://127.0.0.1:8025', ws: true } };

export default defineConfig({
  root: uiRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
  },
  server: { host: '127.0.0.1', proxy: apiProxy },
  preview: { host: '127.0.0.1', proxy: apiProxy },
});
