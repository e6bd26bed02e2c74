/**
 * The user's colour and motion preferences, and the window's width class, as React state.
 *
 * The colour theme is a choice of light, dark or "follow the system", remembered in
 * localStorage. The choice resolves to light or dark and lands on `<html data-theme>`, where
 * the CSS variables of styles.css pick it up; `applyTheme` runs once before the first render,
 * and again whenever the choice or, while following the system, the OS setting changes. The
 * chart, which paints pixels on a canvas, reads the resolved theme to know when to repaint.
 */
import { useSyncExternalStore } from "react";

/**
 * Marks `<html data-platform="linux">` on desktop Linux, where styles.css names the fonts as
 * fontconfig does (WebKitGTK's lookup of `system-ui` is slow there); other systems keep theirs.
 */
export function applyPlatform(userAgent: string = navigator.userAgent): void {
  if (userAgent.includes("Linux") && !userAgent.includes("Android")) {
    document.documentElement.dataset.platform = "linux";
  } else {
    delete document.documentElement.dataset.platform;
  }
}

/** What the user picked in Settings. */
export type ThemeChoice = "system" | "light" | "dark";

/** What the page is painted in. */
export type Theme = "light" | "dark";

export const THEME_CHOICES: readonly ThemeChoice[] = ["system", "light", "dark"];

/** The localStorage key holding the choice; absent means "system". */
export const THEME_KEY = "greenmile.theme";

const DARK_QUERY = "(prefers-color-scheme: dark)";

function mediaQuery(query: string): MediaQueryList | null {
  return typeof window.matchMedia === "function" ? window.matchMedia(query) : null;
}

function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const list = mediaQuery(query);
      list?.addEventListener("change", onChange);
      return () => list?.removeEventListener("change", onChange);
    },
    () => mediaQuery(query)?.matches ?? false,
    () => false,
  );
}

/** Whether the OS asks for less motion. */
export function usePrefersReducedMotion(): boolean {
  return useMediaQuery("(prefers-reduced-motion: reduce)");
}

/** Whether the window is phone-width, where the navigation turns into a bar along the bottom. */
export function useNarrowWindow(): boolean {
  // Kept equal to the `720px` breakpoint of styles.css.
  return useMediaQuery("(width <= 720px)");
}

function isThemeChoice(value: string | null): value is ThemeChoice {
  return value !== null && (THEME_CHOICES as readonly string[]).includes(value);
}

// The choice made while storage refused to keep it (storage can be switched off): it then
// holds until the app closes.
let unsaved: ThemeChoice | null = null;

/** The remembered choice; anything unreadable counts as "system". */
export function storedThemeChoice(): ThemeChoice {
  try {
    const value = localStorage.getItem(THEME_KEY);
    return isThemeChoice(value) ? value : "system";
  } catch {
    return unsaved ?? "system";
  }
}

/** The theme a choice paints, given whether the OS currently asks for dark colours. */
export function resolveTheme(choice: ThemeChoice, systemDark: boolean): Theme {
  if (choice === "system") return systemDark ? "dark" : "light";
  return choice;
}

const listeners = new Set<() => void>();

function currentTheme(): Theme {
  return resolveTheme(storedThemeChoice(), mediaQuery(DARK_QUERY)?.matches ?? false);
}

/** Paints the page in the remembered theme and tells the components that read it. */
export function applyTheme(): void {
  document.documentElement.dataset.theme = currentTheme();
  listeners.forEach((listener) => {
    listener();
  });
}

/** Remembers `choice` and repaints the page with it. */
export function chooseTheme(choice: ThemeChoice): void {
  try {
    if (choice === "system") localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, choice);
  } catch {
    unsaved = choice;
  }
  applyTheme();
}

/**
 * Keeps the page's theme in step with the OS while the choice is "system". Returns the
 * function that stops listening.
 */
export function followSystemTheme(): () => void {
  const list = mediaQuery(DARK_QUERY);
  list?.addEventListener("change", applyTheme);
  return () => list?.removeEventListener("change", applyTheme);
}

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  return () => listeners.delete(onChange);
}

/** The theme the page is painted in, updated on every `applyTheme`. */
export function useTheme(): Theme {
  return useSyncExternalStore(subscribe, currentTheme, () => "light");
}

/** The user's theme choice, updated when `chooseTheme` changes it. */
export function useThemeChoice(): ThemeChoice {
  return useSyncExternalStore(subscribe, storedThemeChoice, () => "system");
}
