/** Small value helpers shared by every layer (pure: no I/O). */

/** A JSON-like object (not null, not an array): what untrusted JSON must be before its keys are read. */
export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `s` as a literal inside a RegExp source. */
export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
