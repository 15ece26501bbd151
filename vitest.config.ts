import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // 2-core machines: child-process tests are heavy, keep parallelism modest.
    maxWorkers: 2,
    // CLI children that inherit the environment (the npm pack smoke test) keep their compile
    // cache out of the user's ~/.cache, in the same place test/helpers/run-cli.ts puts it.
    env: { DINGTALK_DOCTOR_CACHE_DIR: join(tmpdir(), 'dingtalk-doctor-test-compile-cache') },
  },
});
