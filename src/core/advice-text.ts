/**
 * What to tell the user, in English or Chinese: how to request a scope (by kind and
 * app type), the Developer Console link, and the fix for every Cause.
 * Texts follow DingTalk's own procedures (../shared/docs/dingtalk-facts.md §1, §6).
 * Pure: no I/O. Used by diagnose, `scopes show` and `check`.
 */
import type { AppType, Cause, ScopeKind } from './types.js';

export type Lang = 'en' | 'zh';

/** The facts about a scope the steps depend on (a catalog ScopeInfo fits). */
export interface ScopeFacts {
  code: string;
  kind: ScopeKind;
  /** Granted to every app of its type by default (qyapi_base, isvapi_base, …). */
  base?: boolean;
  /** DingTalk's sensitive scopes (qyapi_manage_addresslist, Notable.Base.*): support + unified authorization kit. */
  sensitive?: boolean;
}

export interface AdviceContext {
  appType?: AppType | null;
  appKey?: string | null;
  lang: Lang;
}

export const CONSOLE_APPS_INTERNAL = 'https://open-dev.dingtalk.com/fe/app#/corp/app';
export const CONSOLE_APPS_ISV = 'https://open-dev.dingtalk.com/fe/app#/isv/app';
export const DOC_ADD_PERMISSION = 'https://open.dingtalk.com/document/orgapp-server/add-api-permission';
export const DOC_SENSITIVE = 'https://open.dingtalk.com/document/development/use-sensitive-permissions';

/**
 * What DingTalk's sensitive-permission table (DOC_SENSITIVE) says per scope: who may grant it in
 * each organization, and whether new applications are accepted at all ("暂不支持新增申请").
 */
const SENSITIVE_NOTES: Record<string, { granter?: { en: string; zh: string }; closed?: boolean }> = {
  qyapi_manage_addresslist: { granter: { en: 'only a whole-organization contacts admin', zh: '全组织通讯录管理员' } },
  'Notable.Base.Read': { closed: true },
  'Notable.Base.Write': { closed: true },
};

const isThirdParty = (t: AppType | null | undefined) => t === 'third-party-enterprise' || t === 'third-party-personal';

/**
 * Developer Console link: the per-app apply link for one scope when the app key is
 * known (the form DingTalk's own error messages carry), else the app list for the app type.
 */
export function consoleUrl(opts: { appKey?: string | null; scope?: string | null; appType?: AppType | null } = {}): string {
  if (opts.appKey && opts.scope) {
    return `https://open-dev.dingtalk.com/appscope/apply?content=${encodeURIComponent(opts.appKey)}%23${encodeURIComponent(opts.scope)}`;
  }
  return isThirdParty(opts.appType) ? CONSOLE_APPS_ISV : CONSOLE_APPS_INTERNAL;
}

function appName(ctx: AdviceContext): string {
  if (ctx.lang === 'zh') return ctx.appKey ? `应用（AppKey ${ctx.appKey}）` : '该应用';
  return ctx.appKey ? `the app (AppKey ${ctx.appKey})` : 'the app';
}

/** Steps to get `scope` granted to the app, in order. */
export function requestSteps(scope: ScopeFacts, ctx: AdviceContext): string[] {
  const zh = ctx.lang === 'zh';
  const app = appName(ctx);
  const link = consoleUrl({ appKey: ctx.appKey, scope: scope.code, appType: ctx.appType });
  const steps: string[] = [];

  if (scope.base) {
    steps.push(
      zh
        ? `${scope.code} 是基础权限，该类型的应用默认拥有，无需申请。若仍被拒绝，请确认调用用的是该应用的 access_token，且应用类型与接口要求一致。`
        : `${scope.code} is a base permission: every app of this type has it by default, there is nothing to request. If the call is still refused, check that the access token belongs to this app and that the app type fits the API.`,
    );
    return steps;
  }

  if (scope.sensitive) {
    const note = SENSITIVE_NOTES[scope.code];
    steps.push(
      zh
        ? `${scope.code} 是敏感权限：安装应用不会自动授予，授予前调用一律返回 403。`
        : `${scope.code} is a sensitive permission: installing the app never grants it; until it is granted every call returns 403.`,
      zh
        ? `开发者所在组织联系钉钉技术支持，为 ${app} 开通该权限${note?.closed ? '（该权限目前暂不支持新增申请）' : ''}。`
        : `The developer organization asks DingTalk support to open the scope for ${app}${note?.closed ? ' (DingTalk currently accepts no new applications for this scope)' : ''}.`,
      zh
        ? `应用接入钉钉统一授权套件；每个使用该应用的组织，由${note?.granter?.zh ?? '具有指定角色的管理员'}通过授权套件授予该权限。`
        : `Integrate DingTalk's unified authorization kit; in each organization using the app, ${note?.granter?.en ?? 'an admin holding the named role'} grants the scope through it.`,
      zh ? `说明：${DOC_SENSITIVE}` : `Details: ${DOC_SENSITIVE}`,
    );
  } else if (scope.kind === 'special') {
    steps.push(
      zh
        ? `以组织管理员身份登录开发者后台：${link}`
        : `Sign in to the Developer Console as an Admin of the organization: ${link}`,
      zh
        ? `打开${app} → 权限管理 → 搜索 ${scope.code} → 申请权限，填写申请说明（为什么需要）后提交。`
        : `Open ${app} → Manage permissions (权限管理) → search ${scope.code} → Request permission (申请权限), write a request description (why the app needs it), submit.`,
      zh
        ? '由负责该接口的钉钉团队审核，通常约一个工作日；通过后权限状态变为"已开通"（Enabled）。'
        : 'The DingTalk team owning the API reviews it, usually within about one business day; then the status becomes Enabled.',
      zh
        ? '若被拒绝：在申请记录中将鼠标悬停于"审核不通过"（Review Failed）查看原因，完善说明后重新提交。'
        : 'If declined: in the Requests list hover "Review Failed" to read the reason, improve the description and resubmit.',
    );
  } else {
    steps.push(
      zh ? `登录开发者后台：${link}` : `Sign in to the Developer Console: ${link}`,
      zh
        ? `打开${app} → 权限管理 → 搜索 ${scope.code} → 申请权限。`
        : `Open ${app} → Manage permissions (权限管理) → search ${scope.code} → Request permission (申请权限).`,
    );
    if (scope.kind === 'unknown') {
      steps.push(
        zh
          ? '目录中没有该权限的类型。若搜索不到该权限，或无法直接申请，它属于特殊权限：以管理员身份登录、填写申请说明提交，等待钉钉审核（约一个工作日）。'
          : 'The catalog does not know this scope\'s kind. If it does not show up or cannot be requested directly, it is a special permission: sign in as an Admin, request it with a written description, and wait for DingTalk\'s review (about one business day).',
      );
    }
  }

  // Sensitive scopes: the per-organization grant through the authorization kit is step 3 already.
  if (ctx.appType === 'third-party-enterprise' && !scope.sensitive) {
    steps.push(
      zh
        ? '第三方企业应用：权限审批通过后，每个客户组织的管理员都要重新授权（同意）应用，新权限才会在该组织生效。'
        : 'Third-party enterprise app: after approval, each customer organization\'s admin must re-authorize (consent to) the app before the new scope works there.',
    );
  }
  steps.push(
    zh
      ? '权限按应用授予：同一组织的每个应用都要分别申请。'
      : 'Permissions are per app: each app of the organization requests the scope separately.',
  );
  return steps;
}

export interface FixContext extends AdviceContext {
  /** The caller's egress IP the error carried (60020 / IpNotInWhiteList). */
  callerIp?: string | null;
  /** DingTalk's explanation of the error code, when known. */
  explanation?: string | null;
  /** Which flag would let the tool name the scope (missing-scope without a scope). */
  missingApi?: boolean;
}

/** Fix text per cause (for missing-scope with scopes named, use requestSteps per scope). */
export function fixFor(cause: Cause, ctx: FixContext): string[] {
  const zh = ctx.lang === 'zh';
  const apps = consoleUrl({ appType: ctx.appType });
  const isv = ctx.appType === 'third-party-enterprise' || ctx.appType === 'third-party-personal';
  switch (cause) {
    case 'missing-scope':
      return zh
        ? [
            '应用缺少调用该接口所需的权限，但错误中没有写明是哪个权限。',
            ctx.missingApi === false
              ? '目录中没有该接口对应的权限：请在接口文档的"权限要求"一节查找权限码。'
              : '加上 --api "METHOD /path"（失败的接口，如 --api "POST /topapi/v2/user/get"）可以从目录中查出所需权限；或在接口文档的"权限要求"一节查找。',
            `在开发者后台 → 应用 → 权限管理 中搜索该权限码并申请：${apps}`,
            '权限按应用授予：同一组织的每个应用都要分别申请。',
          ]
        : [
            'The app lacks the permission this API needs, but the error does not name the scope.',
            ctx.missingApi === false
              ? 'The catalog has no scope for this API: look up the scope code in the Permissions section of the API document.'
              : 'Pass --api "METHOD /path" (the failing API, e.g. --api "POST /topapi/v2/user/get") to name the scope from the catalog, or look it up in the Permissions section of the API document.',
            `Request it in the Developer Console → the app → Manage permissions (权限管理): ${apps}`,
            'Permissions are per app: each app of the organization requests the scope separately.',
          ];
    case 'ip-not-allowed': {
      const ip = ctx.callerIp ?? null;
      if (zh) {
        return [
          ip ? `服务器出口 IP ${ip} 不在应用的服务器出口 IP 白名单中。` : '调用方的服务器出口 IP 不在应用的 IP 白名单中。',
          isv
            ? `在开发者后台把${ip ? ` ${ip}` : '出口 IP'} 加入第三方应用（套件）的 IP 白名单：${apps}`
            : `在开发者后台 → 应用 → 开发管理 → 服务器出口 IP 中添加${ip ? ` ${ip}` : '实际的出口 IP'}：${apps}`,
          '若出口 IP 会变化（NAT、云函数），请使用固定出口 IP。',
        ];
      }
      return [
        ip ? `The server's egress IP ${ip} is not in the app's server IP allow-list.` : "The caller's egress IP is not in the app's server IP allow-list.",
        isv
          ? `Add ${ip ?? 'the egress IP'} to the third-party app's (suite's) IP allow-list in the Developer Console: ${apps}`
          : `Add ${ip ?? 'the real egress IP'} under the app → Development management → Server egress IP in the Developer Console: ${apps}`,
        'If the egress IP changes (NAT, serverless), route the calls through a fixed egress IP.',
      ];
    }
    case 'org-auth-level':
      return zh
        ? ['该组织的钉钉认证等级不够（部分接口要求企业完成实名/高级认证）。', '由组织管理员在钉钉管理后台完成组织认证后重试；或改用不要求认证的接口。']
        : [
            "The organization's DingTalk authentication level is too low (some APIs need a real-name / advanced authenticated organization).",
            "Have the organization's admin complete the organization authentication in the DingTalk admin console, then retry; or use an API that does not need it.",
          ];
    case 'throttled':
      return zh
        ? ['调用被限流：该应用对该接口的请求暂时被拒绝。', '降低调用频率（QPS/QPM），失败时指数退避重试，能批量的接口用批量。']
        : [
            "The call was rate-limited: requests of this app to this API are refused for a while.",
            'Lower the call rate (QPS/QPM), retry with exponential back-off, and batch where the API allows it.',
          ];
    case 'invalid-token':
      return zh
        ? [
            'access_token 缺失、不合法或已过期（有效期 7200 秒）。',
            '用应用自己的 AppKey/AppSecret 重新获取 token 并在过期前刷新；新版接口放在请求头 x-acs-dingtalk-access-token 中，旧版 oapi 接口放在 URL 参数 access_token 中。',
          ]
        : [
            'The access token is missing, invalid or expired (tokens last 7200 s).',
            "Get a fresh token with this app's AppKey/AppSecret and refresh it before it expires; new APIs take it in the x-acs-dingtalk-access-token header, legacy oapi APIs in the access_token query parameter.",
          ];
    case 'app-not-authorized':
      return zh
        ? [
            '应用未被授权：组织没有安装/授权该应用，或授权已失效。',
            isv ? '请客户组织的管理员安装（或重新授权）该第三方应用，再用该组织的 corpId 获取 token。' : '确认应用已发布并在组织内可用，token 属于同一组织。',
          ]
        : [
            'The app is not authorized: the organization has not installed/authorized it, or the authorization lapsed.',
            isv
              ? "Have the customer organization's admin install (or re-authorize) the third-party app, then get the token for that organization's corpId."
              : 'Check that the app is published and available in the organization, and that the token belongs to that organization.',
          ];
    case 'unknown-denial':
      return zh
        ? [
            '钉钉拒绝了该调用，但原因不是已知的类型。',
            ...(ctx.explanation ? [`钉钉的说明：${ctx.explanation}`] : []),
            `检查应用的权限、IP 白名单和授权状态：${apps}`,
          ]
        : [
            'DingTalk refused the call for a reason this tool does not recognise.',
            ...(ctx.explanation ? [`DingTalk's explanation: ${ctx.explanation}`] : []),
            `Check the app's permissions, IP allow-list and authorization in the Developer Console: ${apps}`,
          ];
    case 'other-error':
      return ctx.explanation
        ? [zh ? `钉钉的说明：${ctx.explanation}` : `DingTalk's explanation: ${ctx.explanation}`]
        : [zh ? '这不是权限问题；请对照接口文档检查请求参数。' : 'Not a permission problem; check the request against the API document.'];
  }
}
