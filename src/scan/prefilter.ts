/**
 * The first test of `scopes scan` on every file, on its raw bytes: can it hold a hit at all?
 * About 93 % of a real tree cannot, and those files are then never decoded to a string (decoding
 * cost more than reading them). A file can yield a hit only through one of these, so it is a
 * candidate exactly when it contains one (extract.ts's patterns, resolve.ts's hosts):
 *   - `dingtalk` in any ASCII case: every DingTalk host (api/oapi.dingtalk.com), every SDK import
 *     (@alicloud/dingtalk, com.aliyun.dingtalk…, AlibabaCloud\SDK\Dingtalk…), and the context
 *     that admits bare legacy paths (`/chat/get`);
 *   - `钉钉`: the other context word;
 *   - `/v1.0/`, `/v2.0/`, `/topapi/`: the host-less paths extract.ts matches (case-sensitive there too).
 * Each is found from a rare anchor byte with Buffer.indexOf (a memchr: `k` is ~0.4 % of source
 * bytes, `/` ~0.7 %) and checked around it; searching the longer needles directly was 3–5× slower.
 */

const DINGTAL = Buffer.from('dingtal');
const ZH = Buffer.from('钉钉');

/** `dingtalk` in any ASCII case, anchored on its last letter. */
function hasDingTalk(bytes: Buffer): boolean {
  for (const k of [0x6b /* k */, 0x4b /* K */]) {
    for (let at = bytes.indexOf(k, DINGTAL.length); at !== -1; at = bytes.indexOf(k, at + 1)) {
      let i = 0;
      // `| 0x20` lower-cases an ASCII letter; only D/d (and so on) give the lower-case letter
      while (i < DINGTAL.length && ((bytes[at - DINGTAL.length + i] as number) | 0x20) === DINGTAL[i]) i++;
      if (i === DINGTAL.length) return true;
    }
  }
  return false;
}

const startsAt = (bytes: Buffer, at: number, text: string) => {
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
};

/** `/v1.0/`, `/v2.0/` or `/topapi/`, anchored on the first slash. */
function hasApiPath(bytes: Buffer): boolean {
  for (let at = bytes.indexOf(0x2f /* / */); at !== -1; at = bytes.indexOf(0x2f, at + 1)) {
    const next = bytes[at + 1];
    if (next === 0x76 /* v */ ? startsAt(bytes, at + 1, 'v1.0/') || startsAt(bytes, at + 1, 'v2.0/') : next === 0x74 /* t */ && startsAt(bytes, at + 1, 'topapi/')) return true;
  }
  return false;
}

function hasZh(bytes: Buffer): boolean {
  for (let at = bytes.indexOf(ZH[0] as number); at !== -1; at = bytes.indexOf(ZH[0] as number, at + 1)) {
    if (bytes.subarray(at, at + ZH.length).equals(ZH)) return true;
  }
  return false;
}

/**
 * `dingtalk` in any ASCII case, or 钉钉: what extract.ts calls the file's DingTalk context (its
 * /dingtalk|钉钉/i on the decoded text: without the u flag, i folds ASCII letters only).
 */
export function mentionsDingTalkBytes(bytes: Buffer): boolean {
  return hasDingTalk(bytes) || hasZh(bytes);
}

/** Whether a file's bytes can hold anything `scopes scan` reports (see above); false means skip it undecoded. */
export function mayMentionDingTalkBytes(bytes: Buffer): boolean {
  return mentionsDingTalkBytes(bytes) || hasApiPath(bytes);
}

/**
 * The scan's prefilter, remembering the DingTalk context of the last file it let through (the
 * walker visits a file right after its prefilter passed), so extract.ts need not search the text again.
 */
export function contextPrefilter(): { pass: (bytes: Buffer) => boolean; context: () => boolean } {
  let context = false;
  return {
    pass: (bytes) => (context = mentionsDingTalkBytes(bytes)) || hasApiPath(bytes),
    context: () => context,
  };
}
