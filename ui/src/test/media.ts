/**
 * A stand-in for `window.matchMedia`, which jsdom lacks: the queries listed match, any other
 * does not, and a listener can be told that the answers changed.
 */
import { vi } from "vitest";

export interface MediaStub {
  /** Makes exactly `queries` match from now on and tells every listener. */
  set: (...queries: string[]) => void;
}

export function stubMatchMedia(...initial: string[]): MediaStub {
  let matching = new Set(initial);
  const listeners = new Set<() => void>();

  vi.stubGlobal("matchMedia", (query: string) => ({
    get matches() {
      return matching.has(query);
    },
    media: query,
    addEventListener: (_type: string, listener: () => void) => listeners.add(listener),
    removeEventListener: (_type: string, listener: () => void) => listeners.delete(listener),
  }));

  return {
    set: (...queries) => {
      matching = new Set(queries);
      listeners.forEach((listener) => {
        listener();
      });
    },
  };
}
