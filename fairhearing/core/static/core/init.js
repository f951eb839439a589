// Progressive enhancement for every page, loaded by base.html as
// <script type="module" src="{% static 'core/init.js' %}">. Pages work without it.
//
// Module scripts only run in browsers that GOV.UK Frontend supports, so marking <body> here
// replaces the template's usual inline script (the Content-Security-Policy forbids inline
// script). The bundles are built into static/dist/ by `npm run build`; the relative paths
// resolve to /static/dist/... wherever STATIC_URL points.
import { initAll as initGovukFrontend } from "../dist/govuk-frontend.min.js";
import { initAll as initMojFrontend } from "../dist/moj-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");

function onError(error) {
  // Content swapped in by htmx is initialised from its parent, so components that were
  // already running are seen again: that is expected and not worth reporting.
  if (error && error.name === "InitError") {
    return;
  }
  console.error(error);
}

function initialise(scope) {
  initGovukFrontend({ scope, onError });
  initMojFrontend({ scope, onError });
}

initialise(document);

// htmx fires htmx:load on each element it adds to the page (and once on <body> at start-up,
// which is already covered above).
document.addEventListener("htmx:load", (event) => {
  const element = event.target;
  if (element instanceof Element && element !== document.body) {
    initialise(element.parentElement || element);
  }
});
