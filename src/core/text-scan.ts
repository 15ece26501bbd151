/**
 * Hand-written scans for the small patterns every diagnosed body ran once or twice. V8 compiles a
 * pattern at its first exec and again at its second (tier-up, to machine code): ≈ 0.05–0.4 M
 * instructions each (measured), a sizeable part of a one-body diagnose, where the scan itself is a few
 * hundred. Each function names the pattern it stands for; test/text-scan.test.ts holds it to that pattern.
 */

const isLetterCode = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isDigitCode = (c: number) => c >= 48 && c <= 57;
/** A character of `\w`. */
export const isWordCode = (c: number) => isLetterCode(c) || isDigitCode(c) || c === 95;

/** `/^-?\d+$/.test(s)`. */
export function isInteger(s: string): boolean {
  const start = s.charCodeAt(0) === 45 ? 1 : 0;
  if (s.length === start) return false;
  for (let i = start; i < s.length; i++) if (!isDigitCode(s.charCodeAt(i))) return false;
  return true;
}

/** `/^[A-Za-z][\w.\-]{min-1,max-1}$/.test(s)`: a code or scope name (a letter, then word characters, `.` and `-`). */
export function isCodeName(s: string, min = 1, max = Infinity): boolean {
  if (s.length < min || s.length > max || !isLetterCode(s.charCodeAt(0))) return false;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isWordCode(c) && c !== 46 && c !== 45) return false;
  }
  return true;
}

const SHAPED_PREFIXES = [
  'Forbidden', 'InvalidAuthentication', 'AuthenticationFailed', 'Unauthorized', 'unauthorized.', 'orgAuthLevel',
  'systemBusy', 'system.busy', 'no.priviledge', 'permission.', 'forbidden.', 'acrossOrg', 'authFailed', 'Throttling',
  'paramError', 'param.', 'MissingParameter', 'InvalidParameter', 'InvalidAction.',
];

/**
 * A code of DingTalk's shape: `/^(?:Forbidden|InvalidAuthentication|…|invalid[A-Z]|…|InvalidAction\.)/.test(code)`
 * (the pattern, 278 characters, cost ≈ 0.4 M instructions to compile, measured).
 */
export function hasDingTalkCodeShape(code: string): boolean {
  if (code.startsWith('invalid')) {
    const c = code.charCodeAt(7);
    if (c >= 65 && c <= 90) return true;
  }
  return SHAPED_PREFIXES.some((p) => code.startsWith(p));
}
