// Preloaded by bench/run.mjs (NODE_OPTIONS=--import): reports this process's peak RSS on exit.
process.on('exit', () => {
  process.stderr.write(`\n__dd_maxrss_kib=${process.resourceUsage().maxRSS}\n`);
});
