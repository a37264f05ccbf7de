// Debian's Chromium for the browser tests, driven by playwright-core (never a browser a tool downloads).
import { existsSync } from "node:fs";
import type { LaunchOptions } from "playwright-core";
import { describe, it } from "vitest";

export const chromiumPath = "/usr/bin/chromium";
export const hasChromium = existsSync(chromiumPath);

/** Headless, as root in a container (no sandbox), and quiet: no GPU, no first-run or update traffic. */
export const chromiumLaunchOptions = {
  executablePath: chromiumPath,
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
  ],
} satisfies LaunchOptions;

/**
 * Call at a browser test file's top level, beside `describe.skipIf(!hasChromium)(suite, …)`. Without Chromium the
 * suite is skipped with a visible notice, except under CI=true: CI installs Chromium (.ci/run), and a silent skip
 * there would hide a broken install step, so the suite fails instead.
 */
export function requireChromium(suite: string): void {
  if (hasChromium) return;
  if (process.env.CI === "true") {
    describe(suite, () => {
      it(`needs ${chromiumPath} under CI=true`, () => {
        throw new Error(`${chromiumPath} is missing: install it with apt-get install chromium`);
      });
    });
  } else {
    console.warn(`SKIPPED: ${suite}, ${chromiumPath} is missing (apt-get install chromium)`);
  }
}
