/** Memoised thunk: each table and index is built on first use, so a command pays only for the lookups it makes. */
export function once<T>(make: () => T): () => T {
  let value: T | undefined;
  let made = false;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value as T;
  };
}
