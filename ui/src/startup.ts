/**
 * Start-up timing: the shell measures the time from process start to the first dashboard
 * with figures on screen, and the UI says when that moment has come.
 */
import { useEffect } from "react";

import * as ipc from "./ipc";

let reported = false;

/** Once per app run, after the first frame in which `ready` is true has been painted. */
export function useReportFirstPaint(ready: boolean): void {
  useEffect(() => {
    if (!ready || reported) return;
    reported = true;
    // A frame callback runs before its paint; the next frame's runs after it.
    requestAnimationFrame(() => {
      requestAnimationFrame(() => {
        ipc.dashboardPainted();
      });
    });
  }, [ready]);
}
