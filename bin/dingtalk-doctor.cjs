#!/usr/bin/env node
// Tiny shim: everything lives in the bundled build (see scripts/build.mjs). CommonJS on purpose:
// an ES module here would start Node's ESM loader, which costs more than this whole file.
'use strict';
let boot;
try {
  boot = require('../dist/boot.cjs');
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes('boot.cjs')) {
    console.error('dingtalk-doctor: not built yet. Run `npm run build` in the package folder.');
    process.exit(2);
  }
  throw error;
}
boot.runCli();
