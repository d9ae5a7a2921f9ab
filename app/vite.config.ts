/**
 * Vite config of the app (`npm run app`, `npm run app:build`): two pages, the claim page
 * (index.html) and the dashboard (dashboard.html), built to app/dist as static files.
 *
 * The plugin serves `flux-app.json` (app/server/config.ts: the devnet's, or FLUX_APP_CONFIG) and,
 * in the dev server, the proof files of any root found under `epochs/` at
 * `/proofs/<chainId>/<root>/…`. A build writes `flux-app.json` beside the pages; the proof files
 * are published separately, under the config's `proofs` URL (docs/holder-guide.md).
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";
import { findTreeDir, loadAppConfig } from "./server/config.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..");

function fluxApp(): Plugin {
  return {
    name: "flux-app",
    configureServer(server) {
      server.middlewares.use(async (req, res, next) => {
        const url = new URL(req.url ?? "/", "http://app");
        try {
          if (url.pathname === "/flux-app.json") {
            res.setHeader("content-type", "application/json");
            res.setHeader("cache-control", "no-store");
            return res.end(JSON.stringify(await loadAppConfig()));
          }
          const m = /^\/proofs\/(\d+)\/(0x[0-9a-f]{64})\/(.+)$/.exec(url.pathname);
          if (!m) return next();
          const dir = await findTreeDir(path.join(repo, "epochs"), Number(m[1]), m[2]!);
          const file = dir && path.resolve(dir, m[3]!);
          if (!file || !file.startsWith(path.resolve(dir) + path.sep) || !(await stat(file).then((s) => s.isFile(), () => false))) {
            res.statusCode = 404;
            return res.end("not found");
          }
          res.setHeader("content-type", file.endsWith(".bin") ? "application/octet-stream" : "application/json"); // (node files are raw bytes)
          createReadStream(file).pipe(res);
        } catch (e) {
          res.statusCode = 500;
          res.end((e as Error).message);
        }
      });
    },
    async generateBundle() {
      this.emitFile({ type: "asset", fileName: "flux-app.json", source: JSON.stringify(await loadAppConfig(), null, 2) + "\n" });
    },
  };
}

export default defineConfig({
  root: here,
  base: "./",
  plugins: [fluxApp()],
  server: { host: "127.0.0.1", port: 5173, strictPort: false },
  preview: { host: "127.0.0.1", port: 4173 },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    rollupOptions: { input: { claim: path.join(here, "index.html"), dashboard: path.join(here, "dashboard.html") } },
  },
});
