/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// The C# server serves this folder at `/`; the UI calls the API with relative URLs.
const serverWwwroot = fileURLToPath(new URL('../src/Thaiyyal.Server/wwwroot', import.meta.url));

// `npm run dev` proxies the API to a running server (THAIYYAL_URL, default :8080).
const apiTarget = process.env.THAIYYAL_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/',
  plugins: [react()],
  build: {
    outDir: serverWwwroot,
    emptyOutDir: true,
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
  preview: {
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
  test: {
    environment: 'jsdom',
    include: ['test/**/*.test.{ts,tsx}'],
    setupFiles: ['test/setup.ts'],
    css: false,
    // jsdom tests of the whole editor are slow on busy CI machines; give them room.
    testTimeout: 30_000,
  },
});
