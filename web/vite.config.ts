import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const api = 'http://127.0.0.1:3000';

/** Libraries change less often than the app, so they get their own long-cached chunks. */
function vendorChunk(id: string): string | undefined {
  if (!id.includes('node_modules')) return undefined;
  if (/node_modules\/(react|react-dom|react-router|scheduler|cookie|set-cookie-parser)\//.test(id))
    return 'react';
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
    rollupOptions: { output: { manualChunks: vendorChunk } },
  },
  css: { preprocessorOptions: { scss: { quietDeps: true } } },
  server: {
    proxy: {
      '/api': { target: api },
      '/health': { target: api },
    },
  },
});
