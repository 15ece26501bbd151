/**
 * Platform evidence in a record's text: WeCom, WeChat, QQ bots, Feishu/Lark and Slack reuse DingTalk's
 * error numbers and wordings (WeCom answers 60011, 60020, 40014, 48002 in English; QQ bots say 接口访问源IP
 * 不在白名单; Feishu 应用尚未开通所需的应用身份权限), so the platform is read from hosts, SDK names and exact
 * wordings, never from a number. Pure: the decision (which needs the error table) is in core/platform.ts.
 */
import type { Evidence } from '../types.js';
import { anyCase, hasAnyOf, once, type GuardedPattern } from '../../values.js';

/**
 * A pattern, the words it cannot match without (lower case: the text is lower-cased once, which
 * keeps every word a pattern's `i` flag would find), and what a match is evidence of. A rule is
 * run only on a text with one of its words: a pattern never run is never compiled (V8 compiles
 * one at its first use, ≈ 0.1 ms each), nor made (see once: V8 parses a literal when it is evaluated).
 */
type Rule = [() => RegExp, readonly string[], Evidence['kind'], Evidence['platform']];

// The two DingTalk rules nearly every DingTalk text runs, with their words in both cases instead of `i`
// (see anyCase; test/pattern-words.test.ts holds them to what `i` would match).
const DINGTALK_HOST = once(() => new RegExp(String.raw`(?<![\w.-])((?:[\w-]+\.){0,4}${anyCase('dingtalk')}\.(?:${anyCase('com')}|${anyCase('io')}))\b`));
const DINGTALK_FIELD = once(() => new RegExp(`(${anyCase('requiredScopes|accessdenieddetail|ding talk error')}\\[)`));
export const caselessRulePatterns = (): readonly RegExp[] => [DINGTALK_HOST(), DINGTALK_FIELD()];

/** Each rule's first capture (or whole match) is the evidence's value. Hosts take at most 4 labels before the domain (linear). */
const RULES: Rule[] = [
  // --- DingTalk (hosts of its APIs, docs and console; its SDKs; its own error vocabulary)
  [DINGTALK_HOST, ['dingtalk.'], 'host', 'dingtalk'],
  [once(() => /(@alicloud\/dingtalk|alibabacloud_dingtalk|com\.aliyun\.dingtalk|alibabacloud-go\/dingtalk|AlibabaCloud\\+SDK\\+Dingtalk|AlibabaCloud\.SDK\.Dingtalk|com\.dingtalk\.api|\bDingTalk\w*(?:Exception|Error)\b)/),
    // a package name, or the Exception/Error a DingTalk class name ends in: a text that only links open.dingtalk.com runs none
    ['@alicloud/dingtalk', 'alibabacloud_dingtalk', 'com.aliyun.dingtalk', 'alibabacloud-go/dingtalk', 'alibabacloud\\', 'alibabacloud.sdk.dingtalk', 'com.dingtalk.api', 'exception', 'error'], 'sdk', 'dingtalk'],
  [once(() => /(?<![\w.])(Forbidden\.AccessDenied(?:\.[A-Za-z]\w*)*)/), ['forbidden.accessdenied'], 'code', 'dingtalk'],
  [DINGTALK_FIELD, ['requiredscopes', 'accessdenieddetail', 'ding talk error['], 'field', 'dingtalk'],
  // --- WeCom (企业微信): its hosts, WxJava's cp module, wechatpy's enterprise client
  [once(() => /\b((?:open\.work|qyapi|developer\.work|work)\.weixin\.qq\.com)\b/i), ['weixin.qq.com'], 'host', 'wecom'],
  [once(() => /(me\.chanjar\.weixin\.cp|wechatpy[\\/.]enterprise|\bWxCp\w+)/), ['me.chanjar.weixin.cp', 'wechatpy', 'wxcp'], 'sdk', 'wecom'],
  // --- WeChat (公众号/小程序)
  [once(() => /\b((?:api|mp|open)\.weixin\.qq\.com)\b/i), ['weixin.qq.com'], 'host', 'wechat'],
  [once(() => /(me\.chanjar\.weixin|binarywang|\bWxJava\b|wechatpy|WeChatClientException|EasyWeChat|overtrue[\\/]wechat|WechatWork Error)/),
    ['me.chanjar.weixin', 'binarywang', 'wxjava', 'wechatpy', 'wechatclientexception', 'easywechat', 'overtrue', 'wechatwork error'], 'sdk', 'wechat'],
  // WeChat-family errmsgs end with `hint: [<id>]` (and `rid: …`); DingTalk's never do.
  [once(() => /(\bhint: \[[\w.!-]+\])/), ['hint: ['], 'wording', 'wechat'],
  // --- QQ bots
  [once(() => /\b((?:api\.sgroup|sandbox\.api\.sgroup|bots|q)\.qq\.com)\b/i), ['qq.com'], 'host', 'qq'],
  [once(() => /(\[botpy\]|\[qqbot[\w:-]*\]|QQGuildApiException|love\.forte\.simbot\.qguild)/), ['[botpy]', '[qqbot', 'qqguildapiexception', 'love.forte.simbot.qguild'], 'sdk', 'qq'],
  [once(() => /(接口访问源IP不在白名单)/), ['接口访问源ip不在白名单'], 'wording', 'qq'],
  // --- Feishu / Lark
  [once(() => /(?<![\w.-])((?:[\w-]+\.){0,4}(?:feishu\.cn|larksuite\.com|larkoffice\.com))\b/i), ['feishu.cn', 'larksuite.com', 'larkoffice.com'], 'host', 'feishu'],
  [once(() => /(@larksuiteoapi\/\w+|lark_oapi|larksuite\/oapi-sdk|com\.lark\.oapi)/), ['@larksuiteoapi/', 'lark_oapi', 'larksuite/oapi-sdk', 'com.lark.oapi'], 'sdk', 'feishu'],
  // Feishu's scope errors: 应用尚未开通所需的应用身份权限 / 用户身份权限 (DingTalk's reads 应用尚未开通所需的权限).
  [once(() => /(应用尚未开通所需的(?:应用|用户)身份权限|One of the following scopes is required)/), ['应用尚未开通所需的', 'one of the following scopes is required'], 'wording', 'feishu'],
  // --- Slack
  [once(() => /(?<![\w.-])((?:[\w-]+\.){0,4}slack\.com)\b/i), ['slack.com'], 'host', 'slack'],
  [once(() => /(@slack\/web-api|@slack\/bolt|slack_sdk|slack_bolt|slacker\.Error)/), ['@slack/web-api', '@slack/bolt', 'slack_sdk', 'slack_bolt', 'slacker.error'], 'sdk', 'slack'],
];

/** Every platform fact in `text`, at most one per rule, in rule order (DingTalk's first). */
export function evidenceIn(text: string, lower = text.toLowerCase()): Evidence[] {
  const out: Evidence[] = [];
  for (const [re, words, kind, platform] of RULES) {
    const m = hasAnyOf(lower, words) ? re().exec(text) : null;
    if (m) out.push({ kind, value: m[1] ?? m[0], platform });
  }
  return out;
}

/** The rules' patterns with their words, for the test that each pattern needs one of its words. */
export const platformPatterns = (): readonly GuardedPattern[] => RULES.map(([re, words]) => [re(), words]);

export const isForeign = (e: Evidence) => e.platform !== 'dingtalk';
