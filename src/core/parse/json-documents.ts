/**
 * JSON documents in an input, walked as JSON: a HAR file's exchanges, a document that holds
 * several error bodies (an array of bodies, an SDK's dump), a JSON log line whose DingTalk body
 * is a string inside it. Only asked: index.ts hands in text and gets back what the document
 * holds (the exchanges; each body's fields with its line), or null when the text is no such
 * document and the plain block path reads it the same way (one body, not JSON at all).
 */
import type { ApiRef } from '../types.js';
import { hasTrigger } from './blocks.js';
import { extractFields, pathOf, type Fields } from './fields.js';
import { isPlainObject } from '../../values.js';
import { hasEscapes } from '../text-scan.js';

/** One request and its answer in a HAR file, with the input line of its URL. */
export interface HarExchange {
  status: number;
  body: string;
  api: ApiRef;
  line: number;
  /** The request went to a DingTalk host. */
  dingtalk: boolean;
}

/** What a JSON document holds: a HAR's exchanges, or its error bodies (each one's fields and line). */
export type JsonContents = { exchanges: HarExchange[] } | { bodies: Array<{ fields: Fields; line: number }> };

/** `text` parsed as JSON; null when it is not JSON. */
export function jsonValue(text: string): { value: unknown } | null {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return null;
  }
}

function lineAt(text: string, index: number, firstLine: number): number {
  let n = firstLine;
  for (let p = text.indexOf('\n'); p !== -1 && p < index; p = text.indexOf('\n', p + 1)) n++;
  return n;
}

const ERROR_KEYS = new Set(['code', 'errcode', 'requiredscopes', 'accessdenieddetail', 'sub_code', 'subcode']);

/** Error bodies sit a few levels deep at most; deeper nesting is hostile input, not a log. */
const MAX_DEPTH = 64;

/** The outermost objects that look like an error (an SDK error's nested `data` belongs to its parent). */
function errorObjects(value: unknown, out: Record<string, unknown>[] = [], depth = 0): Record<string, unknown>[] {
  if (depth > MAX_DEPTH) return out;
  if (Array.isArray(value)) for (const v of value) errorObjects(v, out, depth + 1);
  else if (isPlainObject(value)) {
    if (Object.keys(value).some((k) => ERROR_KEYS.has(k.toLowerCase()))) out.push(value);
    else for (const v of Object.values(value)) errorObjects(v, out, depth + 1);
  }
  return out;
}

const isHar = (doc: unknown): doc is { log: { entries: unknown[] } } =>
  isPlainObject(doc) && isPlainObject(doc.log) && Array.isArray((doc.log as Record<string, unknown>).entries);

function decodeBase64(text: string): string {
  // atob is global in Node ≥16 and keeps src/core free of Buffer.
  const bin = atob(text.replace(/\s+/g, ''));
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return new TextDecoder('utf-8').decode(bytes);
}

const isHttpStatus = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 100 && (v as number) <= 599;
const objectOr = (v: unknown): Record<string, unknown> => (isPlainObject(v) ? v : {});

function harExchanges(doc: { log: { entries: unknown[] } }, text: string, firstLine: number): HarExchange[] {
  const exchanges: HarExchange[] = [];
  let cursor = 0;
  for (const entry of doc.log.entries) {
    // A HAR is untrusted JSON: any field may have any type.
    const request = objectOr(objectOr(entry).request);
    const response = objectOr(objectOr(entry).response);
    const url = request.url;
    if (typeof url !== 'string') continue;
    const at = text.indexOf(JSON.stringify(url), cursor);
    if (at !== -1) cursor = at + 1;
    const status = isHttpStatus(response.status) ? response.status : 0;
    const content = objectOr(response.content);
    let body = typeof content.text === 'string' ? content.text : '';
    if (body && content.encoding === 'base64') {
      try {
        body = decodeBase64(body);
      } catch {
        body = '';
      }
    }
    const { path, host } = pathOf(url);
    const api: ApiRef = { method: typeof request.method === 'string' ? request.method.toUpperCase() : null, path, host };
    const line = at === -1 ? firstLine : lineAt(text, at, firstLine);
    exchanges.push({ status, body, api, line, dingtalk: /(?:^|\.)dingtalk\.(?:com|io)$/i.test(host ?? '') });
  }
  return exchanges;
}

/** A HAR's exchanges, or the error bodies of a document that holds more than one; null for one body or none. */
function contentsOf(doc: unknown, text: string, firstLine: number): JsonContents | null {
  if (isHar(doc)) return { exchanges: harExchanges(doc, text, firstLine) };
  const objects = errorObjects(doc);
  if (objects.length <= 1) return null; // one body: the plain block path reads it the same way
  const bodies: Array<{ fields: Fields; line: number }> = [];
  let cursor = 0;
  for (const obj of objects) {
    const fields = extractFields(JSON.stringify(obj));
    if (!fields) continue;
    // Line of this object: where its request id (or code) appears next in the text.
    const anchor = fields.requestId ?? fields.code;
    const at = anchor ? text.indexOf(anchor, cursor) : -1;
    if (at !== -1) cursor = at + anchor!.length;
    const objStart = at === -1 ? -1 : text.lastIndexOf('{', at);
    bodies.push({ fields, line: objStart === -1 ? firstLine : lineAt(text, objStart, firstLine) });
  }
  return { bodies };
}

/** A block whose text (trimmed) opens and closes as one JSON document: what it holds. Null when it is not JSON. */
export function jsonBlock(text: string, firstLine: number): JsonContents | null {
  const trimmed = text.trim();
  const open = trimmed[0];
  if ((open !== '{' && open !== '[') || trimmed[trimmed.length - 1] !== (open === '{' ? '}' : ']')) return null;
  const doc = jsonValue(trimmed);
  return doc ? contentsOf(doc.value, text, firstLine) : null;
}

/** A whole input that is one JSON document (HAR, array of bodies…): what it holds. */
export function jsonDocument(text: string, firstLine: number): JsonContents | null {
  const t = text.trimStart();
  if (t[0] !== '{' && t[0] !== '[') return null;
  const doc = jsonValue(text); // null: not one document (NDJSON, truncated…): the line path recovers what it can
  return doc ? contentsOf(doc.value, text, firstLine) : null;
}

/** Largest JSON log line walked for a body embedded as a string. */
const MAX_EMBEDDED = 1 << 20;

/**
 * A JSON log line (pino, winston, bunyan, Python json loggers) whose DingTalk body is a
 * string inside it (`"msg":"{\"code\":…}"`, `"message":"failed: {…}"`): the fields of that
 * string. Read from the whole line, the log's own `message` key would shadow the body's.
 * Null when the line is not such a log line (the body is a real object, or no JSON at all).
 */
export function embeddedBody(text: string): Fields | null {
  const at = text.indexOf('{');
  if (at === -1 || text.length > MAX_EMBEDDED) return null;
  const candidate = text.slice(at).trim();
  if (!candidate.endsWith('}') || !hasEscapes(candidate)) return null;
  const doc = jsonValue(candidate)?.value;
  if (doc === undefined || errorObjects(doc).length > 0) return null;
  const leaves: string[] = [];
  const walk = (v: unknown, depth: number) => {
    if (typeof v === 'string') {
      if (hasTrigger(v)) leaves.push(v);
    } else if (depth < 8 && typeof v === 'object' && v !== null) for (const x of Object.values(v)) walk(x, depth + 1);
  };
  walk(doc, 0);
  for (const leaf of leaves) {
    const fields = extractFields(leaf);
    if (fields && (fields.code !== null || fields.requiredScopes.length > 0)) return fields;
  }
  return null;
}
