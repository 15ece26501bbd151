/**
 * How each official DingTalk SDK spells an operation's methods, derived by its code
 * generator's rule from the operation's Darabonba name (what the JS SDK and the catalog's
 * `sdkMethod` carry, e.g. `batchSendOTO`). The SDKs are generated from one spec
 * (github.com/aliyun/dingtalk-sdk: dingtalk/{ts,java,php,golang,csharp,python}):
 *   JS, Java, PHP: the name as is            batchSendOTO, batchSendOTOWithOptions
 *   Go, C#:        upper-cased first letter  BatchSendOTO, BatchSendOTOWithOptions (C# also …Async)
 *   Python:        snake case, a run of capitals or digits lower-cased whole
 *                  batch_send_oto, batch_send_otowith_options (the `W` of `With` joins the run
 *                  `OTOW`), batch_send_oto_async, batch_send_otowith_options_async
 * The WithOptions suffix is appended to the name before converting, as the generators do.
 * Pure functions: the catalog indexes every operation under these spellings.
 */

export type SdkLang = 'js' | 'java' | 'php' | 'go' | 'csharp' | 'python';
export const SDK_LANGS: readonly SdkLang[] = ['js', 'java', 'php', 'go', 'csharp', 'python'];

const isRunChar = (c: string) => (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

/**
 * The Python generator's snake case: a run of capitals/digits is lower-cased as one word,
 * with `_` before it unless it starts the name (`getFormDataByIDWithOptions` → `get_form_data_by_idwith_options`).
 */
export function pythonName(name: string): string {
  let out = '';
  let run = '';
  for (const c of name) {
    if (isRunChar(c)) {
      run += c;
      continue;
    }
    if (run) {
      out += (out ? '_' : '') + run.toLowerCase();
      run = '';
    }
    out += c;
  }
  if (run) out += (out ? '_' : '') + run.toLowerCase();
  return out;
}

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Every method name one SDK has for an operation (plain, WithOptions, and the async twins). */
export function sdkSpellings(operation: string, lang: SdkLang): string[] {
  const plain = operation.charAt(0).toLowerCase() + operation.slice(1);
  const withOptions = `${plain}WithOptions`;
  switch (lang) {
    case 'js':
    case 'java':
    case 'php':
      return [plain, withOptions];
    case 'go':
      return [upperFirst(plain), upperFirst(withOptions)];
    case 'csharp':
      return [upperFirst(plain), upperFirst(withOptions), `${upperFirst(plain)}Async`, `${upperFirst(withOptions)}Async`];
    case 'python': {
      const p = pythonName(plain);
      const w = pythonName(withOptions);
      return [p, w, `${p}_async`, `${w}_async`];
    }
  }
}

/** Every spelling of an operation in any SDK, deduplicated (JS/Java/PHP and Go/C# share theirs). */
export function allSdkSpellings(operation: string): string[] {
  return [...new Set(SDK_LANGS.flatMap((lang) => sdkSpellings(operation, lang)))];
}

/** A Python spelling: lower case with an underscore (snake case), as no other SDK writes its methods. */
export const isSnakeCase = (name: string) => /^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/.test(name);
