// The accessibility check: every page of the UI, rendered in Chromium at a desktop and a
// phone width, in light and dark, checked with axe-core. Fails on any serious or critical
// violation, a script error or a broken keyboard path (skip link, section tabs, focus ring),
// and prints a summary of all of them; saves a screenshot of each page.
//
// There is no Tauri in a plain browser, so the UI is built with `vite build --mode a11y`,
// which answers the commands from the test fixtures (src/test/ipcStandIn.ts), and served from
// 127.0.0.1 on a free port. The production build in dist/ is checked not to contain that
// stand-in.
//
//   npm run a11y                  Debian's /usr/bin/chromium
//   CHROMIUM=/path npm run a11y   another Chromium
//   SCREENSHOTS=dir npm run a11y  screenshots elsewhere than <repo>/target/screenshots
//   A11Y_WIDTHS=800,1920 npm run a11y   other window widths than 1280 and 375 px
import { mkdtemp, mkdir, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import AxeBuilder from "@axe-core/playwright";
import { chromium } from "playwright-core";
import { build, preview } from "vite";

const ui = fileURLToPath(new URL("..", import.meta.url));
const screenshots = process.env.SCREENSHOTS ?? join(ui, "..", "target", "screenshots");
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** Must be the value of STAND_IN_MARKER in src/test/ipcStandIn.ts. */
const STAND_IN_MARKER = "greenmile-ipc-stand-in:fixtures";

const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The window widths checked, in px: a desktop and a phone unless A11Y_WIDTHS lists others. */
const WIDTHS = (process.env.A11Y_WIDTHS ?? "1280,375").split(",").map((text) => {
  const width = Number(text);
  if (!Number.isInteger(width) || width < 320) {
    throw new Error(`A11Y_WIDTHS: ${text} is not a window width in px (320 or more)`);
  }
  return { name: String(width), viewport: { width, height: width > 600 ? 800 : 740 } };
});

/** Each run starts a fresh page in one theme and one language. */
const VARIANTS = [
  { name: "light-en", theme: "light", locale: "en-US" },
  { name: "dark-zh", theme: "dark", locale: "zh-CN" },
];

/**
 * What shows once a section has drawn its data. A section not listed (one added later) counts
 * as drawn when its panel shows and has stopped saying it is loading.
 */
const SECTION_READY = {
  dashboard: '[data-testid="dashboard"]',
  bills: '[data-testid="bill-row"]',
  offers: '[data-testid="offer-card"]',
  settings: '[data-testid="settings"]',
};

/** Pages opened from a section's page, checked right after it: the first item opened. */
const DRILL_DOWN = {
  bills: { name: "bill", opener: "bill-row", ready: "bill-detail" },
  offers: { name: "offer", opener: "offer-open", ready: "offer-detail" },
};

/**
 * The pages, in the order a user would reach them: every section the navigation lists, each
 * followed by its drill-down page.
 */
async function pagesOf(page) {
  const ids = await page
    .locator(".nav-tabs [role='tab']")
    .evaluateAll((tabs) => tabs.map((tab) => tab.id.replace(/^tab-/, "")));

  return ids.flatMap((id) => {
    const ready = SECTION_READY[id] ?? "";
    const section = { name: id, open: (at) => openSection(at, id, ready) };
    const drill = DRILL_DOWN[id];
    if (drill === undefined) return [section];
    return [section, { name: drill.name, open: (at) => openFirst(at, drill.opener, drill.ready) }];
  });
}

/**
 * What a keyboard user meets first: the skip link, shown when focused, which moves focus to
 * the main area; the navigation's tab with a visible focus ring. Returns what went wrong.
 */
async function checkKeyboard(page) {
  const problems = [];
  const focused = () =>
    page.evaluate(() => {
      const element = document.activeElement;
      if (element === null) return null;
      const box = element.getBoundingClientRect();
      const style = getComputedStyle(element);
      return {
        id: element.id,
        className: typeof element.className === "string" ? element.className : "",
        role: element.getAttribute("role"),
        onScreen: box.bottom > 0 && box.top < window.innerHeight && box.width > 0,
        outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
      };
    });

  await page.locator("body").focus();
  await page.keyboard.press("Tab");
  const skip = await focused();
  if (skip?.className !== "skip-link") problems.push("the first Tab does not reach the skip link");
  else if (!skip.onScreen) problems.push("the focused skip link is not on screen");

  await page.keyboard.press("Enter");
  if ((await focused())?.id !== "main") problems.push("the skip link does not focus the main area");

  await page.locator(".nav-tabs [aria-selected='true']").focus();
  await page.keyboard.press("ArrowRight");
  const tab = await focused();
  if (tab?.role !== "tab") problems.push("the arrow keys do not move between the sections");
  else if (!tab.outline) problems.push("the focused section tab shows no focus ring");
  await page.keyboard.press("ArrowLeft");

  return problems;
}

/**
 * Waits until `selector` shows in the open panel (the panel itself for "") and the panel has
 * stopped saying it is loading.
 */
async function settle(page, selector) {
  const shown = selector === "" ? ".panel:not([hidden])" : `.panel:not([hidden]) ${selector}`;
  await page.locator(shown).first().waitFor({ state: "visible" });
  await page.waitForFunction(
    () => document.querySelector('.panel:not([hidden]) [role="status"]') === null,
  );
}

async function openSection(page, id, ready) {
  await page.locator(`#tab-${id}`).click();
  await settle(page, ready);
}

async function openFirst(page, opener, ready) {
  await page.locator(`.panel:not([hidden]) [data-testid="${opener}"]`).first().click();
  await settle(page, `[data-testid="${ready}"]`);
}

/** Every file under `dir` whose text contains `needle`. */
async function filesContaining(dir, needle) {
  const found = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if ((await readFile(path, "utf8")).includes(needle)) found.push(path);
  }
  return found;
}

/** Builds both bundles and checks that only the a11y one holds the stand-in. */
async function buildBundles() {
  const quiet = { root: ui, logLevel: "warn" };
  await build({ ...quiet, mode: "production" });
  await build({ ...quiet, mode: "a11y" });

  const leaked = await filesContaining(join(ui, "dist"), STAND_IN_MARKER);
  if (leaked.length > 0) {
    throw new Error(`the production build contains the IPC stand-in: ${leaked.join(", ")}`);
  }
  const standIn = await filesContaining(join(ui, "dist-a11y"), STAND_IN_MARKER);
  if (standIn.length === 0) {
    throw new Error("the a11y build lacks the IPC stand-in, so the check above proves nothing");
  }
  console.log("production build: no IPC stand-in; a11y build: stand-in in place");
}

/** Saves the whole page: the window grows to the main area's full height first. */
async function screenshot(page, viewport, path) {
  const height = await page.evaluate(() => {
    const main = document.querySelector("main");
    return main === null ? 0 : window.innerHeight - main.clientHeight + main.scrollHeight;
  });
  await page.setViewportSize({ width: viewport.width, height: Math.max(height, viewport.height) });
  await page.screenshot({ path });
  await page.setViewportSize(viewport);
}

/** Runs every page in one width and variant; returns one result per page. */
async function checkRun(url, width, variant) {
  const profile = await mkdtemp(join(tmpdir(), "greenmile-a11y-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: width.viewport,
    locale: variant.locale,
    colorScheme: variant.theme,
    reducedMotion: "reduce",
  });

  try {
    await context.addInitScript((theme) => {
      localStorage.setItem("greenmile.theme", theme);
    }, variant.theme);
    const page = context.pages()[0] ?? (await context.newPage());
    const errors = [];
    page.on("pageerror", (error) => errors.push(`the page threw: ${error.message}`));
    await page.goto(url);
    await settle(page, SECTION_READY.dashboard);

    const keyboard = await checkKeyboard(page);
    await settle(page, SECTION_READY.dashboard);
    const results = [];
    for (const { name, open } of await pagesOf(page)) {
      await open(page);
      const axe = await new AxeBuilder({ page }).analyze();
      const file = join(screenshots, `${name}-${width.name}-${variant.name}.png`);
      await screenshot(page, width.viewport, file);
      // The keyboard walk ran on the first page, so its problems are reported there.
      const thrown = [...errors.splice(0), ...keyboard.splice(0)];
      results.push({ page: name, width: width.name, variant: variant.name, axe, errors: thrown });
    }
    return results;
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}

const BLOCKING = new Set(["serious", "critical"]);

function summarise(results) {
  let blocking = 0;
  console.log("\npage      width  variant   critical serious moderate minor");
  for (const { page, width, variant, axe } of results) {
    const count = (impact) => axe.violations.filter((v) => v.impact === impact).length;
    console.log(
      `${page.padEnd(9)} ${width.padEnd(6)} ${variant.padEnd(9)} ` +
        `${String(count("critical")).padStart(8)} ${String(count("serious")).padStart(7)} ` +
        `${String(count("moderate")).padStart(8)} ${String(count("minor")).padStart(5)}`,
    );
  }
  for (const { page, width, variant, axe, errors } of results) {
    for (const violation of axe.violations) {
      const mark = BLOCKING.has(violation.impact) ? "FAIL" : "note";
      if (mark === "FAIL") blocking += 1;
      const targets = violation.nodes.map((node) => node.target.join(" ")).slice(0, 5);
      console.log(`\n${mark} ${page} ${width} ${variant}: ${violation.id} (${violation.impact})`);
      console.log(`  ${violation.help} ${violation.helpUrl}`);
      console.log(`  at ${targets.join(" | ")}`);
    }
    for (const error of errors) {
      blocking += 1;
      console.log(`\nFAIL ${page} ${width} ${variant}: ${error}`);
    }
  }
  return blocking;
}

async function main() {
  await buildBundles();
  await mkdir(screenshots, { recursive: true });

  const server = await preview({
    root: ui,
    mode: "a11y",
    logLevel: "warn",
    preview: { host: "127.0.0.1", port: 0, strictPort: true, open: false },
  });
  const address = server.httpServer.address();
  if (address === null || typeof address === "string") {
    throw new Error("the preview server did not report its port");
  }
  const url = `http://127.0.0.1:${address.port}/`;
  console.log(`serving the a11y build at ${url}`);

  const results = [];
  try {
    for (const width of WIDTHS) {
      for (const variant of VARIANTS) {
        results.push(...(await checkRun(url, width, variant)));
      }
    }
  } finally {
    await server.close();
  }

  const blocking = summarise(results);
  console.log(`\n${results.length} page renders checked; screenshots in ${screenshots}`);
  if (blocking > 0) {
    console.log(`${blocking} problem(s) fail the check`);
    process.exitCode = 1;
  }
}

await main();
