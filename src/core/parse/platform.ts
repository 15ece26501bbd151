/**
 * Platform evidence in a record's text: WeCom, WeChat, QQ bots, Feishu/Lark and Slack reuse DingTalk's
 * error numbers and wordings (WeCom answers 60011, 60020, 40014, 48002 in English; QQ bots say 接口访问源IP
 * 不在白名单; Feishu 应用尚未开通所需的应用身份权限), so the platform is read from hosts, SDK names and exact
 * wordings, never from a number. Pure: the decision (which needs the error table) is in core/platform.ts.
 */
import type { Evidence } from '../types.js';

type Rule = [RegExp, Evidence['kind'], Evidence['platform']];

/** Each rule's first capture (or whole match) is the evidence's value. Hosts take at most 4 labels before the domain (linear). */
const RULES: Rule[] = [
  // --- DingTalk (hosts of its APIs, docs and console; its SDKs; its own error vocabulary)
  [/(?<![\w.-])((?:[\w-]+\.){0,4}dingtalk\.(?:com|io))\b/i, 'host', 'dingtalk'],
  [/(@alicloud\/dingtalk|alibabacloud_dingtalk|com\.aliyun\.dingtalk|alibabacloud-go\/dingtalk|AlibabaCloud\\+SDK\\+Dingtalk|AlibabaCloud\.SDK\.Dingtalk|com\.dingtalk\.api|\bDingTalk\w*(?:Exception|Error)\b)/, 'sdk', 'dingtalk'],
  [/(?<![\w.])(Forbidden\.AccessDenied(?:\.[A-Za-z]\w*)*)/, 'code', 'dingtalk'],
  [/(requiredScopes|accessdenieddetail|ding talk error\[)/i, 'field', 'dingtalk'],
  // --- WeCom (企业微信): its hosts, WxJava's cp module, wechatpy's enterprise client
  [/\b((?:open\.work|qyapi|developer\.work|work)\.weixin\.qq\.com)\b/i, 'host', 'wecom'],
  [/(me\.chanjar\.weixin\.cp|wechatpy[\\/.]enterprise|\bWxCp\w+)/, 'sdk', 'wecom'],
  // --- WeChat (公众号/小程序)
  [/\b((?:api|mp|open)\.weixin\.qq\.com)\b/i, 'host', 'wechat'],
  [/(me\.chanjar\.weixin|binarywang|\bWxJava\b|wechatpy|WeChatClientException|EasyWeChat|overtrue[\\/]wechat|WechatWork Error)/, 'sdk', 'wechat'],
  // WeChat-family errmsgs end with `hint: [<id>]` (and `rid: …`); DingTalk's never do.
  [/(\bhint: \[[\w.!-]+\])/, 'wording', 'wechat'],
  // --- QQ bots
  [/\b((?:api\.sgroup|sandbox\.api\.sgroup|bots|q)\.qq\.com)\b/i, 'host', 'qq'],
  [/(\[botpy\]|\[qqbot[\w:-]*\]|QQGuildApiException|love\.forte\.simbot\.qguild)/, 'sdk', 'qq'],
  [/(接口访问源IP不在白名单)/, 'wording', 'qq'],
  // --- Feishu / Lark
  [/(?<![\w.-])((?:[\w-]+\.){0,4}(?:feishu\.cn|larksuite\.com|larkoffice\.com))\b/i, 'host', 'feishu'],
  [/(@larksuiteoapi\/\w+|lark_oapi|larksuite\/oapi-sdk|com\.lark\.oapi)/, 'sdk', 'feishu'],
  // Feishu's scope errors: 应用尚未开通所需的应用身份权限 / 用户身份权限 (DingTalk's reads 应用尚未开通所需的权限).
  [/(应用尚未开通所需的(?:应用|用户)身份权限|One of the following scopes is required)/, 'wording', 'feishu'],
  // --- Slack
  [/(?<![\w.-])((?:[\w-]+\.){0,4}slack\.com)\b/i, 'host', 'slack'],
  [/(@slack\/web-api|@slack\/bolt|slack_sdk|slack_bolt|slacker\.Error)/, 'sdk', 'slack'],
];

/** Every platform fact in `text`, at most one per rule, in rule order (DingTalk's first). */
export function evidenceIn(text: string): Evidence[] {
  const out: Evidence[] = [];
  for (const [re, kind, platform] of RULES) {
    const m = re.exec(text);
    if (m) out.push({ kind, value: m[1] ?? m[0], platform });
  }
  return out;
}

export const isForeign = (e: Evidence) => e.platform !== 'dingtalk';
