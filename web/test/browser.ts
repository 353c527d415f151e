import assert from "node:assert/strict";
import { mkdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { launchChromium } from "@kino/testkit";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { webDir } from "../scripts/web-build.ts";

export { launchChromium };

const axeSource = readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
/** Screenshots of every page at both widths; under .kino/, which git ignores. */
export const screenshotDir = join(dirname(webDir), ".kino", "test", "web-screenshots");
export const widths = [375, 1280] as const;

export interface Tab {
  context: BrowserContext;
  page: Page;
  /** Script errors and CSP refusals seen so far: the app must cause none. */
  problems: string[];
}

export async function openTab(browser: Browser, baseUrl: string): Promise<Tab> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  // A step that cannot happen fails in seconds, not at the file's timeout.
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy|Refused to/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
  });
  return { context, page, problems };
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * axe-core on the page as it stands. Injected through the debugging
 * protocol (page.evaluate), which the page's CSP does not govern, so the app
 * keeps its real policy in the test.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(await axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } })).violations;
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")})`);
}

/** At 375 and 1280 px: no serious or critical axe violation, and a full-page screenshot. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  const original = page.viewportSize() ?? { width: 1280, height: 900 };
  try {
    for (const width of widths) {
      await page.setViewportSize({ width, height: 900 });
      assert.deepEqual(await seriousViolations(page), [], `axe on ${name} at ${width} px`);
      const overflow = await page.evaluate(() => {
        const excess = document.documentElement.scrollWidth - document.documentElement.clientWidth;
        const widest = [...document.querySelectorAll("body *")].reduce<Element | undefined>((most, e) => (e.getBoundingClientRect().right > (most?.getBoundingClientRect().right ?? document.documentElement.clientWidth + 1) ? e : most), undefined);
        return { excess, widest: widest ? `${widest.outerHTML.slice(0, 160)} width ${Math.round(widest.getBoundingClientRect().width)}` : "" };
      });
      assert.ok(overflow.excess <= 0, `${name} at ${width} px scrolls sideways by ${overflow.excess} px (first too wide: ${overflow.widest})`);
      await page.screenshot({ path: join(screenshotDir, `${name}-${width}.png`), fullPage: true });
    }
  } finally {
    await page.setViewportSize(original);
  }
}
