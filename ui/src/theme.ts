/**
 * The user's colour and motion preferences, as React state.
 *
 * The page's colours come from CSS variables that follow `prefers-color-scheme` on their own;
 * only the chart, which paints pixels on a canvas, needs to know when to repaint.
 */
import { useSyncExternalStore } from "react";

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

/** Whether the OS asks for dark colours. */
export function usePrefersDark(): boolean {
  return useMediaQuery("(prefers-color-scheme: dark)");
}

/** Whether the OS asks for less motion. */
export function usePrefersReducedMotion(): boolean {
  return useMediaQuery("(prefers-reduced-motion: reduce)");
}
