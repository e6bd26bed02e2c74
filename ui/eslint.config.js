// ESLint flat configuration: type-aware typescript-eslint plus the React hooks rules.
//
// One rule is ours: only `src/ipc.ts` may import `@tauri-apps/*`, so the rest of the UI stays
// testable with a mocked `./ipc` and never grows a second path to the Rust side.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
  { ignores: ["dist", "dist-a11y", "node_modules", "src/bindings.ts"] },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      globals: globals.browser,
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  reactHooks.configs.flat.recommended,
  {
    rules: {
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@tauri-apps/*"],
              message: "Call the typed functions in src/ipc.ts instead.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/ipc.ts"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    files: ["**/*.js"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
);
