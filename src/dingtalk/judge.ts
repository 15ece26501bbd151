/** The diagnose pipeline's functions, as `check` and replay use them. */
import type { Judge } from '../core/check.js';
import { classifyDenial } from '../core/classify.js';
import { parseResponse } from '../core/parse/index.js';

export const judge: Judge = { parseResponse, classifyDenial };
