/**
 * `npm run crash`: replays two historical crashes under Flux's lines and Compound-style lines on
 * the real contracts, and prints liquidations and bad debt side by side.
 */
import hre from "hardhat";
import cliProgress from "cli-progress";
import { loadDeployConfig } from "../src/deploy/config.js";
import { runCrashReport } from "../demo/crash.js";
import { writeFileAtomic } from "../src/core/fs.js";
import { runCommand } from "../src/core/command.js";

await runCommand(async () => {
  const cfg = await loadDeployConfig("default");
  const bar = new cliProgress.SingleBar({ format: " {bar} {value}/{total} price steps | {run}" }, cliProgress.Presets.shades_classic);
  const report = await runCrashReport(hre, cfg, {
    onRun: (run, total) => {
      if (bar.getProgress() > 0 || bar.getTotal() > 0) bar.stop();
      bar.start(total, 0, { run });
    },
    onStep: (step) => bar.update(step),
  });
  bar.stop();
  console.log(report.text);
  await writeFileAtomic("reports/crash.html", report.html);
  console.log("\nThe same with charts (price path, positions liquidated): reports/crash.html");
}, { hre });
