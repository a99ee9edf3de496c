/**
 * The storefront (examples/storefront) in a real browser: Debian's Chromium
 * driven by playwright-core, headless, against the whole supergraph with the
 * demo catalog and accounts. The page is the production build (vite build),
 * served from its own origin, so every call crosses CORS as in production.
 *
 * A student signs in, searches, opens the one-seat course and buys it while a
 * second browser context, signed in as a newly registered student, watches
 * the seat count fall to 0 and the buy button turn disabled without a
 * reload; the student cancels in My orders and the watcher sees the seat
 * come back. PRICE_CHANGED and SOLD_OUT answers are shown as a buyer would
 * want them, a purchase whose answer was lost is retried under the same
 * idempotency key (one order), and the access token is refreshed before it expires, once for
 * two tabs, with the websocket reconnecting on the new token. Screenshots of the catalog and
 * the course page go to test-artifacts/storefront/.
 *
 * Chromium: CHROMIUM_PATH, else /usr/bin/chromium (`apt-get install
 * chromium`; scripts/ensure-chromium.sh, which `npm test` and .ci/run call).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Server } from 'node:http';
import express from 'express';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEMO_USERS, demoCourseId } from '@coursegraph/domain';
import { PlaceOrderDocument, RefreshTokenDocument, UpdateCoursePriceDocument } from '@coursegraph/client';
import { startStack, type Stack } from '@coursegraph/devkit/stack';
import { expectSeatInvariant } from '@coursegraph/devkit/fixtures';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', 'test-artifacts', 'storefront');
const STOREFRONT = join(__dirname, '..', 'examples', 'storefront');
/** Short enough that the refresh test sees one within its time bound (refreshed a quarter early: after 12 s). */
const ACCESS_TOKEN_TTL_SECONDS = 16;
const LAST_SEAT = demoCourseId(4);
const WAIT = { timeout: 15_000 };

let stack: Stack;
let site: Server;
let siteUrl: string;
let browser: Browser;
let dist: string;
const contexts: BrowserContext[] = [];
/** Uncaught errors of the pages of the running test. */
const pageErrors: Error[] = [];

jest.setTimeout(120_000);

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: run scripts/ensure-chromium.sh (apt-get install chromium), or set CHROMIUM_PATH`);
  }
  stack = await startStack({ accounts: { demoData: true, accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS }, course: { demoData: true } });
  dist = mkdtempSync(join(tmpdir(), 'storefront-'));
  await buildStorefront(dist, stack.gatewayUrl);
  const app = express();
  app.use(express.static(dist));
  site = await new Promise<Server>((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--disable-dev-shm-usage'] });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 120_000);

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
  expect(pageErrors.splice(0)).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
  if (dist) rmSync(dist, { recursive: true, force: true });
  await stack?.stop();
});

/** `vite build` of the storefront into `outDir`, calling `gatewayUrl`. */
function buildStorefront(outDir: string, gatewayUrl: string): Promise<void> {
  const vite = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: STOREFRONT,
      env: { ...process.env, VITE_GRAPHQL_URL: gatewayUrl },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}`))));
  });
}

/** A fresh browser profile (its own localStorage), whose uncaught errors fail the test. */
async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error));
  return page;
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto(`${siteUrl}#/signin`);
  await page.locator('[data-testid=email]').fill(email);
  await page.locator('[data-testid=password]').fill(password);
  await page.locator('[data-testid=signin-submit]').click();
  await page.waitForSelector('[data-testid=signed-in-as]', WAIT);
}

/** The course page's seat count and buy button as the buyer sees them. */
async function purchaseBox(page: Page) {
  return page.evaluate(`(() => {
    const seats = document.querySelector('.purchase [data-testid=seats]');
    const buy = document.querySelector('.purchase [data-testid=buy]');
    return { seats: seats && Number(seats.getAttribute('data-seats')), text: buy && buy.textContent, disabled: buy ? buy.disabled === true : null };
  })()`) as Promise<{ seats: number | null; text: string | null; disabled: boolean | null }>;
}

/** Waits until the course page shows `seats` seats left, without reloading it. */
function waitForSeats(page: Page, seats: number) {
  return page.waitForFunction(`document.querySelector('.purchase [data-testid=seats]')?.getAttribute('data-seats') === '${seats}'`, undefined, WAIT);
}

/** Polls `condition` in the test process every 50 ms; rejects after `timeoutMs`. */
async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const student = DEMO_USERS.student;
const instructorOfLastSeat = DEMO_USERS.secondInstructor;

test('a student finds the last seat and buys it; another student watching sees it sell out live, then come back after the cancel', async () => {
  // The watcher registers through the page, then opens the course.
  const watcher = await newPage();
  await watcher.goto(`${siteUrl}#/signin`);
  await watcher.locator('button.link').click();
  await watcher.locator('input[name=displayName]').fill('Wendy Watcher');
  await watcher.locator('[data-testid=email]').fill(`watcher-${Date.now()}@example.com`);
  await watcher.locator('[data-testid=password]').fill('watcher-password-1');
  await watcher.locator('[data-testid=signin-submit]').click();
  await watcher.waitForSelector('[data-testid=signed-in-as]', WAIT);
  await watcher.goto(`${siteUrl}#/course/${LAST_SEAT}`);
  await waitForSeats(watcher, 1);
  expect(await purchaseBox(watcher)).toEqual({ seats: 1, text: 'Buy for $99.00', disabled: false });

  const buyer = await newPage();
  await signIn(buyer, student.email, student.password);
  expect(await buyer.$eval('[data-testid=signed-in-as]', (element) => element.textContent)).toBe(student.displayName);
  await buyer.locator('[data-testid=search]').fill('saga');
  // The search runs (the URL carries it) and its one result replaces the catalog.
  await buyer.waitForFunction(
    `location.hash.includes('q=saga') && document.querySelector('[data-testid=total-count]')?.textContent === '1 course'`,
    undefined,
    WAIT,
  );
  const titles = await buyer.$$eval('[data-testid=course-card] h3', (elements) => elements.map((element) => element.textContent));
  expect(titles).toEqual(['Designing Sagas: The Last Seat']);
  const card = await buyer.waitForSelector(`[data-testid=course-card][data-course-id="${LAST_SEAT}"]`, WAIT);
  await buyer.screenshot({ path: join(ARTIFACTS, 'catalog.png') });

  await card!.click();
  await buyer.waitForSelector('[data-testid=course-title]', WAIT);
  await waitForSeats(buyer, 1);
  expect(await buyer.$eval('[data-testid=instructor] h2', (element) => element.textContent)).toBe(
    `Your instructor: ${instructorOfLastSeat.displayName}`,
  );
  await buyer.screenshot({ path: join(ARTIFACTS, 'course.png'), fullPage: true });
  await buyer.locator('[data-testid=buy]').click();
  // The page asks again after the order (Course.viewerOrder): the buy button gives way to the seat.
  const seat = await buyer.waitForSelector('[data-testid=has-seat]', WAIT);
  expect(await seat!.evaluate((element) => element.textContent)).toBe('You have a seat in this course. My orders');
  expect(await buyer.$('.purchase [data-testid=buy]')).toBeNull();

  // The watcher's page changes by itself: the subscription, not a reload.
  await waitForSeats(watcher, 0);
  expect(await purchaseBox(watcher)).toEqual({ seats: 0, text: 'Sold out', disabled: true });
  await watcher.screenshot({ path: join(ARTIFACTS, 'course-sold-out.png') });
  const sold = await expectSeatInvariant(stack, LAST_SEAT);
  expect(sold).toMatchObject({ sold: 1, held: 0, confirmedOrders: 1 });

  // My orders: the confirmed order, cancelled from the page; the watcher sees the seat come back.
  await buyer.goto(`${siteUrl}#/orders`);
  const row = await buyer.waitForSelector('[data-testid=order][data-status=CONFIRMED]', WAIT);
  expect(await row!.evaluate((element) => element.textContent)).toContain('Designing Sagas: The Last Seat');
  await buyer.locator('[data-testid=cancel]').click();
  await buyer.waitForSelector('[data-testid=order][data-status=CANCELLED]', WAIT);
  await waitForSeats(watcher, 1);
  expect(await purchaseBox(watcher)).toEqual({ seats: 1, text: 'Buy for $99.00', disabled: false });
  expect(await expectSeatInvariant(stack, LAST_SEAT)).toMatchObject({ sold: 0, held: 0, confirmedOrders: 0 });
  // Back on the course page, the buyer may buy it again.
  await buyer.goto(`${siteUrl}#/course/${LAST_SEAT}`);
  await buyer.waitForSelector('.purchase [data-testid=buy]:not([disabled])', WAIT);
  expect(await buyer.$('[data-testid=has-seat]')).toBeNull();
});

test('a changed price is shown with the new price and bought only when the buyer agrees', async () => {
  const course = demoCourseId(2);
  const buyer = await newPage();
  await signIn(buyer, DEMO_USERS.buyerMaya.email, DEMO_USERS.buyerMaya.password);
  await buyer.goto(`${siteUrl}#/course/${course}`);
  const before = await buyer.waitForSelector('[data-testid=buy]:not([disabled])', WAIT);
  const oldLabel = await before!.evaluate((element) => element.textContent);

  const changed = await stack.call(
    UpdateCoursePriceDocument,
    { input: { courseId: course, price: { amount: 4_500, currency: 'USD' } } },
    DEMO_USERS.instructor,
  );
  expect(changed.data?.updateCoursePrice.userErrors).toEqual([]);
  await buyer.locator('[data-testid=buy]').click();
  const notice = await buyer.waitForSelector('[data-testid=price-changed]', WAIT);
  expect(await notice!.evaluate((element) => element.textContent)).toMatch(/from \$\d+\.\d\d to \$45\.00/);
  expect(await buyer.$eval('[data-testid=buy]', (element) => element.textContent)).toBe('Buy for $45.00');
  const orders = await stack.orderDb.query('SELECT status, price_amount FROM orders WHERE course_id = $1 AND student_id = $2', [
    course,
    DEMO_USERS.buyerMaya.userId,
  ]);
  expect(orders.rows).toEqual([]);

  await buyer.locator('[data-testid=buy]').click();
  await buyer.waitForSelector('[data-testid=has-seat]', WAIT);
  const placed = await stack.orderDb.query('SELECT status, price_amount FROM orders WHERE course_id = $1 AND student_id = $2', [
    course,
    DEMO_USERS.buyerMaya.userId,
  ]);
  expect(placed.rows).toEqual([{ status: 'CONFIRMED', price_amount: 4_500 }]);
  expect(oldLabel).not.toBe('Buy for $45.00');
});

test('a seat sold while the page could not hear about it: SOLD_OUT is said plainly and the button turns disabled', async () => {
  const course = demoCourseId(4);
  const buyer = await newPage();
  // A websocket that never answers: the page keeps the count it loaded, as one whose connection hangs would.
  await buyer.routeWebSocket(/\/graphql$/, () => undefined);
  await signIn(buyer, DEMO_USERS.buyerJonas.email, DEMO_USERS.buyerJonas.password);
  await buyer.goto(`${siteUrl}#/course/${course}`);
  await waitForSeats(buyer, 1);

  const other = await stack.call(
    PlaceOrderDocument,
    { input: { courseId: course, expectedPrice: { amount: 9_900, currency: 'USD' }, idempotencyKey: `sold-elsewhere-${Date.now()}` } },
    DEMO_USERS.buyerChloe,
  );
  expect(other.data?.placeOrder.order?.status).toBe('CONFIRMED');
  await buyer.locator('[data-testid=buy]').click();
  const refusal = await buyer.waitForSelector('[data-testid=order-refused]', WAIT);
  expect(await refusal!.evaluate((element) => element.textContent)).toBe('Sold out: the last seat has just gone to someone else.');
  const orders = await stack.orderDb.query('SELECT id FROM orders WHERE course_id = $1 AND student_id = $2', [course, DEMO_USERS.buyerJonas.userId]);
  expect(orders.rows).toEqual([]);
  expect(await expectSeatInvariant(stack, course)).toMatchObject({ sold: 1, held: 0 });
});

test('an answer lost on the way is retried with the same idempotency key: one order, confirmed', async () => {
  const course = demoCourseId(3);
  const buyer = await newPage();
  await signIn(buyer, DEMO_USERS.buyerDiego.email, DEMO_USERS.buyerDiego.password);
  await buyer.goto(`${siteUrl}#/course/${course}`);
  await buyer.waitForSelector('[data-testid=buy]:not([disabled])', WAIT);
  // The first placeOrder reaches the gateway, but its answer never reaches the page.
  const keys: string[] = [];
  await buyer.route(stack.gatewayUrl, async (route) => {
    const body = route.request().postData() ?? '';
    if (!body.includes('mutation PlaceOrder')) return route.continue();
    keys.push(JSON.parse(body).variables.input.idempotencyKey);
    if (keys.length > 1) return route.continue();
    await route.fetch();
    await route.abort('connectionreset');
  });
  await buyer.locator('[data-testid=buy]').click();
  const lost = await buyer.waitForSelector('[data-testid=order-refused]', WAIT);
  expect(await lost!.evaluate((element) => element.textContent)).toBe('The order could not be sent. Try again: you will not be charged twice.');
  const ordersOf = () =>
    stack.orderDb.query('SELECT status FROM orders WHERE course_id = $1 AND student_id = $2', [course, DEMO_USERS.buyerDiego.userId]);
  expect((await ordersOf()).rows).toEqual([{ status: 'CONFIRMED' }]);

  expect(await buyer.$eval('[data-testid=buy]', (element) => element.textContent)).toBe('Try again');
  await buyer.locator('[data-testid=buy]').click();
  await buyer.waitForSelector('[data-testid=has-seat]', WAIT);
  expect(keys).toHaveLength(2);
  expect(keys[1]).toBe(keys[0]);
  expect((await ordersOf()).rows).toEqual([{ status: 'CONFIRMED' }]);
  expect(await expectSeatInvariant(stack, course)).toMatchObject({ sold: 1, confirmedOrders: 1 });
});

test('the access token is refreshed before it expires and the websocket reconnects with it: live seats keep coming', async () => {
  const course = demoCourseId(1);
  const page = await newPage();
  // Every websocket the page opens: when, and the token its connection_init carried.
  const sockets: { openedAt: number; authorization?: string }[] = [];
  page.on('websocket', (socket) => {
    const opened: (typeof sockets)[number] = { openedAt: Date.now() };
    sockets.push(opened);
    socket.on('framesent', ({ payload }) => {
      const message = JSON.parse(String(payload)) as { type: string; payload?: { authorization?: string } };
      if (message.type === 'connection_init') opened.authorization = message.payload?.authorization;
    });
  });
  await signIn(page, DEMO_USERS.buyerTom.email, DEMO_USERS.buyerTom.password);
  const session = () =>
    page.evaluate(`JSON.parse(localStorage.getItem('coursegraph.session'))`) as Promise<{
      accessToken: string;
      accessTokenExpiresAt: number;
      refreshToken: string;
    }>;
  const first = await session();
  await page.goto(`${siteUrl}#/course/${course}`);
  await page.waitForSelector('.purchase [data-testid=seats]', WAIT);
  const loaded = await page.$eval('.purchase [data-testid=seats]', (element) => Number(element.getAttribute('data-seats')));
  await waitUntil(() => sockets.some((socket) => socket.authorization === `Bearer ${first.accessToken}`), 5_000);
  const socketsBefore = sockets.length;

  await page.waitForFunction(
    `JSON.parse(localStorage.getItem('coursegraph.session') || 'null')?.accessToken !== ${JSON.stringify(first.accessToken)}`,
    undefined,
    { timeout: ACCESS_TOKEN_TTL_SECONDS * 1_000 },
  );
  const second = await session();
  expect(second.refreshToken).not.toBe(first.refreshToken);
  // A new connection with the new token at once, not when the gateway closes the old one at the old token's expiry (4419).
  await waitUntil(() => sockets.slice(socketsBefore).some((socket) => socket.authorization === `Bearer ${second.accessToken}`), 2_000);
  expect(sockets.at(-1)!.openedAt).toBeLessThan(first.accessTokenExpiresAt);

  // Still live on the new connection: a seat sold elsewhere shows up.
  const sale = await stack.call(
    PlaceOrderDocument,
    { input: { courseId: course, expectedPrice: { amount: 4_900, currency: 'USD' }, idempotencyKey: `after-refresh-${Date.now()}` } },
    DEMO_USERS.buyerAisha,
  );
  expect(sale.data?.placeOrder.order?.status).toBe('CONFIRMED');
  await waitForSeats(page, loaded - 1);
  expect(await page.$eval('[data-testid=signed-in-as]', (element) => element.textContent)).toBe(DEMO_USERS.buyerTom.displayName);
});

test('two tabs due to refresh at the same moment refresh once, and the session lives on', async () => {
  const page = await newPage();
  const context = page.context();
  // The pages' clock, so that both tabs' refresh timers can be made to fire together.
  await context.clock.install();
  const refreshes: string[] = [];
  context.on('request', (request) => {
    const body = request.postData() ?? '';
    if (body.includes('mutation RefreshToken')) refreshes.push(JSON.parse(body).variables.input.refreshToken);
  });
  await signIn(page, DEMO_USERS.buyerOlivia.email, DEMO_USERS.buyerOlivia.password);
  const tab = await context.newPage();
  tab.on('pageerror', (error) => pageErrors.push(error));
  await tab.goto(siteUrl);
  await tab.waitForSelector('[data-testid=signed-in-as]', WAIT);
  const sessionIn = (target: Page) =>
    target.evaluate(`JSON.parse(localStorage.getItem('coursegraph.session'))`) as Promise<{
      accessToken: string;
      accessTokenExpiresAt: number;
      refreshToken: string;
    } | null>;
  const first = (await sessionIn(page))!;

  // Just before either tab's refresh is due, then past both: the two timers fire in the same moment.
  await context.clock.pauseAt(first.accessTokenExpiresAt - 5_000);
  await context.clock.fastForward(2_000);
  await waitUntil(() => refreshes.length > 0, 5_000);
  await page.waitForFunction(
    `JSON.parse(localStorage.getItem('coursegraph.session') || 'null')?.refreshToken !== ${JSON.stringify(first.refreshToken)}`,
    undefined,
    WAIT,
  );
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  // One tab refreshed; the other waited for it and took its tokens rather than reuse the old one.
  expect(refreshes).toEqual([first.refreshToken]);
  const [inPage, inTab] = [(await sessionIn(page))!, (await sessionIn(tab))!];
  expect(inTab.refreshToken).toBe(inPage.refreshToken);
  for (const target of [page, tab]) {
    expect(await target.$eval('[data-testid=signed-in-as]', (element) => element.textContent)).toBe(DEMO_USERS.buyerOlivia.displayName);
  }
  // The session lives on: its newest refresh token still works (a reused one would have ended it).
  const refreshed = await stack.call(RefreshTokenDocument, { input: { refreshToken: inPage.refreshToken } }, null);
  expect(refreshed.data?.refreshToken.userErrors).toEqual([]);
});

test('a computer clock an hour fast or a minute slow: the token is refreshed once, on time, not in a storm or too late', async () => {
  const refreshesIn = async (clockOffsetMs: number, user: (typeof DEMO_USERS)['buyerTom']) => {
    const page = await newPage();
    await page.context().clock.install({ time: Date.now() + clockOffsetMs });
    // When the tokens arrived, and when each refresh was sent, by the test's (true) clock.
    const refreshes: number[] = [];
    let signedInAt = 0;
    page.context().on('request', (request) => {
      if (request.postData()?.includes('mutation RefreshToken')) refreshes.push(Date.now());
    });
    page.context().on('response', (response) => {
      if (response.request().postData()?.includes('mutation Login')) signedInAt = Date.now();
    });
    await signIn(page, user.email, user.password);
    return { page, refreshes, signedInAt: () => signedInAt };
  };
  const [fast, slow] = await Promise.all([refreshesIn(3_600_000, DEMO_USERS.buyerYuki), refreshesIn(-60_000, DEMO_USERS.buyerDiego)]);
  // Refreshed a quarter of the lifetime early (after 12 s of 16), whatever the clock says.
  await waitUntil(() => fast.refreshes.length > 0 && slow.refreshes.length > 0, ACCESS_TOKEN_TTL_SECONDS * 1_000);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  for (const { page, refreshes, signedInAt } of [fast, slow]) {
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]! - signedInAt()).toBeGreaterThan(ACCESS_TOKEN_TTL_SECONDS * 500);
    expect(refreshes[0]! - signedInAt()).toBeLessThan(ACCESS_TOKEN_TTL_SECONDS * 1_000);
    await page.waitForSelector('[data-testid=signed-in-as]', WAIT);
  }
});

test('browsing the catalog: facets filter with their counts, sorts, pages, and Back returns to the page a course was opened from', async () => {
  const page = await newPage();
  await page.goto(siteUrl);
  await page.waitForSelector('[data-testid=course-card]', WAIT);
  const cardTitles = () => page.$$eval('[data-testid=course-card] h3', (elements) => elements.map((element) => element.textContent));
  const cardIds = () => page.$$eval('[data-testid=course-card]', (elements) => elements.map((element) => element.getAttribute('data-course-id')));
  const totalIs = (text: string) =>
    page.waitForFunction(`document.querySelector('[data-testid=total-count]')?.textContent === ${JSON.stringify(text)}`, undefined, WAIT);

  // A facet's count is how many courses its filter then lists.
  const databases = page.locator('[data-testid=facets] li', { hasText: 'Databases' });
  const count = Number(await databases.locator('[data-testid=facet-count]').textContent());
  expect(count).toBeGreaterThan(1);
  await databases.locator('input').check();
  await totalIs(`${count} courses`);
  expect(page.url()).toContain('category=databases');
  expect(await cardIds()).toHaveLength(count);

  // Sorted by price, lowest first.
  await page.locator('[data-testid=sort]').selectOption('PRICE_ASC');
  await page.waitForFunction(`location.hash.includes('sort=PRICE_ASC')`, undefined, WAIT);
  await page.waitForFunction(
    `document.querySelector('[data-testid=course-card] .price') && [...document.querySelectorAll('[data-testid=course-card] .price')].length === ${count}`,
    undefined,
    WAIT,
  );
  // Give the re-sorted list time to replace the old one, then read the amounts in the order shown.
  await page.waitForFunction(
    `(() => { const amounts = [...document.querySelectorAll('[data-testid=course-card] .price')].map((e) => Number(e.textContent.replace(/[^0-9.]/g, '')));
      return amounts.every((amount, i) => i === 0 || amounts[i - 1] <= amount); })()`,
    undefined,
    WAIT,
  );
  const amounts = await page.$$eval('[data-testid=course-card] .price', (elements) =>
    elements.map((element) => Number(element.textContent!.replace(/[^0-9.]/g, ''))),
  );
  expect(amounts).toEqual([...amounts].sort((a, b) => a - b));
  expect(new Set(amounts).size).toBeGreaterThan(1);
  await databases.locator('input').uncheck();
  await totalIs('46 courses');

  // Pages: the second differs from the first; Back from a course opened there returns to it.
  await page.waitForSelector('[data-testid=course-card]', WAIT);
  const first = await cardIds();
  await page.locator('[data-testid=next-page]').click();
  await page.waitForFunction(
    `document.querySelector('[data-testid=course-card]')?.getAttribute('data-course-id') !== ${JSON.stringify(first[0])}`,
    undefined,
    WAIT,
  );
  const second = await cardIds();
  expect(second.filter((id) => first.includes(id))).toEqual([]);
  const titles = await cardTitles();
  await page.locator('[data-testid=course-card]').first().click();
  await page.waitForSelector('[data-testid=course-title]', WAIT);
  await page.goBack();
  await page.waitForSelector('[data-testid=course-card]', WAIT);
  expect(await cardTitles()).toEqual(titles);
  expect(await page.textContent('.pager')).toContain('Page 2');
});

test('typing a search replaces the history entry; a malformed course link shows a note, not a blank page; signed in, the sign-in page moves on', async () => {
  const page = await newPage();
  await page.goto(siteUrl);
  await page.waitForSelector('[data-testid=course-card]', WAIT);
  for (const word of ['k', 'ku', 'kube']) {
    await page.locator('[data-testid=search]').fill(word);
    await page.waitForFunction(`location.hash.endsWith('q=${word}')`, undefined, WAIT);
  }
  await page.goBack();
  await page.waitForFunction(`location.hash === '' || location.hash === '#/'`, undefined, WAIT);

  await page.goto(`${siteUrl}#/course/%E0%A4%A`);
  const note = await page.waitForSelector('[data-testid=error], [data-testid=not-found], [data-testid=page-failed]', WAIT);
  expect(await note!.textContent()).toBeTruthy();
  expect(await page.$('header .brand')).not.toBeNull();
  await page.goto(`${siteUrl}#/`);
  await page.waitForSelector('[data-testid=course-card]', WAIT);

  await signIn(page, DEMO_USERS.buyerAisha.email, DEMO_USERS.buyerAisha.password);
  await page.goto(`${siteUrl}#/signin?next=${encodeURIComponent('#/orders')}`);
  await page.waitForFunction(`location.hash === '#/orders'`, undefined, WAIT);
});
