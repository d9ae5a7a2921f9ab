// npm preinstall guard: Hardhat 3 needs Node >= 22, and npm must itself run under Node >= 22 or it
// silently skips Hardhat's native EDR binding (every command then fails with HHE27). The Node that
// matters is the one running npm (`npm_node_execpath`): `node` on this script's PATH may be the
// project's own Node 24 from node_modules/.bin, and npm's user agent may be inherited from an
// outer npx. Plain CommonJS with no dependency.
const { execFileSync } = require("node:child_process");
const npmNode = process.env.npm_node_execpath;
const version = npmNode ? execFileSync(npmNode, ["-p", "process.versions.node"], { encoding: "utf8" }).trim() : process.versions.node;
if (Number(version.split(".")[0]) < 22) {
  console.error(`error: npm must run under Node >= 22 to install this project (it runs under Node ${version}); run instead: npx -y -p node@24 -- npm install`);
  process.exit(1);
}
