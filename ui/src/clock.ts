/**
 * `useNow`: the current time as component state, ticking on an interval, so relative times
 * ("5 minutes ago") stay true without each component keeping its own timer logic.
 */
import { useEffect, useState } from "react";

/** The current time in milliseconds, updated every `intervalMs`. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const id = window.setInterval(() => {
      setNow(Date.now());
    }, intervalMs);
    return () => {
      window.clearInterval(id);
    };
  }, [intervalMs]);

  return now;
}
