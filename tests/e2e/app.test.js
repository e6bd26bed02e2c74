// The real desktop app, driven through WebDriver: tauri-driver starts WebKitWebDriver, which
// starts greenmile-desktop. The app runs in demo mode (its embedded server on 127.0.0.1), so
// no network is needed. Figures on screen are checked against the CLI reading the same cache.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { remote } from 'webdriverio';

const here = dirname(fileURLToPath(import.meta.url));
const binDir = process.env.GREENMILE_BIN_DIR ?? resolve(here, '../../target/debug');
const appBinary = join(binDir, 'greenmile-desktop');
const cliBinary = join(binDir, 'greenmile');
const shotDir = resolve(here, '../../target/e2e');
const fixtureDir = resolve(here, '../fixtures/bills');

// The demo household is generated from a fixed seed: its size never changes.
const DEMO_BILLS = 1817;
const DEMO_OFFERS = 24;

let dataDir;

before(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'greenmile-e2e-'));
  mkdirSync(shotDir, { recursive: true });
});

after(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

async function waitForPort(port, child, deadlineMs) {
  const started = Date.now();
  while (Date.now() - started < deadlineMs) {
    if (child.exitCode !== null) throw new Error(`tauri-driver exited with ${child.exitCode}`);
    const open = await new Promise((ok) => {
      const socket = new (await_net().Socket)();
      socket.once('connect', () => (socket.destroy(), ok(true)));
      socket.once('error', () => ok(false));
      socket.connect(port, '127.0.0.1');
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`tauri-driver did not listen on ${port} within ${deadlineMs} ms`);
}

let netModule;
function await_net() {
  return netModule;
}

/** Starts tauri-driver with `env` for the app, opens a session, runs `body`, cleans up. */
async function withApp(env, body) {
  netModule ??= await import('node:net');
  const port = await freePort();
  const nativePort = await freePort();
  // Its own process group, so the app under WebKitWebDriver ends with it: an app left running
  // would take the next start's place through the single-instance plugin.
  const driver = spawn('tauri-driver', ['--port', String(port), '--native-port', String(nativePort)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  let browser;
  try {
    await waitForPort(port, driver, 30_000);
    // tauri-driver listens before WebKitWebDriver behind it does; on a busy machine the first
    // session request can reach a native port that is not open yet, so wait for it and retry.
    await waitForPort(nativePort, driver, 30_000).catch(() => {});
    for (let attempt = 1; ; attempt += 1) {
      try {
        browser = await remote({
          hostname: '127.0.0.1',
          port,
          logLevel: 'silent',
          connectionRetryTimeout: 120_000,
          connectionRetryCount: 0,
          capabilities: {
            browserName: 'wry',
            'wdio:enforceWebDriverClassic': true,
            'tauri:options': { application: appBinary },
          },
        });
        break;
      } catch (error) {
        if (attempt >= 5) throw error;
        await new Promise((r) => setTimeout(r, 1_000 * attempt));
      }
    }
    await body(browser);
  } finally {
    if (browser) await browser.deleteSession().catch(() => {});
    await endGroup(driver.pid);
  }
}

/** Ends the process group led by `pid` (tauri-driver, WebKitWebDriver and the app). */
async function endGroup(pid) {
  const signal = (name) => {
    try {
      process.kill(-pid, name);
      return true;
    } catch {
      return false; // the group is gone
    }
  };
  if (!signal('SIGTERM')) return;
  for (let waited = 0; waited < 15_000; waited += 250) {
    await new Promise((r) => setTimeout(r, 250));
    if (!signal(0)) return;
  }
  signal('SIGKILL');
}

async function numberAt(browser, testId) {
  const element = await browser.$(`[data-testid="${testId}"]`);
  await element.waitForExist({ timeout: 60_000 });
  return Number(await element.getAttribute('data-value'));
}

function cliSummary() {
  const out = execFileSync(cliBinary, ['summary', '--json', '--data-dir', dataDir], {
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

test('demo mode syncs the household and the dashboard shows the synced totals', async () => {
  await withApp({ GREENMILE_DATA_DIR: dataDir, GREENMILE_SERVER: '' }, async (browser) => {
    const status = await browser.$('[data-testid="sync-status"]');
    await status.waitForExist({ timeout: 60_000 });
    await browser.waitUntil(
      async () => (await numberAt(browser, 'bill-count')) === DEMO_BILLS,
      { timeout: 120_000, interval: 500, timeoutMsg: 'the dashboard never showed the demo bills' },
    );
    await browser.waitUntil(async () => (await status.getAttribute('data-state')) === 'idle', {
      timeout: 60_000,
      timeoutMsg: 'the sync status never returned to idle',
    });

    const summary = cliSummary();
    assert.equal(summary.bills, DEMO_BILLS, 'the cache holds every demo bill');
    assert.equal(await numberAt(browser, 'bill-count'), summary.bills, 'bill count on screen');
    assert.equal(await numberAt(browser, 'offer-count'), DEMO_OFFERS, 'offer count on screen');
    assert.equal(
      await numberAt(browser, 'carbon-total'),
      summary.carbon_saved_g,
      'carbon saved on screen equals the ledger total in the cache',
    );
    const spendThisMonth = await numberAt(browser, 'spend-this-month');
    assert.ok(spendThisMonth > 0, `the demo household spent this month (${spendThisMonth})`);

    await browser.saveScreenshot(join(shotDir, 'dashboard.png'));
  });
});

test('offers show each plan with its schedule, and the calculator finds the true rate', async () => {
  const cliOffers = JSON.parse(
    execFileSync(cliBinary, ['offers', '--json', '--data-dir', dataDir], { encoding: 'utf8' }),
  );
  await withApp({ GREENMILE_DATA_DIR: dataDir, GREENMILE_SERVER: '' }, async (browser) => {
    await (await browser.$('#tab-offers')).waitForClickable({ timeout: 60_000 });
    await (await browser.$('#tab-offers')).click();
    const cards = await browser.$$('[data-testid="offer-card"]');
    await browser.waitUntil(async () => (await browser.$$('[data-testid="offer-card"]')).length > 0, {
      timeout: 30_000,
      timeoutMsg: 'no offer card appeared',
    });
    assert.ok(cards.length <= cliOffers.length, 'no more cards than cached offers');

    // The first card is the first offer the CLI lists: valid ones first, ending soonest.
    const first = cliOffers[0];
    const firstCard = await browser.$('[data-testid="offer-card"]');
    assert.equal(await firstCard.getAttribute('data-offer-id'), first.id, 'same order as the CLI');
    await (await firstCard.$('[data-testid="offer-open"]')).click();
    const detail = await browser.$('[data-testid="offer-detail"]');
    await detail.waitForExist({ timeout: 30_000 });
    const rows = await browser.$$('[data-testid="schedule-row"]');
    const months = first.plans.reduce((sum, plan) => sum + plan.months, 0);
    assert.equal(rows.length, months, 'one schedule row per instalment of every plan');
    await browser.saveScreenshot(join(shotDir, 'offer-detail.png'));

    await (await browser.$('#tab-calculator')).click();
    const result = await browser.$('[data-testid="calc-result"] [data-testid="plan-apr"]');
    await result.waitForExist({ timeout: 30_000 });
    const apr = Number(await result.getAttribute('data-value'));
    assert.equal(Math.round(apr * 100) / 100, 13.03, '12,000 at 0.6 % a month is 13.03 % a year');
    await browser.saveScreenshot(join(shotDir, 'calculator.png'));
  });
});

test('a quiz taken in the app is explained, scored and counted in the streak', async () => {
  // The right answers, read from the lesson file itself rather than from the app.
  const lesson = JSON.parse(
    readFileSync(resolve(here, '../../assets/learn/lessons/ev-charging.json'), 'utf8'),
  );
  await withApp({ GREENMILE_DATA_DIR: dataDir, GREENMILE_SERVER: '' }, async (browser) => {
    await (await browser.$('#tab-learn')).waitForClickable({ timeout: 60_000 });
    await (await browser.$('#tab-learn')).click();
    const card = await browser.$('[data-testid="lesson-card"][data-lesson-id="ev-charging"]');
    await card.waitForClickable({ timeout: 30_000 });
    await card.click();
    await (await browser.$('[data-testid="quiz-start"]')).click();

    for (const question of lesson.questions) {
      const quiz = await browser.$(`[data-testid="quiz"][data-question-id="${question.id}"]`);
      await quiz.waitForExist({ timeout: 30_000 });
      for (const choice of question.answer) {
        await (await quiz.$(`input[value="${choice}"]`)).click();
      }
      await (await browser.$('[data-testid="quiz-check"]')).click();
      const feedback = await browser.$('[data-testid="quiz-feedback"]');
      await feedback.waitForExist({ timeout: 30_000 });
      assert.equal(await feedback.getAttribute('data-correct'), 'true', `${question.id} is right`);
      await (await browser.$('[data-testid="quiz-next"]')).click();
    }

    const result = await browser.$('[data-testid="quiz-result"]');
    await result.waitForExist({ timeout: 30_000 });
    assert.equal(Number(await result.getAttribute('data-correct')), lesson.questions.length);
    const streak = await numberAt(browser, 'quiz-streak');
    await browser.saveScreenshot(join(shotDir, 'quiz-result.png'));

    const progress = JSON.parse(
      execFileSync(cliBinary, ['quiz', 'progress', '--json', '--data-dir', dataDir], {
        encoding: 'utf8',
      }),
    );
    assert.equal(streak, progress.streak.current, 'the streak on screen is the saved one');
    assert.ok(streak >= 1, 'a quiz today makes a streak of at least one day');
    const ev = progress.lessons.find((l) => l.lesson_id === 'ev-charging');
    assert.equal(ev.mastered, true, 'every answer right masters the lesson');
  });
});

test('a payment export imported the way a drop is shows its report and lands in the bills', async () => {
  const file = join(fixtureDir, 'greenmile/wechat-green.csv');
  await withApp({ GREENMILE_DATA_DIR: dataDir, GREENMILE_SERVER: '' }, async (browser) => {
    await (await browser.$('#tab-import')).waitForClickable({ timeout: 60_000 });

    // A dropped file and a picked one both end in this command; WebDriver cannot drive the
    // native picker or a drop from the desktop, so the test calls it as the drop handler does.
    const outcomes = await browser.executeAsync((paths, done) => {
      window.__TAURI_INTERNALS__
        .invoke('import_files', { paths })
        .then(done, (error) => done({ failed: error }));
    }, [file]);
    assert.ok(Array.isArray(outcomes), `the command answered: ${JSON.stringify(outcomes)}`);
    const report = outcomes[0].report;
    // Hand-worked from the file: the metro ride 4.00, the bike ride (1.50 of 3.00 kept), the
    // desk (300.00, all refunded) and the 30.00 charge are imported; the refund row and the
    // withdrawal are neutral. 4.00 + 1.50 + 0 + 30.00 = 35.50, all of it green.
    assert.equal(report.format, 'wechat_csv');
    assert.deepEqual(
      [report.rows, report.imported, report.duplicates, report.neutral, report.skipped.length],
      [6, 4, 0, 2, 0],
    );
    assert.equal(report.net_spend.CNY, 3550);
    assert.equal(report.green_net_spend.CNY, 3550);

    // The report event brings the import screen forward with the same figures.
    const card = await browser.$('[data-testid="import-report"]');
    await card.waitForExist({ timeout: 30_000 });
    assert.equal(await card.getAttribute('data-file'), 'wechat-green.csv');
    assert.equal(await numberAt(browser, 'import-rows'), 6);
    assert.equal(await numberAt(browser, 'import-imported'), 4);
    assert.equal(await numberAt(browser, 'import-neutral'), 2);
    assert.equal(await numberAt(browser, 'import-net-spend'), 3550);
    assert.equal(await numberAt(browser, 'import-green-net-spend'), 3550);
    await browser.saveScreenshot(join(shotDir, 'import-report.png'));

    await (await browser.$('#tab-bills')).click();
    await (await browser.$('[data-testid="bills-source"]')).selectByAttribute('value', 'file');
    await browser.waitUntil(async () => (await numberAt(browser, 'bills-shown')) === 4, {
      timeout: 30_000,
      timeoutMsg: 'the bills list never showed the 4 imported bills',
    });
    const rows = await browser.$$('[data-testid="bill-row"]');
    const shown = [];
    for (const row of rows) {
      if (await row.isDisplayed()) shown.push(await row.getAttribute('data-source'));
    }
    assert.deepEqual(shown, ['file', 'file', 'file', 'file'], 'each row is marked as from a file');
    await browser.saveScreenshot(join(shotDir, 'imported-bills.png'));
  });

  const summary = cliSummary();
  assert.equal(summary.imported_bills, 4, 'the CLI reads the same imported bills');
  assert.equal(summary.bills, DEMO_BILLS + 4, 'beside every synced bill');
});

/** The bills the CLI finds in the same cache with `args` (filters), counted. */
function cliBillTotal(args) {
  const out = execFileSync(
    cliBinary,
    ['bills', '--json', '--limit', '1', '--data-dir', dataDir, ...args],
    { encoding: 'utf8' },
  );
  return JSON.parse(out).total;
}

async function shownTotal(browser) {
  const shown = await browser.$('[data-testid="bills-shown"]');
  await shown.waitForExist({ timeout: 60_000 });
  return Number(await shown.getAttribute('data-total'));
}

test('bills are searched and filtered, and a bill opens with its explanation', async () => {
  const metro = cliBillTotal(['--search', '地铁']);
  const certified = cliBillTotal(['--search', '地铁', '--certification', 'finance_certified']);
  assert.ok(certified > 0 && certified < metro, `some metro bills are certified (${certified})`);

  await withApp({ GREENMILE_DATA_DIR: dataDir, GREENMILE_SERVER: '' }, async (browser) => {
    await (await browser.$('#tab-bills')).waitForClickable({ timeout: 60_000 });
    await (await browser.$('#tab-bills')).click();
    await browser.waitUntil(async () => (await shownTotal(browser)) === cliSummary().bills, {
      timeout: 30_000,
      timeoutMsg: 'the bills list never counted every bill',
    });

    await (await browser.$('[data-testid="bills-search"]')).setValue('地铁');
    await browser.waitUntil(async () => (await shownTotal(browser)) === metro, {
      timeout: 30_000,
      timeoutMsg: `the search never found the ${metro} metro bills the CLI finds`,
    });
    await (await browser.$('[data-testid="bills-certification"]')).selectByAttribute(
      'value',
      'finance_certified',
    );
    await browser.waitUntil(async () => (await shownTotal(browser)) === certified, {
      timeout: 30_000,
      timeoutMsg: `the filter never narrowed to the ${certified} certified metro bills`,
    });
    const rows = await browser.$$('[data-testid="bill-row"]');
    assert.ok(rows.length > 0 && rows.length <= certified, 'only rows in view are drawn');
    for (const row of rows.slice(0, 5)) {
      assert.match(await row.getText(), /地铁/, 'each row is a metro bill');
    }
    await browser.saveScreenshot(join(shotDir, 'bills-search.png'));

    // The keyboard opens the first bill (Tab reaches one row; Enter opens it): its page
    // explains the carbon figure.
    const first = rows[0];
    const id = await first.getAttribute('data-bill-id');
    assert.equal(await first.getAttribute('tabindex'), '0', 'the first row is the tab stop');
    await browser.execute((row) => row.focus(), first);
    await browser.keys('Enter');
    const detail = await browser.$('[data-testid="bill-detail"]');
    await detail.waitForExist({ timeout: 30_000 });
    assert.equal(await detail.getAttribute('data-bill-id'), id, 'the bill clicked is opened');
    const explanation = await browser.$('[data-testid="carbon-explanation"]');
    await explanation.waitForExist({ timeout: 30_000 });
    const method = await browser.$('[data-testid="carbon-method"]');
    await method.waitForExist({ timeout: 30_000 });
    assert.match(await method.getAttribute('data-method'), /^transit-distance/, 'its method');
    await browser.saveScreenshot(join(shotDir, 'bill-explanation.png'));
  });
});

test('reset demo removes what the visitor did and brings the household back', async () => {
  assert.ok(cliSummary().imported_bills > 0, 'the visitor imported a file before');

  await withApp({ GREENMILE_DATA_DIR: dataDir, GREENMILE_SERVER: '' }, async (browser) => {
    const reset = await browser.$('[data-testid="demo-reset"]');
    await reset.waitForClickable({ timeout: 60_000 });
    const status = await browser.$('[data-testid="sync-status"]');
    await browser.waitUntil(async () => (await status.getAttribute('data-state')) === 'idle', {
      timeout: 60_000,
      timeoutMsg: 'the launch sync never finished',
    });
    await reset.click();
    await (await browser.$('[data-testid="demo-reset-confirm"]')).click();

    await browser.waitUntil(
      async () =>
        (await status.getAttribute('data-state')) === 'idle' &&
        (await numberAt(browser, 'bill-count')) === DEMO_BILLS,
      { timeout: 120_000, interval: 500, timeoutMsg: 'the reset demo never came back' },
    );
    await browser.saveScreenshot(join(shotDir, 'demo-reset.png'));
  });

  const summary = cliSummary();
  assert.equal(summary.imported_bills, 0, 'the imported bills are gone');
  assert.equal(summary.bills, DEMO_BILLS, 'and the household is whole again');
});

test('the language switches in Settings, and About shows the version the app was built as', async () => {
  const conf = JSON.parse(readFileSync(resolve(here, '../../src-tauri/tauri.conf.json'), 'utf8'));

  await withApp({ GREENMILE_DATA_DIR: dataDir, GREENMILE_SERVER: '' }, async (browser) => {
    const settingsTab = await browser.$('#tab-settings');
    await settingsTab.waitForClickable({ timeout: 60_000 });
    await settingsTab.click();
    const version = await browser.$('[data-testid="app-version"]');
    await version.waitForExist({ timeout: 30_000 });
    assert.equal(await version.getText(), conf.version, 'About names the packaged version');

    const pick = async (code, dashboardLabel) => {
      await (await browser.$(`label[lang="${code}"] input[name="language"]`)).click();
      await browser.waitUntil(
        async () => (await (await browser.$('#tab-dashboard')).getText()) === dashboardLabel,
        { timeout: 30_000, timeoutMsg: `the navigation never switched to ${code}` },
      );
      assert.equal(await browser.execute(() => document.documentElement.lang), code);
    };
    await pick('zh-CN', '概览');
    await browser.saveScreenshot(join(shotDir, 'settings-zh-CN.png'));
    await pick('en', 'Dashboard');
  });
});

test('started again with its server unreachable, the app shows the cache and says so', async () => {
  const closedPort = await freePort();
  const env = { GREENMILE_DATA_DIR: dataDir, GREENMILE_SERVER: `http://127.0.0.1:${closedPort}/` };
  const before = cliSummary();

  await withApp(env, async (browser) => {
    const status = await browser.$('[data-testid="sync-status"]');
    await status.waitForExist({ timeout: 60_000 });
    await browser.waitUntil(async () => (await status.getAttribute('data-state')) === 'error', {
      timeout: 60_000,
      timeoutMsg: 'the failed sync was never shown',
    });
    assert.equal(await numberAt(browser, 'bill-count'), before.bills, 'cached bills still shown');
    assert.equal(
      await numberAt(browser, 'carbon-total'),
      before.carbon_saved_g,
      'cached carbon total still shown',
    );
    await browser.saveScreenshot(join(shotDir, 'offline.png'));
  });

  assert.deepEqual(cliSummary().green_spend, before.green_spend, 'the failed sync lost nothing');
});

// TODO(accounts-desktop-canary): the byte search for tokens after sign-out runs on the CLI's
// data folder, logs and temporary files (crates/cli/tests/account.rs); the app's own log folder
// and WebKit's storage are not searched here yet.
test('signing in from Settings shows only that account, and signing out leaves none of it', async () => {
  const password = 'e2e password, long enough';
  const serverBinary = join(binDir, 'greenmile-server');
  const home = mkdtempSync(join(tmpdir(), 'greenmile-e2e-account-'));
  const store = join(home, 'server.sqlite');
  const appData = join(home, 'data');
  execFileSync(serverBinary, ['user', 'add', '--store', store, '--email', 'ana@example.org', '--password-stdin'], {
    input: `${password}\n`,
  });
  // Ana's account holds 7 bills; the server prints its URL alone on its first line.
  const server = spawn(
    serverBinary,
    ['--db', store, '--listen', '127.0.0.1:0', '--bulk', '7,1,2', '--owner', 'ana@example.org'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const url = await new Promise((ok, fail) => {
      server.stdout.once('data', (chunk) => ok(String(chunk).trim()));
      server.once('exit', () => fail(new Error('the server stopped before it served')));
    });

    await withApp({ GREENMILE_DATA_DIR: appData, GREENMILE_SERVER: '' }, async (browser) => {
      await browser.waitUntil(async () => (await numberAt(browser, 'bill-count')) === DEMO_BILLS, {
        timeout: 120_000,
        timeoutMsg: 'the demo never showed',
      });
      await (await browser.$('#tab-settings')).click();
      await (await browser.$('input[name="server"]')).setValue(url);
      await (await browser.$('input[name="email"]')).setValue('ana@example.org');
      await (await browser.$('input[name="password"]')).setValue(password);
      await (await browser.$('form.sign-in button[type="submit"]')).click();

      // The window reloads on Ana's data alone: 7 bills, none of the demo's.
      await browser.waitUntil(async () => (await numberAt(browser, 'bill-count')) === 7, {
        timeout: 60_000,
        timeoutMsg: "the dashboard never showed Ana's 7 bills",
      });
      await (await browser.$('#tab-settings')).waitForClickable({ timeout: 30_000 });
      await (await browser.$('#tab-settings')).click();
      const who = await browser.$('[data-testid="account-signed-in"]');
      await who.waitForExist({ timeout: 30_000 });
      assert.match(await who.getText(), /ana@example\.org/, 'Settings says who is signed in');
      const stored = await browser.execute(() => JSON.stringify({ ...localStorage }));
      assert.ok(!stored.includes(password), 'the password is not in web storage');
      await browser.saveScreenshot(join(shotDir, 'signed-in.png'));

      await (await browser.$('[data-testid="sign-out"]')).click();
      await browser.waitUntil(async () => (await numberAt(browser, 'bill-count')) === DEMO_BILLS, {
        timeout: 120_000,
        timeoutMsg: 'the app never returned to the demo',
      });
    });

    // Nothing of Ana's sign-in is left: the CLI on the same folder finds no one signed in.
    const whoami = spawnSyncJson(cliBinary, ['whoami', '--json', '--data-dir', appData]);
    assert.equal(whoami.error?.code, 'sign_in_required', 'no sign-in is left behind');
  } finally {
    server.kill('SIGTERM');
    rmSync(home, { recursive: true, force: true });
  }
});

/** Runs `binary` with `args` and reads its stdout as JSON, whatever its exit status. */
function spawnSyncJson(binary, args) {
  try {
    return JSON.parse(execFileSync(binary, args, { encoding: 'utf8' }));
  } catch (error) {
    return JSON.parse(error.stdout);
  }
}
