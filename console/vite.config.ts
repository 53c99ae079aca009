// The console's build: React + TypeScript bundled by Vite into console/dist, which
// Bulwark serves at /console/. The AWS SDK clients are bundled in their browser form.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Chunks of the AWS SDK are large; a local console loads them once.
    chunkSizeWarningLimit: 2000,
    // The CSP forbids inline code; keep every asset a file of its own.
    assetsInlineLimit: 0,
  },
});
