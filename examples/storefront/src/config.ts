/**
 * Where the storefront finds the gateway: VITE_GRAPHQL_URL at build time
 * (`VITE_GRAPHQL_URL=https://api.example.com/graphql npm run build -w
 * examples/storefront`), http://localhost:4000/graphql by default, as
 * `npm start` serves it. Subscriptions use the same URL over ws:// or wss://.
 * The gateway must allow this page's origin (CORS_ORIGINS in production).
 */
export const GRAPHQL_URL: string = import.meta.env.VITE_GRAPHQL_URL || 'http://localhost:4000/graphql';

export const GRAPHQL_WS_URL: string = GRAPHQL_URL.replace(/^http/, 'ws');
