import { defineConfig } from 'vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'

// Vitest runs in Node, where the Svelte plugin would compile for the
// server; the tests compile for the window instead, so the session store's
// runes (src/lib/session.svelte.ts) behave as they do there.
const testing = !!process.env.VITEST

export default defineConfig({
  plugins: [svelte(testing ? { dynamicCompileOptions: () => ({ generate: 'client' }) } : {})],
  resolve: testing ? { conditions: ['browser'] } : undefined,
  build: { chunkSizeWarningLimit: 1024 },
  test: {
    include: ['src/**/*.test.ts'],
    // palette.test.ts reads style.css as text (?raw).
    css: { include: [/style\.css/] },
  },
})
