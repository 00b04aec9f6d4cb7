// Old webviews: Office 2016/2019 volume editions show the add-in in Internet Explorer 11 (no
// modules, ES5) or the old Edge (EdgeHTML 18: modules, but nothing past ES2017). The pane must
// say so there, never stay blank: classic.js (ES5) is loaded before every module, the modules
// keep to ES2017, and classic.js shows its message where the modern syntax does not parse.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";
import vm from "node:vm";

const here = new URL("../../src/credit_register/addin/taskpane/", import.meta.url);
const read = (name) => readFileSync(new URL(name, here), "utf8");
const files = readdirSync(here);

let acorn = null;
try {
  acorn = createRequire(new URL("../../addin/package.json", import.meta.url))("acorn");
} catch (error) {
  if (process.env.CI === "true") throw new Error("acorn is required in CI (npm ci in addin/)");
}
const withAcorn = acorn ? test : test.skip;

/** The <script> tags of a page, in order: {src, module}. */
function scripts(html) {
  return [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => ({
    src: (/\bsrc="([^"]+)"/.exec(m[1]) || [])[1] || null,
    module: /\btype="module"/.test(m[1]),
    nomodule: /\bnomodule\b/.test(m[1]),
  }));
}

test("every page that loads a module loads classic.js first, as a classic script", () => {
  const pages = files.filter((f) => f.endsWith(".html"));
  assert.ok(pages.includes("taskpane.html") && pages.includes("commands.html"));
  for (const page of pages) {
    const tags = scripts(read(page));
    assert.ok(tags.every((t) => t.src), `${page}: no inline scripts`);
    const firstModule = tags.findIndex((t) => t.module);
    if (firstModule < 0) continue;
    const classic = tags.findIndex((t) => t.src === "classic.js" && !t.module && !t.nomodule);
    assert.ok(classic >= 0 && classic < firstModule, `${page}: classic.js must come before ${tags[firstModule].src}`);
    const actions = tags.findIndex((t) => t.src === "actions.js" && !t.module);
    assert.ok(actions >= 0 && actions < classic, `${page}: the action list before classic.js`);
  }
});

withAcorn("the classic scripts parse as ES5, the language of Internet Explorer 11", () => {
  const classic = files.filter((f) => f.endsWith(".js") && !/^(core|taskpane|commands)\.js$/.test(f));
  assert.deepEqual(classic.sort(), ["classic.js", "notice.js"]);
  for (const name of classic) {
    assert.doesNotThrow(() => acorn.parse(read(name), { ecmaVersion: 5, sourceType: "script" }), name);
  }
});

withAcorn("the modules parse as ES2017: no catch {}, no object spread (the old Edge)", () => {
  // the check can fail: both of these are past ES2017
  assert.throws(() => acorn.parse("try { f(); } catch { g(); }", { ecmaVersion: 2017 }));
  assert.throws(() => acorn.parse("const a = { ...b };", { ecmaVersion: 2017 }));
  for (const name of ["core.js", "taskpane.js", "commands.js"]) {
    assert.doesNotThrow(() => acorn.parse(read(name), { ecmaVersion: 2017, sourceType: "module" }), name);
  }
});

withAcorn("classic.js's test syntax is what an ES5 engine cannot parse", () => {
  const source = /var MODERN_SYNTAX =([\s\S]*?);\n/.exec(read("classic.js"))[1];
  const syntax = vm.runInNewContext(source);
  assert.throws(() => acorn.parse(syntax, { ecmaVersion: 5, allowReturnOutsideFunction: true }));
  assert.doesNotThrow(() => acorn.parse(syntax, { ecmaVersion: 2017, allowReturnOutsideFunction: true }));
});

/** A page in a webview: an old one (`old`) refuses modern syntax in new Function; a few DOM calls. */
function webview(page, { old = true, office } = {}) {
  const made = [];
  const node = (tag) => {
    const el = {
      tag, children: [], attributes: {}, text: "",
      appendChild(child) { el.children.push(child); return child; },
      removeChild(child) { el.children.splice(el.children.indexOf(child), 1); },
      setAttribute(key, value) { el.attributes[key] = value; },
      get firstChild() { return el.children[0] || null; },
    };
    made.push(el);
    return el;
  };
  const body = node("body");
  body.appendChild(node("p"));
  const listeners = {};
  const win = {
    document: {
      body,
      documentElement: { getAttribute: (key) => (key === "data-page" ? page : null) },
      createElement: node,
      createTextNode: (text) => ({ text }),
      addEventListener() {},
    },
    location: { protocol: "https:", host: "localhost:3000" },
    addEventListener(type, fn) { listeners[type] = fn; },
    fetch() {},
    Promise,
    localStorage: {},
    Office: office,
    CREDIT_REGISTER_ACTIONS: [{ key: "run" }, { key: "approve" }],
  };
  if (old) win.Function = function () { throw new SyntaxError("Expected ';'"); };
  win.window = win;
  vm.runInNewContext(read("classic.js"), win);
  return { win, body, listeners };
}

const textOf = (el) => (el.text || "") + (el.children || []).map(textOf).join("");

test("in an old webview the pane says what to use instead, in both languages", () => {
  const { body, listeners } = webview("pane");
  assert.equal(body.attributes["data-legacy"], "true");
  const text = textOf(body);
  assert.match(text, /Internet Explorer 11/);
  assert.match(text, /Microsoft 365/);
  assert.match(text, /此版本的 Office 无法运行/);
  assert.equal(listeners.load, undefined, "no need to wait: the message is already shown");
});

test("in an old webview each ribbon button answers with the same message in a dialog", async () => {
  const dialogs = [];
  const office = {
    context: {
      ui: {
        displayDialogAsync(url, options, callback) {
          const handlers = {};
          const dialog = { url, handlers, addEventHandler(type, fn) { handlers[type] = fn; }, close() {} };
          dialogs.push(dialog);
          callback({ status: "succeeded", value: dialog });
        },
      },
    },
    EventType: { DialogMessageReceived: "message", DialogEventReceived: "event" },
    AsyncResultStatus: { Succeeded: "succeeded" },
  };
  const { win } = webview("commands", { office });
  let completed = false;
  win.approve({ completed() { completed = true; } });
  assert.equal(dialogs.length, 1);
  const notice = JSON.parse(decodeURIComponent(dialogs[0].url.split("#")[1]));
  assert.match(notice.text, /Internet Explorer 11/);
  dialogs[0].handlers.message({ message: "close" });
  assert.equal(completed, true);
});

test("a pane whose module did not start says so once the page has loaded", () => {
  const failed = webview("pane", { old: false });
  assert.equal(failed.body.attributes["data-legacy"], undefined, "a modern webview: nothing said yet");
  failed.listeners.load();
  assert.match(textOf(failed.body), /未能启动/);
  assert.match(textOf(failed.body), /did not start/);

  const started = webview("pane", { old: false });
  started.win.CREDIT_REGISTER_STARTED = true; // what taskpane.js sets when it runs
  started.listeners.load();
  assert.equal(started.body.attributes["data-legacy"], undefined);
});
