// Vite and Vitest configuration for GreenMile's front end.
//
// Tauri serves `dist/` at the root of its own origin and loads the dev server from
// 127.0.0.1:5173 (see src-tauri/tauri.conf.json), so both are pinned here.
//
// `vite build --mode a11y` makes the build the accessibility check renders in a plain browser:
// there is no Tauri to answer the commands, so `src/ipc.ts` is swapped for a stand-in that
// answers from the test fixtures, and the output goes to `dist-a11y/`. Every other mode builds
// the real bridge; a11y/run.js checks that the stand-in never reaches `dist/`.
import react from "@vitejs/plugin-react";
import type { Plugin } from "vite";
import { defineConfig } from "vitest/config";

/** Resolves every import of `src/ipc.ts` to the fixture stand-in instead. */
function ipcStandIn(): Plugin {
  // Vite hands out absolute paths with forward slashes, on Windows too.
  let root = "";

  return {
    name: "greenmile-ipc-stand-in",
    enforce: "pre",
    configResolved(config) {
      root = config.root;
    },
    async resolveId(source, importer, options) {
      const standIn = `${root}/src/test/ipcStandIn.ts`;
      if (importer === standIn) return null;

      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved?.id === `${root}/src/ipc.ts` ? standIn : null;
    },
  };
}

export default defineConfig(({ mode }) => {
  const a11y = mode === "a11y";

  return {
    plugins: a11y ? [ipcStandIn(), react()] : [react()],
    clearScreen: false,
    server: {
      host: "127.0.0.1",
      port: 5173,
      strictPort: true,
    },
    build: {
      outDir: a11y ? "dist-a11y" : "dist",
      emptyOutDir: true,
      // WebKitGTK and WebView2 of the supported OS releases both handle ES2021.
      target: "es2021",
      // The chart library is most of the bundle; one chunk loads fastest from disk.
      chunkSizeWarningLimit: 1024,
    },
    test: {
      environment: "jsdom",
      setupFiles: ["./src/test/setup.ts"],
      clearMocks: true,
      restoreMocks: true,
    },
  };
});
