/*
 * Starts the Asset Processing Console inside an AEM page.
 *
 * This file is the clientlib's JavaScript, and a template: `cargo xtask aem-package` writes
 * the names of the build's wasm and JS glue into GLUE and WASM. Both names carry the build's
 * content hash, so a browser that cached an older console can never pair its old .wasm with
 * new glue (or the reverse) after an upgrade.
 *
 * Granite's shell page includes clientlibs in <head>, before the mount element exists: the
 * loader waits until the document is parsed, then reads the element. It loads the glue and
 * the WebAssembly module from the clientlib's own resources folder (resolved from this
 * script's URL, or the mount element's data-resources attribute; never from "/"). When the
 * server sends the .wasm with another MIME type than application/wasm (AEM's MIME table has
 * no entry for it unless the package's OSGi configuration is active), the glue falls back
 * from streaming instantiation to instantiating from the bytes.
 *
 * No minifier may rewrite this file (it uses import()): the clientlib sets
 * jsProcessor="[default:none,min:none]".
 */
(function () {
  'use strict';
  var GLUE = '@GLUE@';
  var WASM = '@WASM@';
  // Only readable while this script runs for the first time, not in a later callback.
  var script = document.currentScript;
  var beside = script && script.src
    ? script.src.replace(/[?#].*$/, '').replace(/\/[^/]*$/, '/') + 'console/resources/'
    : '/etc.clientlibs/asset-processing-console/clientlibs/console/resources/';

  function start() {
    var host = document.getElementById('asset-processing-console');
    if (!host) {
      // The category included on a page without the console: nothing to start.
      return;
    }
    var resources = host.getAttribute('data-resources') || beside;
    if (resources.charAt(resources.length - 1) !== '/') { resources += '/'; }
    import(resources + GLUE)
      .then(function (glue) {
        return glue.default({ module_or_path: resources + WASM });
      })
      .catch(function (error) {
        if (window.console) { window.console.error('Asset Processing Console failed to start', error); }
        var message = document.createElement('p');
        message.setAttribute('role', 'alert');
        message.textContent = 'The asset processing console could not start (' + error + '). ' +
          'Reload the page; if this persists, check that the console package is installed.';
        host.appendChild(message);
      });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start, { once: true });
  } else {
    start();
  }
})();
