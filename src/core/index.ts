/** The pure pipeline, for check/replay and the library: parse → classify → advise → diagnose. */
export type * from './types.js';
export { parseText, parseResponse, parseBlock, parseStream, extractFields, mergeRecords, InputError, type HttpAnswer } from './parse/index.js';
export { classifyDenial, isDenial } from './classify.js';
export { adviceFor, resolveApi, explain, diagnose, createDiagnosis, summarize, type AdviceCatalog, type AdviceContext, type DiagnoseResult, type DiagnoseSummary } from './diagnose.js';
export { requestSteps, consoleUrl, fixFor, type ScopeFacts } from './advice-steps.js';
