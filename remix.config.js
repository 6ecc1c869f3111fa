/** @type {import('@remix-run/dev').AppConfig} */
export default {
  // Classic Remix compiler (docs/decisions/0001-remix-classic-compiler.md).
  ignoredRouteFiles: ['**/.*', '**/*.test.{ts,tsx}'],
  serverModuleFormat: 'esm',
  serverPlatform: 'node',
  postcss: true,
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
  },
};
