import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const api = 'http://127.0.0.1:3000';

/** Libraries change less often than the app, so they get their own long-cached chunks. */
function vendorChunk(id: string): string | undefined {
  if (!id.includes('node_modules')) return undefined;
  if (/node_modules\/(react|react-dom|scheduler)\//.test(id)) return 'react';
  // The router apart from React: the public questionnaire page uses React without it.
  if (/node_modules\/(react-router|cookie|set-cookie-parser)\//.test(id)) return 'router';
  if (id.includes('node_modules/zod/')) return 'zod';
  if (id.includes('node_modules/@tanstack/')) return 'query';
  return undefined;
}

export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: {
      // The staff app, and the small public page a self-completion link opens (no router, no query library).
      input: { main: 'web/index.html', respond: 'web/respond.html' },
      output: { manualChunks: vendorChunk },
    },
  },
  css: { preprocessorOptions: { scss: { quietDeps: true } } },
  server: {
    proxy: {
      '/api': { target: api },
      '/health': { target: api },
    },
  },
});
