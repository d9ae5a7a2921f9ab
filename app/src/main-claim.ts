import "./style.css";
import { ClaimPage } from "./claim-page.js";
import { loadConfig } from "./load.js";

const root = document.getElementById("app")!;
const config = await loadConfig(root);
if (config) {
  const page = new ClaimPage(config, root);
  (window as unknown as { fluxClaim: ClaimPage }).fluxClaim = page;
  await page.start();
}
