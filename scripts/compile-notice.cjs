// npm prestart: `npm start` compiles the contracts before it starts telling its story, and
// `hardhat run` compiles quietly (a spinner on a terminal, nothing at all in a log or a pipe), so a
// first run would sit silent for minutes. When nothing has been compiled yet, say so first.
// Plain CommonJS with no dependency.
const { existsSync } = require("node:fs");
const path = require("node:path");
if (!existsSync(path.join(__dirname, "..", "artifacts", "build-info"))) {
  console.log("Compiling the contracts first (only on a first run: about 100 s of compiler time, 2 to 3 minutes on a busy 2-core machine)…");
}
