/**
 * Terminal text: colour for our own output, escapes for everyone else's. Chalk's codes are
 * carried as an unforgeable mark until the output sink (render/output.ts) has escaped every
 * control character that came from an input or a server; only then do they become ESC again.
 * Apart from output.ts so that the library's types never reach chalk's.
 */
import type { ChalkInstance } from 'chalk';

/**
 * Our own colour codes are written as this mark instead of ESC, so the sink can escape every
 * ESC that came from an input or a server and still colour. Random per run: an input cannot forge it.
 */
const STYLE_MARK = `\uE000${Math.random().toString(36).slice(2, 12)}\uE001`;

/**
 * A chalk whose output carries STYLE_MARK where chalk writes ESC. The proxy's target is a blank
 * function (chalk's own properties are non-configurable, which a proxy of them could not wrap).
 */
function marked(chalk: object): ChalkInstance {
  const blank: object = function styled() {};
  return new Proxy(blank, {
    // The text styled is escaped first: the only ESC left in chalk's result are its own.
    apply: (_, self, args: unknown[]) =>
      String(Reflect.apply(chalk as (...a: unknown[]) => unknown, self, args.map((a) => escapeControls(String(a))))).replaceAll('\u001b', STYLE_MARK),
    get: (_, key) => {
      const value: unknown = Reflect.get(chalk, key);
      return typeof value === 'function' ? marked(value) : value;
    },
  }) as ChalkInstance;
}

/** The styles our texts use; each is chalk's (colour) or the text itself (no colour). */
export type Styler = Pick<ChalkInstance, 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan' | 'magenta'>;

// What chalk makes of its arguments at level 0 (one: as a string; more: joined by spaces).
const same = ((...text: unknown[]) => (text.length === 1 ? String(text[0]) : text.join(' '))) as ChalkInstance;
const PLAIN: Styler = { bold: same, dim: same, red: same, green: same, yellow: same, cyan: same, magenta: same };

let colour: Styler | undefined;

/**
 * Loads chalk, for a run that colours its output. Not at start-up: importing chalk asks node:tty
 * about the terminal, which loads Node's net and stream modules even when stdout is a pipe.
 */
export async function loadColour(): Promise<void> {
  colour ??= marked(new (await import('chalk')).Chalk({ level: 1 }));
}

/** The styles for this run: plain text when colour is off. Codes become ESC again only in the sink. */
export function styler(color: boolean): Styler {
  if (!color) return PLAIN;
  if (!colour) throw new Error('styler(true) before loadColour()');
  return colour;
}

/**
 * Shown escaped in printed text: C0 controls but tab and newline (ESC sequences, OSC 8 links,
 * `\r` overwrites, BEL), DEL, C1 controls (U+009B is a CSI to some terminals), and the bidi
 * controls that make text read otherwise than it runs.
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
export const codeHex = (c: string, width: number) => c.charCodeAt(0).toString(16).padStart(width, '0');

export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => (c === '\r' ? '\\r' : c.charCodeAt(0) < 0x100 ? `\\x${codeHex(c, 2)}` : `\\u${codeHex(c, 4)}`));
}

/** Our colour marks back to ESC (the sink, after escaping). */
export function restoreStyles(text: string): string {
  return text.includes(STYLE_MARK) ? text.replaceAll(STYLE_MARK, '\u001b') : text;
}
