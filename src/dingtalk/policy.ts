/**
 * The HTTP client's default timeout and retries (dingtalk/http.ts), apart from the client: the
 * options' help names the timeout, and registering `diagnose` must not load the HTTP client.
 */
export const DEFAULT_POLICY = { timeoutMs: 10_000, retries: 3, backoffMs: 250, maxRetryAfterMs: 10_000 };
