/**
 * SDK names → APIs: `contact_1_0` + `getUserWithOptions` (a stack frame, a scanned call) finds
 * the API whose SDK product and method or action these are, spelled any of the SDK's ways.
 */
import { allSdkSpellings } from './sdk-names.js';
import { SortedKeys } from './sorted-keys.js';
import type { ApiInfo } from './types.js';

/** 'contact_1_0', 'contact_1.0', 'ai_paa_s_1_0', 'aiPaaS_1.0' → one key. */
export const moduleKey = (module: string) => module.toLowerCase().replace(/[^a-z0-9]/g, '');
export const methodKey = (method: string) => method.replace(/WithOptions$/, '').toLowerCase();

/** The key a lookup of `module` (or none) and `method` reads. */
export const sdkKey = (module: string | null, method: string) => `${module ? moduleKey(module) : ''}|${methodKey(method)}`;

/**
 * Each API's rows under `|method` and `module|method` (method: its SDK method and its action).
 * The SDK's dist/<module>/ folder name and the product normalise to the same key (checked over
 * every row when the data was generated), so one key per API is enough.
 */
export function sdkKeysOf(apis: readonly ApiInfo[]): SortedKeys {
  const entries: Array<[string, number]> = [];
  const productKeys = new Map<string, string>(); // ~114 products over ~2,800 rows
  apis.forEach((api, row) => {
    if (!api.product) return;
    let mod = productKeys.get(api.product);
    if (mod === undefined) productKeys.set(api.product, (mod = moduleKey(api.product)));
    // Every SDK's spelling of the operation (Python's batch_send_otowith_options, C#'s …Async): sdk-names.ts.
    const names = new Set([api.sdkMethod, api.action].filter((x): x is string => Boolean(x)).flatMap(allSdkSpellings).map(methodKey));
    for (const name of names) entries.push([`|${name}`, row], [`${mod}|${name}`, row]);
  });
  return SortedKeys.of(entries);
}
