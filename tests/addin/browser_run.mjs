// The browser test's driver (started by tests/test_server.py, not by `node --test`):
// headless Chromium loads the task pane from the running server, with the Excel stand-in
// injected where office.js would load, presses a button, and prints what the stand-in workbook
// received as JSON on stdout.
//   node tests/addin/browser_run.mjs <base url> <token> <register.json> <action> [screenshot.png]
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
// playwright-core is addin/'s dev dependency (npm ci in addin/); it never downloads a browser
const require = createRequire(join(here, "../../addin/package.json"));
const { chromium } = require("playwright-core");

const [baseUrl, token, registerPath, action, screenshot] = process.argv.slice(2);
const register = JSON.parse(readFileSync(registerPath, "utf8"));
const standIn = readFileSync(join(here, "office_standin.js"), "utf8");
const boot = `${standIn}
;(function () {
  const book = new OfficeStandIn.StandInWorkbook(${JSON.stringify(register.sheets)},
    { selection: ${JSON.stringify(register.selection || null)} });
  OfficeStandIn.install(window, book, { displayLanguage: "zh-CN", url: "credit_register.xlsm" });
  window.__workbook = book;
})();`;

const userDataDir = mkdtempSync(join(tmpdir(), "credit-register-chromium-"));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
  ],
  viewport: { width: 340, height: 760 },
});
try {
  await context.addInitScript(
    ({ key, value }) => window.localStorage.setItem(key, value),
    { key: "creditRegister.token", value: token },
  );
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("https://appsforoffice.microsoft.com/")) {
      return route.fulfill({ contentType: "text/javascript", body: boot });
    }
    if (url.startsWith(baseUrl)) return route.continue();
    return route.abort(); // nothing leaves the machine
  });
  const page = context.pages()[0] || (await context.newPage());
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(`${baseUrl}/taskpane/taskpane.html`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 10000 });
  await page.click(`#action-${action}`);
  await page.waitForFunction(() => document.getElementById("status").textContent !== "", null,
    { timeout: 20000 });
  await page.waitForSelector(`#action-${action}:not([disabled])`, { timeout: 20000 });
  const status = await page.textContent("#status");
  const user = await page.textContent("#user");
  const issueLinks = await page.$$eval("#issues a", (links) => links.map((a) => a.textContent));
  if (issueLinks.length) await page.click("#issues a >> nth=0");
  await page.waitForTimeout(100);
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: false });
  const dump = await page.evaluate(() => window.__workbook.dump());
  // the dialog a ribbon button opens: text as text, only this server's document links
  const notice = { text: "第一行\n<b>不是标记</b>", links: [
    { name: "资信报告_C001.docx", url: "/api/v1/documents/abc_123" },
    { name: "elsewhere", url: "javascript:alert(1)" }] };
  await page.goto(`${baseUrl}/taskpane/notice.html#${encodeURIComponent(JSON.stringify(notice))}`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 10000 });
  const dialog = {
    lines: await page.$$eval("#notice p", (ps) => ps.map((p) => p.textContent)),
    bold: await page.$$eval("#notice b", (bs) => bs.length),
    links: await page.$$eval("#links a", (as) => as.map((a) => [a.textContent, a.getAttribute("href")])),
  };
  process.stdout.write(JSON.stringify({ status, user, issueLinks, errors, dialog, ...dump }));
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
