/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

// The C# server serves this folder at `/`; the UI calls the API with relative URLs.
const serverWwwroot = fileURLToPath(new URL('../src/Thaiyyal.Server/wwwroot', import.meta.url));

// `npm run dev` proxies the API to a running server (THAIYYAL_URL, default :8080).
const apiTarget = process.env.THAIYYAL_URL ?? 'http://127.0.0.1:8080';

/**
 * Writes a Brotli (.br) and a gzip (.gz) copy beside every text asset of the build; the server
 * sends the copy the browser accepts (src/Thaiyyal.Server/Web/EditorFiles.cs).
 */
function precompressAssets(outDir: string): Plugin {
  return {
    name: 'thaiyyal-precompress',
    apply: 'build',
    closeBundle() {
      const assets = join(outDir, 'assets');
      for (const name of readdirSync(assets)) {
        if (!/\.(js|css|svg|json|txt|html)$/.test(name)) continue;
        const file = join(assets, name);
        if (statSync(file).size < 1024) continue;
        const content = readFileSync(file);
        writeFileSync(`${file}.br`, brotliCompressSync(content, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }));
        writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  base: '/',
  plugins: [react(), precompressAssets(serverWwwroot)],
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
