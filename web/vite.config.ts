import { defineConfig } from "vite";

// Served by the gateway at "/": hashed file names under assets/ are cached forever, index.html never.
export default defineConfig({
  resolve: {
    // hls.js's light build (no alternate audio groups, subtitles, EME or CMCD) keeps the watch page within its
    // 250 KB budget; Kino's ladders mux audio into each rung. Types come from the full build, the same API.
    alias: [{ find: /^hls\.js$/, replacement: "hls.js/light" }],
  },
  oxc: { jsx: { runtime: "automatic", importSource: "react" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsDir: "assets",
    // dist/.vite/manifest.json: which chunks each page loads, for the JavaScript budget (scripts/js-budget.ts).
    manifest: true,
    target: "es2022",
    // The gateway's CSP allows scripts from 'self' only, so nothing may be inlined as a data: URL.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      onwarn(warning, warn) {
        // React Server Components' "use client" means nothing in a browser-only bundle.
        if (warning.code === "MODULE_LEVEL_DIRECTIVE") return;
        warn(warning);
      },
    },
  },
});
