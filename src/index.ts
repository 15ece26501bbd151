/** Library entry: `import { explainError } from 'dingtalk-doctor'` (filled by the library issue). */
export type { Finding, ErrorRecord, Cause, ScopeRef, ScopeKind } from './core/types.js';
