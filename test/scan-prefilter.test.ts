// The byte prefilter of `scopes scan` (src/scan/prefilter.ts) must accept exactly the files whose
// text holds one of the needles a hit needs: `dingtalk` in any ASCII case, 钉钉, /v1.0/, /v2.0/,
// /topapi/ — checked against the same rule written as regular expressions over the decoded text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contextPrefilter, mayMentionDingTalkBytes, mentionsDingTalkBytes } from '../src/scan/prefilter.js';

const reference = (text: string) => /dingtalk/i.test(text) || text.includes('钉钉') || /\/v[12]\.0\/|\/topapi\//.test(text);

describe('scan byte prefilter', () => {
  it('finds each needle at the start, the end and inside real code', () => {
    for (const text of [
      'dingtalk',
      'import Client from "@alicloud/dingtalk/contact_1_0";',
      'use AlibabaCloud\\SDK\\Dingtalk\\Vcontact_1_0\\Dingtalk;',
      'const KEY = process.env.DINGTALK_APP_KEY',
      "axios.get('/v1.0/contact/users/' + id)",
      'x = "/v2.0/calendar"',
      "fetch(base + '/topapi/v2/user/get')",
      '// 钉钉机器人',
    ]) {
      expect(mayMentionDingTalkBytes(Buffer.from(text)), text).toBe(true);
    }
    for (const text of ['', 'k', 'ingtalk', 'dingtal', 'ding talk', 'd1ngtalk', '/v1.0', 'v1.0/', '/V1.0/', '/topapi', '/TOPAPI/', '钉', '钉 钉', 'oapi is not enough alone', '/v3.0/x']) {
      expect(mayMentionDingTalkBytes(Buffer.from(text)), text).toBe(false);
    }
  });

  it('agrees with the rule on random text built from pieces of the needles', () => {
    const piece = fc.constantFrom('d', 'D', 'ing', 'ING', 'iNg', 't', 'T', 'al', 'AL', 'k', 'K', '/', 'v', 'V', '1', '2', '.', '0', 'top', 'api', '钉', '钉钉', 'é', ' ', '\n', '\u0000', 'x');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        expect(mayMentionDingTalkBytes(Buffer.from(text))).toBe(reference(text));
      }),
      { numRuns: 5000 },
    );
  });

  it("finds a file's DingTalk context exactly where extract.ts's own pattern over the decoded text does", () => {
    // K (Kelvin sign), ı (dotless i) and ſ: case folds outside ASCII that a u-flag pattern would make
    const piece = fc.constantFrom('d', 'D', 'ing', 'ıng', 'ING', 't', 'T', 'al', 'AL', 'k', 'K', '\u212a', 'ſ', '钉', '钉钉', '/v1.0/', ' ', '\u00ff', 'x');
    const context = /dingtalk|钉钉/i; // extract.ts's CONTEXT
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const text = pieces.join('');
        const bytes = Buffer.from(text);
        expect(mentionsDingTalkBytes(bytes)).toBe(context.test(text));
        const prefilter = contextPrefilter();
        expect(prefilter.pass(bytes)).toBe(mayMentionDingTalkBytes(bytes));
        if (prefilter.pass(bytes)) expect(prefilter.context()).toBe(context.test(text));
      }),
      { numRuns: 5000 },
    );
  });
});
