// 客户资信管理 Credit Register: the ribbon buttons (ExecuteFunction). Each runs the same action as
// the task pane's button, with the token the task pane saved on this computer; the outcome shows
// on the Dashboard and the Issues sheet, as with the workbook's own buttons.
//
// A ribbon button has no page to show a failure on, so anything the user must know (no token
// saved yet, a refused token, a server that cannot be reached, an action that did not run, and
// the links of the documents an action made) opens a small dialog (classic.js's notify). The
// button's event is completed only when that dialog is closed.
import { STRINGS, TOKEN_KEY, failureMessage, runAction, userLanguage } from "./core.js";

// classic.js watches for this: if the module never runs, its own fallback answers the buttons
window.CREDIT_REGISTER_STARTED = true;

/** classic.js's dialog as a promise; resolved at once where there is no dialog to show. */
function notify(text, links, lang) {
  return new Promise((resolve) => {
    const shared = window.CreditRegister;
    if (!shared || !shared.notify) {
      resolve();
      return;
    }
    shared.notify({ text, links, lang }, resolve);
  });
}

/** What the user must be told after pressing `key`, or null when the workbook says it all. */
export async function pressRibbon(key, { excel, fetchImpl, baseUrl, storage, office }) {
  const lang = userLanguage(storage, office);
  const token = storage.getItem(TOKEN_KEY);
  if (!token) return { text: STRINGS[lang].tokenMissingRibbon, links: [], lang };
  try {
    const answer = await runAction({ excel, fetchImpl, baseUrl, token, action: key });
    const links = (answer.documents || []).map((doc) => ({ name: doc.name, url: doc.url }));
    if (!answer.ok || links.length) return { text: answer.message, links, lang };
    return null;
  } catch (error) {
    if (error && error.status === 401) storage.removeItem(TOKEN_KEY);
    return { text: failureMessage(error, lang), links: [], lang };
  }
}

function command(key) {
  return async (event) => {
    try {
      const notice = await pressRibbon(key, {
        excel: window.Excel,
        fetchImpl: (...args) => fetch(...args),
        baseUrl: location.origin,
        storage: localStorage,
        office: window.Office,
      });
      if (notice) await notify(notice.text, notice.links, notice.lang);
    } catch (error) {
      await notify(String(error && error.message ? error.message : error), [], "zh");
    } finally {
      event.completed();
    }
  };
}

Office.onReady(() => {
  for (const action of window.CREDIT_REGISTER_ACTIONS || []) {
    const handler = command(action.key);
    window[action.key] = handler;
    if (Office.actions && Office.actions.associate) Office.actions.associate(action.key, handler);
  }
});
