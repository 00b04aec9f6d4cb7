// 客户资信管理 Credit Register: the ribbon buttons (ExecuteFunction). Each runs the same action as
// the task pane's button, with the token the task pane saved on this computer; the outcome shows
// on the Dashboard and the Issues sheet, as with the workbook's own buttons.
import { ACTIONS } from "./actions.js";
import { TOKEN_KEY, runAction } from "./core.js";

function command(key) {
  return async (event) => {
    try {
      const token = localStorage.getItem(TOKEN_KEY);
      if (token) {
        await runAction({
          excel: Excel,
          fetchImpl: (...args) => fetch(...args),
          baseUrl: location.origin,
          token,
          action: key,
        });
      }
    } catch (error) {
      console.error(error);
    } finally {
      event.completed();
    }
  };
}

Office.onReady(() => {
  for (const action of ACTIONS) {
    const handler = command(action.key);
    globalThis[action.key] = handler;
    if (Office.actions && Office.actions.associate) Office.actions.associate(action.key, handler);
  }
});
