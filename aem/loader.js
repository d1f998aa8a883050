/*
 * Starts the Asset Processing Console inside an AEM page.
 *
 * This file is the clientlib's JavaScript. It loads the wasm-bindgen glue and the
 * WebAssembly module from the clientlib's own resources folder (resolved from this script's
 * URL, or the mount element's data-resources attribute; never from "/"). When the server
 * sends the .wasm with another MIME type than application/wasm (AEM's MIME table has no
 * entry for it unless the package's OSGi configuration is active), the glue falls back from
 * streaming instantiation to instantiating from the bytes.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  var host = document.getElementById('asset-processing-console');
  var resources = (host && host.getAttribute('data-resources')) ||
    script.src.replace(/\/[^/]*$/, '/') + 'console/resources/';
  import(resources + 'asset-processing-console.js')
    .then(function (glue) {
      return glue.default({ module_or_path: resources + 'asset-processing-console_bg.wasm' });
    })
    .catch(function (error) {
      if (window.console) { window.console.error('Asset Processing Console failed to start', error); }
      var target = host || document.body;
      var message = document.createElement('p');
      message.setAttribute('role', 'alert');
      message.textContent = 'The asset processing console could not start (' + error + '). ' +
        'Reload the page; if this persists, check that the console package is installed.';
      target.appendChild(message);
    });
})();
