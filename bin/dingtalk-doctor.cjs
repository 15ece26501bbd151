#!/usr/bin/env node
// Tiny shim: everything lives in the bundled build (see scripts/build.mjs).
import('../dist/cli.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli.js')) {
    console.error('dingtalk-doctor: not built yet. Run `npm run build` in the package folder.');
    process.exit(2);
  }
  throw error;
});
