import "./style.css";
import { showDashboard } from "./dashboard-page.js";
import { loadConfig } from "./load.js";

const root = document.getElementById("app")!;
const config = await loadConfig(root);
if (config) {
  const refresh = () => showDashboard(config, root);
  (window as unknown as { fluxRefresh: () => Promise<void> }).fluxRefresh = refresh;
  await refresh();
  document.body.dataset.ready = "true";
}
