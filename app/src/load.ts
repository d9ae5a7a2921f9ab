/** Loads `flux-app.json` beside the page; a missing or bad config is said on the page in one line. */
import { parseAppConfig, type AppConfig } from "./config.js";
import { h, render } from "./dom.js";

export async function loadConfig(root: HTMLElement): Promise<AppConfig | null> {
  try {
    const res = await fetch("./flux-app.json", { cache: "no-store" });
    if (!res.ok) throw new Error(`flux-app.json: HTTP ${res.status}${res.status >= 500 ? ` (${(await res.text()).slice(0, 300)})` : ""}`);
    return parseAppConfig(await res.json());
  } catch (e) {
    render(root, h("p", { class: "error", role: "alert" }, `The app's configuration could not be loaded: ${(e as Error).message}`));
    return null;
  }
}
