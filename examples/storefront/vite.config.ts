/**
 * Vite for the storefront: `npm start` serves it in development on
 * STOREFRONT_PORT (default 5173, Vite's own); `npm run build -w
 * examples/storefront` writes static files to dist/. The gateway it calls is
 * VITE_GRAPHQL_URL, read at build time (default http://localhost:4000/graphql).
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  server: { port: Number(process.env.STOREFRONT_PORT ?? 5173), strictPort: true },
  build: { target: 'es2022' },
});
