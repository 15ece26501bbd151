/**
 * A CommonJS package imported dynamically from the ESM bundle (esbuild) can arrive with its
 * exports on `default`: this returns the namespace that actually holds `key`.
 */
export function commonjsExports<T extends object>(mod: T, key: keyof T): T {
  return typeof mod[key] === 'undefined' ? (mod as unknown as { default: T }).default : mod;
}
