/**
 * The layers of the repository, checked by `npm run check:layers` (and so by CI).
 *
 * src/ is the toolkit. Its modules form a stack: a module may import the modules below it and
 * never one at its own level or above, so every import goes one way and no cycle can form.
 * Everything that is not toolkit sits outside src/ and may import src/, never the reverse:
 * demo/ (the `npm start` story and the crash replay), reports/ (HTML and text reports),
 * bench/ (benchmarks), local/ (local services such as the Snapshot hub), scripts/ (Hardhat
 * entry points and tasks) and test/.
 */
const LAYERS = [
  ["core"],
  ["merkle", "manifest", "tally", "keys"],
  ["governance", "markets"],
  ["emissions"],
  ["deploy", "keeper"],
  ["proposals"],
  ["snapshot"],
];

const layerRules = LAYERS.flatMap((layer, level) =>
  layer.map((module) => {
    const notBelow = LAYERS.slice(level).flat().filter((m) => m !== module);
    return {
      name: `layer-${module}`,
      comment: `src/${module} may import only modules below it (${LAYERS.slice(0, level).flat().join(", ") || "none"})`,
      severity: "error",
      from: { path: `^src/${module}/` },
      to: { path: `^src/(${notBelow.join("|")})/` },
    };
  }),
);

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "no import cycle anywhere",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "toolkit-stands-alone",
      comment: "src/ (the toolkit) never imports the app, the demo, reports, benchmarks, local services, scripts, proposals or tests",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^(app|demo|reports|bench|local|scripts|test|proposals)/" },
    },
    {
      name: "unknown-src-module",
      comment: "every directory of src/ is a declared layer",
      severity: "error",
      from: {},
      to: { path: `^src/(?!(${LAYERS.flat().join("|")})/)` },
    },
    {
      name: "services-stand-alone",
      comment: "local services and reports do not depend on the demo or the benchmarks (reports may read the demo's result types)",
      severity: "error",
      from: { path: "^(local|reports)/" },
      to: { path: "^(bench|scripts|test)/|^demo/(?!types\\.ts$)" },
    },
    {
      name: "page-stands-alone",
      comment: "the app's page code (app/src) reads only the toolkit: never the dev server, the demo, local services, scripts, benchmarks or tests",
      severity: "error",
      from: { path: "^app/src/" },
      to: { path: "^(app/server|demo|reports|bench|local|scripts|test|proposals)/|^app/vite\\.config" },
    },
    {
      name: "nothing-imports-the-app",
      comment: "only the app's own files and its tests import app/",
      severity: "error",
      from: { path: "^(src|demo|reports|bench|local|scripts|ignition|proposals)/" },
      to: { path: "^app/" },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|artifacts|cache|types)/" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
