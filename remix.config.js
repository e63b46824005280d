/** Remix 2, classic compiler. */
/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.ts", "**/*.test.tsx"],
  serverModuleFormat: "esm",
  serverPlatform: "node",
  // react-dsfr ships ESM with CSS side effects; bundle it so the server build resolves it.
  serverDependenciesToBundle: [/^@codegouvfr\/react-dsfr/, /^tss-react/],
  browserNodeBuiltinsPolyfill: { modules: {} },
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
};
