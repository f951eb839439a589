// Build the front-end assets into fairhearing/static/dist/ (gitignored, served by Django
// staticfiles at /static/dist/). Run with `npm run build` after `npm ci`.
//
// - fairhearing/core/scss/fairhearing.scss -> dist/fairhearing.css (compressed, with source map)
// - GOV.UK Frontend and MOJ Frontend ES module bundles (+ source maps) -> dist/
// - favicon.svg, Fairhearing's own
// - MOJ Frontend's icon images (used by the timeline, filter, progress bar) -> dist/moj/images/
//   Logos, crowns, crests and favicons are deliberately never copied.
import { copyFile, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import * as sass from "sass";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const nodeModules = path.join(root, "node_modules");
const dist = path.join(root, "fairhearing", "static", "dist");
const entry = path.join(root, "fairhearing", "core", "scss", "fairhearing.scss");

const copies = [
  ["govuk-frontend/dist/govuk/govuk-frontend.min.js", "govuk-frontend.min.js"],
  ["govuk-frontend/dist/govuk/govuk-frontend.min.js.map", "govuk-frontend.min.js.map"],
  ["@ministryofjustice/frontend/moj/moj-frontend.min.js", "moj-frontend.min.js"],
  ["@ministryofjustice/frontend/moj/moj-frontend.min.js.map", "moj-frontend.min.js.map"],
];

// Fairhearing's own favicon: a white "F" on the brand teal (no crown, no GOV.UK icon).
const favicon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">\
<rect width="32" height="32" rx="6" fill="#106165"/>\
<path fill="#fff" d="M10 7h13v4h-8.5v4H21v4h-6.5v6H10z"/></svg>
`;

// Never ship anything that looks like government branding.
const forbidden = /crown|crest|logotype|favicon|apple-touch|opengraph/i;

// Deprecation notices raised inside GOV.UK Frontend or MOJ Frontend (e.g. MOJ still calling
// GOV.UK mixins that GOV.UK has deprecated) are for those projects, not us: count them, and
// print only warnings whose first frame is in our own Sass.
let dependencyWarnings = 0;
const logger = {
  warn(message, options) {
    const where = options.span?.url?.toString() ?? options.stack?.split("\n")[0] ?? "";
    if (where.includes("node_modules")) {
      dependencyWarnings += 1;
      return;
    }
    console.warn(`WARNING: ${message}\n${options.stack ?? ""}`);
  },
};

async function buildCss() {
  const result = sass.compile(entry, {
    logger,
    style: "compressed",
    // The project root lets MOJ Frontend resolve "node_modules/govuk-frontend/...".
    loadPaths: [root, nodeModules],
    sourceMap: true,
    sourceMapIncludeSources: false,
    quietDeps: true,
  });
  const css = result.css;
  for (const bad of ["GDS Transport", "crown", "crest", "@font-face"]) {
    if (css.toLowerCase().includes(bad.toLowerCase())) {
      throw new Error(`fairhearing.css must not contain ${JSON.stringify(bad)}`);
    }
  }
  const map = result.sourceMap;
  map.sources = map.sources.map((source) =>
    source.startsWith("file:")
      ? path.relative(dist, fileURLToPath(source)).split(path.sep).join("/")
      : source,
  );
  await writeFile(
    path.join(dist, "fairhearing.css"),
    `${css}\n/*# sourceMappingURL=fairhearing.css.map */\n`,
  );
  await writeFile(path.join(dist, "fairhearing.css.map"), JSON.stringify(map));
  return css.length;
}

async function copyMojImages() {
  const from = path.join(nodeModules, "@ministryofjustice/frontend/moj/assets/images");
  const to = path.join(dist, "moj", "images");
  await mkdir(to, { recursive: true });
  const names = (await readdir(from)).filter(
    (name) => name.startsWith("icon-") && !name.startsWith("icon-wysiwyg-") && !forbidden.test(name),
  );
  await Promise.all(names.map((name) => copyFile(path.join(from, name), path.join(to, name))));
  return names.length;
}

async function main() {
  await rm(dist, { recursive: true, force: true });
  await mkdir(dist, { recursive: true });
  const cssBytes = await buildCss();
  await Promise.all(
    copies.map(([from, to]) => copyFile(path.join(nodeModules, from), path.join(dist, to))),
  );
  await writeFile(path.join(dist, "favicon.svg"), favicon);
  const images = await copyMojImages();
  console.log(
    `built ${path.relative(root, dist)}: fairhearing.css (${cssBytes} bytes), ` +
      `${copies.length} scripts, ${images} MOJ icons` +
      (dependencyWarnings ? ` (${dependencyWarnings} warnings from node_modules not shown)` : ""),
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
