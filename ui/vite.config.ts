// Vite and Vitest configuration for GreenMile's front end.
//
// Tauri serves `dist/` at the root of its own origin and loads the dev server from
// 127.0.0.1:5173 (see src-tauri/tauri.conf.json), so both are pinned here.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

import pkg from "./package.json";

export default defineConfig(() => {
  return {
    plugins: [react()],
    clearScreen: false,
    define: {
      // Shown in Settings > About.
      __APP_VERSION__: JSON.stringify(pkg.version),
    },
    server: {
      host: "127.0.0.1",
      port: 5173,
      strictPort: true,
    },
    build: {
      outDir: "dist",
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
