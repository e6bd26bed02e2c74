/**
 * The entry point: paints the chosen theme, loads the messages for the user's language, then
 * mounts the app.
 */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { App } from "./App";
import { ErrorBoundary } from "./components/ErrorBoundary";
import { followSystemLanguage, initI18n } from "./i18n";
import { markStartup } from "./startup";
import "./styles.css";
import { applyPlatform, applyTheme, followSystemTheme } from "./theme";

markStartup("script");

async function start(): Promise<void> {
  const root = document.getElementById("root");
  if (root === null) {
    throw new Error("index.html has no #root element");
  }

  applyPlatform();
  applyTheme();
  followSystemTheme();
  await initI18n();
  followSystemLanguage();
  markStartup("ready");
  createRoot(root).render(
    <StrictMode>
      <ErrorBoundary>
        <App />
      </ErrorBoundary>
    </StrictMode>,
  );
}

void start();
