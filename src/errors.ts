/**
 * The one error class of the CLI. It carries the exit code so that `cli.ts` is the
 * only place that maps failures to exit codes:
 *   2 = bad input / usage / config, 3 = network or authentication failure.
 * Messages must be one line, say what to do next, and never contain a secret.
 */
export type FailureExitCode = 2 | 3;

export class DoctorError extends Error {
  override readonly name = 'DoctorError';
  constructor(
    message: string,
    readonly exitCode: FailureExitCode = 2,
    options?: { cause?: unknown; hint?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options?.hint;
  }
  readonly hint: string | undefined;
}

/** Bad input, usage or config: exit 2. */
export const usageError = (message: string, hint?: string) => new DoctorError(message, 2, { hint });
/** Network or authentication failure: exit 3. */
export const networkError = (message: string, cause?: unknown, hint?: string) => new DoctorError(message, 3, { cause, hint });

/** Exit codes for outcomes that are not failures of the tool itself. */
export const EXIT_OK = 0;
export const EXIT_NEEDS_FIX = 1;
