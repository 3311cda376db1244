// Builds joinedup/static/build/: CSS compiled from GOV.UK Frontend's Sass, plus the
// GOV.UK Frontend and htmx scripts and the images the CSS refers to. Nothing built is committed.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { compile } from "sass";

const out = "joinedup/static/build";
mkdirSync(out, { recursive: true });

const css = compile("assets/scss/main.scss", {
  loadPaths: ["node_modules"],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(`${out}/main.css`, css.css);

cpSync("node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js", `${out}/govuk-frontend.min.js`);
cpSync("node_modules/govuk-frontend/dist/govuk/assets/images", `${out}/assets/images`, { recursive: true });
cpSync("node_modules/htmx.org/dist/htmx.min.js", `${out}/htmx.min.js`);
console.log(`built ${out}`);
