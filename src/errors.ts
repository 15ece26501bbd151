/**
 * The one error class of the CLI. Every failure the program expects is a DoctorError (or a
 * subclass: InputError, HttpFailure, TokenFailure, MissingRootError) with a stable `code`
 * (undici-style: scripts and tests switch on it, never on the message); `cli.ts` alone maps
 * codes to exit codes (2 = bad input / usage / config, 3 = network or authentication failure).
 * Messages must be one line, say what to do next, and never contain a secret.
 */
export type DoctorErrorCode =
  /** Bad flags, arguments or config. */
  | 'DOCTOR_ERR_USAGE'
  /** Input that cannot be read: binary, not UTF-8, empty, truncated. */
  | 'DOCTOR_ERR_INPUT'
  /** A directory or file to scan that does not exist. */
  | 'DOCTOR_ERR_MISSING_ROOT'
  /** No answer from DingTalk: refused, timed out, past the deadline. */
  | 'DOCTOR_ERR_NETWORK'
  /** No access token: DingTalk refused the credentials, or a host we do not send them to. */
  | 'DOCTOR_ERR_TOKEN';

/** A parameter of an error text: a value, or itself a message (another error's text, a phrase in the user's language). */
export type ErrorParam = string | number | { id: string; params: Record<string, ErrorParam> };

/** The message (and hint) as message ids of src/messages, so that cli.ts can print them in the user's language. */
export interface ErrorText {
  id: string;
  params: Record<string, ErrorParam>;
  hint?: { id: string; params: Record<string, ErrorParam> };
}

/** A hint: a message id with its parameters, or just the id of one without. */
export type ErrorHint = string | NonNullable<ErrorText['hint']>;

/** The error text of message `id`, its hint given as an id or as `{ id, params }` (no table needed: filled in where printed). */
export function errorText(id: string, params: ErrorText['params'] = {}, hint?: ErrorHint): ErrorText {
  const h = typeof hint === 'string' ? { id: hint, params: {} } : hint;
  return { id, params, ...(h ? { hint: h } : {}) };
}

export class DoctorError extends Error {
  override readonly name: string = 'DoctorError';
  readonly hint: string | undefined;
  readonly text: ErrorText | undefined;
  constructor(
    message: string,
    readonly code: DoctorErrorCode = 'DOCTOR_ERR_USAGE',
    options?: { cause?: unknown; hint?: string; text?: ErrorText },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options?.hint;
    this.text = options?.text;
  }
}

/** Unreadable input: binary, not UTF-8, empty, truncated beyond recovery (the parser's). Maps to exit 2. */
export class InputError extends DoctorError {
  override readonly name = 'InputError';
  /** `id`: the message id of the text (src/messages), printed in the user's language. */
  constructor(message: string, id?: string, params: Record<string, string | number> = {}) {
    super(message, 'DOCTOR_ERR_INPUT', id ? { text: { id, params } } : undefined);
  }
}

/** Bad input, usage or config: exit 2. */
export const usageError = (message: string, hint?: string) => new DoctorError(message, 'DOCTOR_ERR_USAGE', { hint });
/** Network or authentication failure: exit 3. */
export const networkError = (message: string, cause?: unknown, hint?: string) => new DoctorError(message, 'DOCTOR_ERR_NETWORK', { cause, hint });

/** Exit codes for outcomes that are not failures of the tool itself. */
export const EXIT_OK = 0;
export const EXIT_NEEDS_FIX = 1;
