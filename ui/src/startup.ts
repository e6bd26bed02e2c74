/**
 * Start-up timing: the shell measures the time from process start to the first dashboard
 * with figures on screen, and the UI says when that moment has come, with the moments on the
 * way (when the page began loading, when the script ran, when the app was ready to render,
 * when the figures arrived) so a slow start can be told apart.
 */
import { useEffect } from "react";

import * as ipc from "./ipc";

let reported = false;

/** The moments of this start, in the order they came, in ms since the page began loading. */
const marks: [string, number][] = [];

/** Notes that `moment` has come (the first time only; none after the first paint). */
export function markStartup(moment: string): void {
  if (!reported && !marks.some(([name]) => name === moment)) {
    marks.push([moment, performance.now()]);
  }
}

/** Once per app run, after the first frame in which `ready` is true has been painted. */
export function useReportFirstPaint(ready: boolean): void {
  useEffect(() => {
    if (!ready || reported) return;
    markStartup("figures");
    reported = true;
    // A frame callback runs before its paint; the next frame's runs after it.
    requestAnimationFrame(() => {
      requestAnimationFrame(() => {
        marks.push(["painted", performance.now()]);
        ipc.dashboardPainted({ origin_ms: performance.timeOrigin, moments: marks });
      });
    });
  }, [ready]);
}
