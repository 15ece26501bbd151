/**
 * The entry: runs the command line, and is the one place failures become exit codes. Nothing else
 * in the program calls process.exit.
 *   0 all good · 1 something needs fixing (missing scope, denial) · 2 bad input/usage/config · 3 network/auth
 * A plain `diagnose` or `scopes show|search|for` runs without commander (commands/plain-args.ts);
 * everything else goes through the program (program.ts).
 */
import { DoctorError, type DoctorErrorCode } from './errors.js';
import { VERSION } from './version.js';
import { errorTexts, message as uiMessage } from './render/messages.js';
import { langFromEnv, type Lang } from './render/output.js';
import { sink } from './render/output.js';
import { allWritten, writeText } from './terminal.js';

/** The one place failures become exit codes: 2 the input, flags or config; 3 DingTalk could not be asked. */
const EXIT_CODES: Record<DoctorErrorCode, 2 | 3> = {
  DOCTOR_ERR_USAGE: 2,
  DOCTOR_ERR_INPUT: 2,
  DOCTOR_ERR_MISSING_ROOT: 2,
  DOCTOR_ERR_NETWORK: 3,
  DOCTOR_ERR_TOKEN: 3,
};

/** The commands whose plain command lines run without commander, each with its module. */
const PLAIN = new Map<string, () => Promise<{ runPlain(words: readonly string[]): Promise<number | undefined> }>>([
  ['diagnose', () => import('./commands/diagnose.js')],
  ['scopes', () => import('./commands/scopes.js')],
]);

/** The language of stderr messages: --lang on the command line, else the locale (as for output). */
function langOf(argv: readonly string[]): Lang {
  const at = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
  const value = at === -1 ? undefined : argv[at]!.includes('=') ? argv[at]!.slice('--lang='.length) : argv[at + 1];
  return value === 'zh' || value === 'en' ? value : langFromEnv(process.env);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

export async function main(argv = process.argv): Promise<number> {
  const verbose = argv.includes('--verbose');
  try {
    const words = argv.slice(2);
    // `--version` alone, as commander prints it (its program is not needed for that)
    if (words.length === 1 && (words[0] === '--version' || words[0] === '-V')) {
      writeText(1, `${VERSION}\n`);
      return 0;
    }
    // The common runs, `diagnose` and the `scopes` questions with plain flags, without commander (commands/plain-args.ts)
    const plain = PLAIN.get(words[0] ?? '');
    if (plain) {
      const code = await (await plain()).runPlain(words.slice(1));
      if (code !== undefined) return code;
    }
    return await (await import('./program.js')).runProgram(argv, langOf(argv));
  } catch (error) {
    if (error instanceof DoctorError) {
      const text = errorTexts(error, langOf(argv));
      const hint = text.hint ? ` — ${oneLine(text.hint)}` : '';
      sink.stderr(`dingtalk-doctor: ${oneLine(text.message)}${hint}`);
      if (verbose && error.cause instanceof Error && error.cause.stack) sink.stderr(error.cause.stack);
      return EXIT_CODES[error.code] ?? 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    sink.stderr(`dingtalk-doctor: ${uiMessage('ui.err.unexpected', { message: oneLine(message) }, langOf(argv))}`);
    if (verbose && error instanceof Error && error.stack) sink.stderr(error.stack);
    return 2;
  }
}

// Ctrl-C: stop at once with 130 (128 + SIGINT), the cursor shown again if a spinner hid it.
process.once('SIGINT', () => {
  if (process.stderr.isTTY) process.stderr.write('\u001b[?25h\n');
  process.exit(130);
});

void main().then((code) => {
  process.exitCode = code;
  // The work is done and every byte written: end here rather than wait for Node to close handles
  // and tear the heap down (≈ 2 M instructions of a diagnose, measured). A stream still holding
  // output (a terminal's) is left to drain as Node ends by itself.
  if (allWritten()) process.exit(code);
});
