// GraphiQL in a real browser: Debian's Chromium, driven by playwright-core, against a server on a loopback port.
// Every request to another host is refused, so the test also proves the page works offline.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { chromium, type BrowserContext, type Page, type Request as PlaywrightRequest } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumLaunchOptions, hasChromium, requireChromium } from "./support/chromium.ts";
import { startHttpServer, TEST_API_KEY, type HttpTestServer } from "./support/server.ts";

const artifacts = join(import.meta.dirname, "artifacts");
const screenshot = join(artifacts, "graphiql.png");
// The README's picture, rewritten only on request so an ordinary test run leaves the work tree clean.
const readmeScreenshot = join(import.meta.dirname, "..", "docs", "graphiql.png");

requireChromium("GraphiQL in a browser");

describe.skipIf(!hasChromium)("GraphiQL in a browser", () => {
  let server: HttpTestServer;
  let userDataDir: string;
  let context: BrowserContext;
  let page: Page;
  const foreignRequests: string[] = [];
  /** Every answer with an HTTP error status, e.g. CSRF prevention's 403: GraphiQL's own requests must get none. */
  const failedResponses: string[] = [];

  beforeAll(async () => {
    server = await startHttpServer();
    // A fresh profile: GraphiQL keeps its tabs in localStorage, and only a first visit shows the default document.
    userDataDir = mkdtempSync(join(tmpdir(), "things-chromium-"));
    context = await chromium.launchPersistentContext(userDataDir, {
      ...chromiumLaunchOptions,
      viewport: { width: 1280, height: 800 },
    });
    await context.route(
      (url) => url.hostname !== "127.0.0.1",
      (route) => {
        foreignRequests.push(route.request().url());
        return route.abort();
      },
    );
    context.on("response", (response) => {
      if (response.status() >= 400) failedResponses.push(`${response.status()} ${response.url()}`);
    });
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(server.url);
    await page.locator(".graphiql-execute-button").waitFor();
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  /** The result pane's text (a Monaco editor: its rendered lines, with Monaco's non-breaking spaces undone). */
  const resultText = (on: Page) =>
    on
      .locator(".graphiql-response .view-lines")
      .evaluate((lines) => (lines as HTMLElement).innerText.replace(/\u00a0/g, " "));

  /** The operation a request to the endpoint runs: GraphiQL POSTs queries and mutations, GETs subscriptions. */
  function operationNameOf(request: PlaywrightRequest): string | undefined {
    const url = new URL(request.url());
    if (`${url.origin}${url.pathname}` !== server.url) return undefined;
    if (request.method() === "GET") return url.searchParams.get("operationName") ?? undefined;
    return (request.postDataJSON() as { operationName?: string } | null)?.operationName;
  }

  /**
   * Presses ▶ on `on` (and picks the operation from its menu when the document has several) and waits for the
   * server's answer (for a subscription: the event stream's headers). Returns its HTTP status and a wait for the
   * result pane's next complete JSON document: the answer of a query or mutation, the next event of a subscription.
   */
  async function startOperation(name: string, on: Page, { fromMenu = true } = {}) {
    const before = await resultText(on);
    const answered = on.waitForResponse((response) => operationNameOf(response.request()) === name);
    await on.locator(".graphiql-execute-button").click();
    if (fromMenu) await on.getByRole("menuitem", { name, exact: true }).click();
    const status = (await answered).status();
    // The pane is redrawn after the response arrives, possibly in steps: wait for a new, complete JSON document.
    const nextResult = async (): Promise<unknown> => {
      let parsed: unknown;
      await expect
        .poll(
          async () => {
            const text = await resultText(on);
            if (text === before) return false;
            try {
              parsed = JSON.parse(text);
              return true;
            } catch {
              return false;
            }
          },
          { timeout: 10_000 },
        )
        .toBe(true);
      return parsed;
    };
    return { status, nextResult };
  }

  /**
   * Types `variables` into the Variables editor, as the welcome document asks a user to (insertText, not key presses:
   * Monaco would close every bracket and quote typed), and waits until the editor shows them.
   */
  async function setVariables(variables: Record<string, unknown>): Promise<void> {
    await page.locator(".graphiql-editor-tools").getByRole("button", { name: "Variables", exact: true }).click();
    const editor = page
      .locator('section.graphiql-editor-tool[aria-label="Variables"] .monaco-editor')
      .filter({ visible: true });
    await editor.click();
    await page.keyboard.press("ControlOrMeta+A");
    const text = JSON.stringify(variables);
    await page.keyboard.insertText(text);
    // Monaco may still have closed a bracket or quote after the cursor: drop whatever follows it.
    await page.keyboard.press("Shift+ControlOrMeta+End");
    await page.keyboard.press("Delete");
    await expect
      .poll(() =>
        editor.locator(".view-lines").evaluate((lines) => (lines as HTMLElement).innerText.replace(/\s/g, "")),
      )
      .toBe(text);
  }

  /** Runs a query or mutation from the run menu and returns the result pane's JSON once it shows the answer. */
  async function runOperation(name: string): Promise<unknown> {
    const { nextResult } = await startOperation(name, page);
    return nextResult();
  }

  it("opens with the project's title and the example operations in its run menu, all assets local", async () => {
    expect(await page.title()).toBe("Things batch-delete API");
    await page.locator(".graphiql-execute-button").click();
    await expect
      .poll(() => page.getByRole("menuitem").allTextContents())
      .toEqual([
        "ListThings",
        "CreateThings",
        "DeleteThingsDryRun",
        "DeleteThingsUndoable",
        "Trash",
        "UndoDelete",
        "DeleteThings",
        "DeleteThingsWhere",
        "RestoreThings",
        "EmptyTrash",
        "DeleteAllThings",
        "ThingsChanged",
        "ThingsDeleted",
      ]);
    await page.keyboard.press("Escape");
    expect(foreignRequests).toEqual([]);
  });

  it("creates Things with CreateThings from the run menu", async () => {
    const result = await runOperation("CreateThings");
    expect(result).toMatchObject({ data: { createThings: { count: 4 } } });
    expect((await server.things()).map((thing) => thing.id)).toEqual([1, 2, 3, 4]);
  });

  it("walks the welcome document with the ids each step returned: dry run, undoable delete, trash, undo, delete", async () => {
    await setVariables({ ids: ["1", "2", "999"] });
    expect(await runOperation("DeleteThingsDryRun")).toEqual({
      data: { deleteThings: { deletedCount: 0, deletedIds: ["1", "2"], notFoundIds: ["999"], dryRun: true } },
    });
    expect(await server.things()).toHaveLength(4);

    const trashed = (await runOperation("DeleteThingsUndoable")) as {
      data: { deleteThings: { deletion: { id: string } } };
    };
    expect(trashed.data.deleteThings).toMatchObject({
      deletedCount: 2,
      deletedIds: ["1", "2"],
      deletion: { count: 2 },
    });
    expect((await server.trashed()).map((row) => row.id)).toEqual([1, 2]);
    expect(await runOperation("Trash")).toMatchObject({ data: { trash: { totalCount: 2 } } });

    await setVariables({ ids: ["1", "2", "999"], deletionId: trashed.data.deleteThings.deletion.id });
    expect(await runOperation("UndoDelete")).toEqual({
      data: { undoDelete: { restoredCount: 2, restoredIds: ["1", "2"], notRestoredIds: [], query: { thingCount: 4 } } },
    });
    expect(await runOperation("DeleteThings")).toEqual({
      data: {
        deleteThings: { deletedCount: 2, deletedIds: ["1", "2"], notFoundIds: ["999"], query: { thingCount: 2 } },
      },
    });
    expect((await server.things()).map((thing) => thing.id)).toEqual([3, 4]);

    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: screenshot });
    if (process.env.UPDATE_SCREENSHOT === "1") {
      mkdirSync(dirname(readmeScreenshot), { recursive: true });
      copyFileSync(screenshot, readmeScreenshot);
    }
    expect(foreignRequests).toEqual([]);
  });

  it("runs ThingsChanged in a second browser tab, which shows the event of a delete run in the first", async () => {
    // What the welcome document tells a user: open /graphql?watch in another browser tab (which shares this one's
    // stored GraphiQL tabs), press ▶ there, and delete here.
    const watcher = await context.newPage();
    try {
      await watcher.goto(`${server.url}?watch`);
      await watcher.locator(".graphiql-execute-button").waitFor();
      const subscription = await startOperation("ThingsChanged", watcher, { fromMenu: false });
      // An SSE GET: refused with CSRF_HEADER_REQUIRED unless GraphiQL sends the CSRF header.
      expect(subscription.status).toBe(200);

      expect(await runOperation("DeleteThingsWhere")).toEqual({
        data: { deleteThingsWhere: { deletedCount: 1, deletedIds: ["3"], deletion: { id: expect.any(String) } } },
      });
      expect(await subscription.nextResult()).toEqual({
        data: { thingsChanged: { kind: "TRASHED", ids: ["3"], count: 1, allThings: false, at: expect.any(String) } },
      });
      expect(failedResponses).toEqual([]);
      expect(foreignRequests).toEqual([]);
    } finally {
      await watcher.close();
    }
  });
});

describe.skipIf(!hasChromium)("GraphiQL from a page of another origin", () => {
  let page: Page;
  let closeBrowser: () => Promise<void>;
  let foreign: Server;
  let foreignOrigin: string;

  beforeAll(async () => {
    // Another loopback port is another origin (and the same site): a web page the developer happens to open.
    foreign = createServer((_request, response) => {
      response.setHeader("content-type", "text/html");
      response.end("<!doctype html><title>elsewhere</title>");
    });
    await new Promise<void>((resolve) => foreign.listen(0, "127.0.0.1", resolve));
    foreignOrigin = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
    const browser = await chromium.launch(chromiumLaunchOptions);
    closeBrowser = () => browser.close();
    page = await browser.newPage();
    await page.goto(foreignOrigin);
  });

  afterAll(async () => {
    await closeBrowser?.();
    await new Promise<void>((resolve) => (foreign ? foreign.close(() => resolve()) : resolve()));
  });

  /**
   * What the foreign page's script learns when it fetches GraphiQL: the status and whether the text it could read
   * holds the page or the key (not the 9 MB text itself, which a failure message would print), or the fetch error.
   */
  const fetchFromPage = (url: string, credentials: RequestCredentials) =>
    page.evaluate(
      async ({ url, credentials, key }) => {
        try {
          const response = await fetch(url, { headers: { accept: "text/html" }, credentials });
          const text = await response.text();
          return {
            status: response.status,
            readKey: text.includes(key),
            readPage: text.includes("<title>Things batch-delete API</title>"),
            refusedAs: text.includes("CROSS_ORIGIN") ? "CROSS_ORIGIN" : undefined,
          };
        } catch (error) {
          return { error: String(error) };
        }
      },
      { url, credentials, key: TEST_API_KEY },
    );

  it.each([
    ["by default", false],
    ["even when CORS_ORIGINS lists the page's origin", true],
  ])("cannot read the page nor the development key %s", async (_name, listed) => {
    const server = await startHttpServer({ env: listed ? { CORS_ORIGINS: foreignOrigin } : {} });
    try {
      // Without CORS headers the browser withholds every answer; a listed origin may read only the refusal.
      const blocked = { error: expect.stringContaining("Failed to fetch") };
      expect(await fetchFromPage(server.url, "include")).toEqual(blocked);
      expect(await fetchFromPage(server.url, "omit")).toEqual(
        listed ? { status: 403, readKey: false, readPage: false, refusedAs: "CROSS_ORIGIN" } : blocked,
      );
    } finally {
      await server.close();
    }
  });
});
