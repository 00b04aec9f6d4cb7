// 客户资信管理 Credit Register: the task pane page. The work is in core.js; this file is the page.
// The buttons come from actions.js (a classic script the server writes from the Dashboard's list).
import {
  LANG_KEY,
  STRINGS,
  TOKEN_KEY,
  failureMessage,
  runAction,
  selectCell,
  userLanguage,
  whoAmI,
} from "./core.js";

// classic.js watches for this: a pane whose module never ran gets a message, not a blank page
window.CREDIT_REGISTER_STARTED = true;

const ACTIONS = window.CREDIT_REGISTER_ACTIONS || [];
const $ = (id) => document.getElementById(id);
let lang = "zh";
let busy = false;
let user = "";

function t(key) {
  return (STRINGS[lang] || STRINGS.zh)[key];
}

function empty(element) {
  while (element.firstChild) element.removeChild(element.firstChild);
}

function workbookName() {
  const url = (window.Office && Office.context && Office.context.document
    && Office.context.document.url) || "";
  return url.split(/[\\/]/).pop() || "workbook.xlsx";
}

const call = (...args) => fetch(...args);

function render() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  $("title").textContent = t("title");
  $("lang").textContent = t("language");
  $("token-label").textContent = t("token");
  $("save-token").textContent = t("saveToken");
  $("issues-title").textContent = t("issues");
  $("documents-title").textContent = t("documents");
  $("user").textContent = user ? `${t("signedInAs")}${user}` : "";
  const box = $("actions");
  empty(box);
  ACTIONS.forEach((action, i) => {
    const button = document.createElement("button");
    button.type = "button";
    button.id = `action-${action.key}`;
    button.dataset.action = action.key;
    button.textContent = lang === "zh" ? action.zh : action.en;
    if (i < 2) button.className = "primary";
    button.disabled = busy;
    button.addEventListener("click", () => press(action.key));
    box.appendChild(button);
  });
}

function setStatus(text, isError = false) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

function showIssues(issues) {
  const list = $("issues");
  empty(list);
  if (!issues.length) {
    const li = document.createElement("li");
    li.textContent = t("noIssues");
    list.appendChild(li);
  }
  for (const issue of issues.slice(0, 500)) {
    const li = document.createElement("li");
    li.className = issue.severity;
    const link = document.createElement("a");
    link.textContent = `${issue.sheet}!${issue.cell}`;
    link.title = issue.place;
    link.addEventListener("click", () =>
      Excel.run((context) => selectCell(context, issue.sheet, issue.cell)).catch(() => {}));
    li.appendChild(link);
    li.appendChild(document.createTextNode(` ${issue.message}`));
    list.appendChild(li);
  }
}

function showDocuments(documents) {
  const list = $("documents");
  empty(list);
  for (const doc of documents) {
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = doc.url;
    link.download = doc.name;
    link.target = "_blank";
    link.textContent = doc.name;
    li.appendChild(link);
    list.appendChild(li);
  }
}

async function press(action) {
  const token = localStorage.getItem(TOKEN_KEY) || $("token").value.trim();
  if (!token) {
    setStatus(t("tokenMissing"), true);
    return;
  }
  busy = true;
  render();
  $("progress-box").hidden = false;
  setStatus("");
  try {
    const answer = await runAction({
      excel: Excel,
      fetchImpl: call,
      baseUrl: location.origin,
      token,
      action,
      workbookName: workbookName(),
      onProgress: (step, fraction) => {
        $("progress").value = fraction;
        $("progress-text").textContent = t(step);
      },
    });
    user = answer.user || user;
    setStatus(answer.message, !answer.ok);
    showIssues(answer.issues);
    showDocuments(answer.documents);
  } catch (error) {
    setStatus(failureMessage(error, lang), true);
    if (error && error.status === 401) forgetToken();
  } finally {
    busy = false;
    $("progress-box").hidden = true;
    render();
  }
}

function forgetToken() {
  localStorage.removeItem(TOKEN_KEY);
  user = "";
  $("token").placeholder = "";
}

/** A token is saved only once the server says whose it is. */
async function saveToken() {
  const value = $("token").value.trim();
  if (!value) return;
  try {
    const me = await whoAmI({ fetchImpl: call, baseUrl: location.origin, token: value });
    localStorage.setItem(TOKEN_KEY, value);
    user = me.user;
    $("token").value = "";
    $("token").placeholder = "••••••••";
    render();
    setStatus(`${t("tokenSaved")} (${user})`);
  } catch (error) {
    setStatus(failureMessage(error, lang), true);
  }
}

Office.onReady(() => {
  lang = userLanguage(localStorage, window.Office);
  const saved = localStorage.getItem(TOKEN_KEY);
  if (saved) {
    $("token").placeholder = "••••••••";
    whoAmI({ fetchImpl: call, baseUrl: location.origin, token: saved })
      .then((me) => {
        user = me.user;
        render();
      })
      .catch((error) => {
        if (error && error.status === 401) forgetToken();
      });
  }
  $("save-token").addEventListener("click", saveToken);
  $("lang").addEventListener("click", () => {
    lang = lang === "zh" ? "en" : "zh";
    localStorage.setItem(LANG_KEY, lang);
    render();
  });
  render();
  document.body.dataset.ready = "true";
});
