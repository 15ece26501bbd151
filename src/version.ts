// Replaced at build time by esbuild's `define`; falls back for tests that run the sources.
declare const __DD_VERSION__: string | undefined;
export const VERSION: string = typeof __DD_VERSION__ === 'string' ? __DD_VERSION__ : '0.0.0-dev';
