/**
 * Vitest setup: DOM matchers, English messages, and a clean DOM, storage and language after
 * each test.
 */
import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import i18next from "i18next";
import { afterEach, beforeAll, vi } from "vitest";

import { initI18n } from "../i18n";

beforeAll(async () => {
  await initI18n("en");
});

afterEach(async () => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
  delete document.documentElement.dataset.theme;
  if (i18next.language !== "en") await i18next.changeLanguage("en");
});
