/** The pure half of `check`: planning from the catalog, judging probe answers, summary and exit code. */
import { describe, expect, it } from 'vitest';
import { getCatalog } from '../src/catalog/index.js';
import { checkExitCode, evaluateProbe, planChecks, summarize, type AppCheck, type ProbeAnswer } from '../src/core/check.js';

const probe = { api: 'contact_1.0/GetUser', host: 'api.dingtalk.com' as const, method: 'GET', path: '/v1.0/contact/users/0' };
const answer = (status: number, body: unknown, extra: Partial<ProbeAnswer> = {}): ProbeAnswer => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status, text, json, contentType: 'application/json', location: null, attempts: 1, ...extra };
};

describe('planChecks', () => {
  it('scopes and APIs, deduplicated, in order; unknown codes get suggestions; unmapped APIs listed', () => {
    const plan = planChecks(['Contact.User.Read', 'GET /v1.0/contact/users/{userId}', 'contact.user.read', 'Contact.Usr.Read', 'GET /v9.9/none'], getCatalog());
    expect(plan.scopes.map((s) => s.scope)).toEqual(['Contact.User.Read', 'Contact.Usr.Read']);
    expect(plan.scopes[0]!.from).toEqual(['Contact.User.Read', 'GET /v1.0/contact/users/{userId}', 'contact.user.read']);
    expect(plan.scopes[1]!.unknown).toBe(true);
    expect(plan.scopes[1]!.suggestions).toContain('Contact.User.Read');
    expect(plan.unmappedApis).toEqual(['GET /v9.9/none']);
  });
});

describe('evaluateProbe', () => {
  it('403 naming the scope = missing; 400 for the dummy id = granted', () => {
    const denied = { requestid: 'R', code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', message: '应用尚未开通所需的权限：[Contact.User.Read]', accessdenieddetail: { requiredScopes: ['Contact.User.Read'] } };
    expect(evaluateProbe('Contact.User.Read', probe, answer(403, denied)).status).toBe('missing');
    expect(evaluateProbe('Contact.User.Read', probe, answer(400, { code: 'InvalidParameter', message: 'x' })).status).toBe('granted');
  });

  it('403 naming another scope does not say the probed one is missing', () => {
    const v = evaluateProbe('Contact.User.Read', probe, answer(403, { code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', accessdenieddetail: { requiredScopes: ['Other.Scope'] } }));
    expect(v.status).toBe('unverifiable');
  });

  it('legacy: HTTP 200 with errcode 88 / sub_code 60011 = missing', () => {
    const legacyProbe = { ...probe, host: 'oapi.dingtalk.com' as const, path: '/topapi/role/getrolegroup', method: 'POST' };
    const body = { errcode: 88, sub_code: '60011', sub_msg: '应用尚未开通所需的权限：[qyapi_get_department_list]', errmsg: 'ding talk error[subcode=60011,submsg=应用尚未开通所需的权限：[qyapi_get_department_list]]' };
    expect(evaluateProbe('qyapi_get_department_list', legacyProbe, answer(200, body)).status).toBe('missing');
  });

  it('IP allow-list and rate limits are app-wide denials, not missing scopes', () => {
    const ip = evaluateProbe('Contact.User.Read', probe, answer(403, { code: 'Forbidden.AccessDenied.IpNotInWhiteList', message: '访问ip不在白名单之中' }));
    expect(ip).toMatchObject({ status: 'error', appDenial: { cause: 'ip-not-allowed' } });
    const qps = evaluateProbe('Contact.User.Read', probe, answer(403, { code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi' }));
    expect(qps.appDenial?.cause).toBe('throttled');
  });

  it('non-JSON, redirects, 5xx and API-not-found never count as granted', () => {
    expect(evaluateProbe('X', probe, answer(502, '<html>bad gateway</html>', { contentType: 'text/html' })).status).toBe('error');
    expect(evaluateProbe('X', probe, answer(302, '', { location: 'https://elsewhere.example/' })).status).toBe('error');
    expect(evaluateProbe('X', probe, answer(500, { code: 'InternalError' }, { attempts: 4 })).status).toBe('error');
    expect(evaluateProbe('X', probe, answer(404, { code: 'InvalidAction.NotFound', message: 'Specified api is not found' })).status).toBe('unverifiable');
    expect(evaluateProbe('X', probe, answer(404, { errcode: 404, errmsg: 'not found' })).status).toBe('unverifiable');
  });
});

describe('summary and exit code', () => {
  const app = (name: string, statuses: string[], error?: AppCheck['error']): AppCheck => ({
    name,
    type: 'internal',
    appKey: null,
    unmappedApis: [],
    results: statuses.map((status, i) => ({ scope: `S${i}`, name: { zh: null, en: null }, status: status as 'granted', kind: 'unknown', base: false, sensitive: false, probe: null, detail: '', source: 'probe' as const })),
    ...(error ? { error } : {}),
  });

  it('0 all granted (unverifiable does not fail), 1 missing or a denial, 3 token/network', () => {
    expect(checkExitCode([app('a', ['granted', 'unverifiable'])])).toBe(0);
    expect(checkExitCode([app('a', ['granted', 'missing'])])).toBe(1);
    expect(checkExitCode([app('a', ['error'], { cause: 'ip-not-allowed', code: null, message: '', steps: [] })])).toBe(1);
    expect(checkExitCode([app('a', ['missing']), app('b', ['error'], { cause: 'token-failed', code: 'x', message: '', steps: [] })])).toBe(3);
    expect(checkExitCode([app('a', ['granted', 'error'])])).toBe(3);
    expect(summarize([app('a', ['granted', 'missing', 'unverifiable', 'error'])])).toEqual({ missing: [{ app: 'a', scope: 'S1' }], granted: 1, unverifiable: 1, errors: 1, unverified: [{ app: 'a', scope: 'S2', detail: '' }] });
  });

  it('--fail-on unverifiable: an untested scope or unmapped API fails (1); the default does not', () => {
    expect(checkExitCode([app('a', ['granted', 'unverifiable'])], 'unverifiable')).toBe(1);
    expect(checkExitCode([{ ...app('a', ['granted']), unmappedApis: [{ api: 'GET /x', detail: 'd' }] }], 'unverifiable')).toBe(1);
    expect(checkExitCode([{ ...app('a', ['granted']), unmappedApis: [{ api: 'GET /x', detail: 'd' }] }])).toBe(0);
    expect(checkExitCode([app('a', ['granted'])], 'unverifiable')).toBe(0);
    // a transport failure still says 3
    expect(checkExitCode([app('a', ['unverifiable']), app('b', ['error'], { cause: 'network', code: null, message: '', steps: [] })], 'unverifiable')).toBe(3);
  });

  it('the counts are the rows: three error rows under an app error are three errors; an app error without rows is one', () => {
    const denied = { cause: 'ip-not-allowed' as const, code: null, message: '', steps: [] };
    expect(summarize([app('a', ['error', 'error', 'error'], denied)]).errors).toBe(3);
    expect(summarize([app('a', ['granted'], denied)]).errors).toBe(1);
    expect(summarize([{ ...app('a', []), unmappedApis: [{ api: 'GET /x', detail: 'd' }] }])).toMatchObject({ unverifiable: 1, unverified: [{ app: 'a', scope: 'GET /x', detail: 'd' }] });
  });
});

describe('summary lines', () => {
  const summary = { missing: [], granted: 2, unverifiable: 0, errors: 1, unverified: [] };
  const opts = { format: 'text', color: false, quiet: false, verbose: false, lang: 'en', ci: false, spinner: false } as const;
  it('say "1 error", not "1 errors", in every format', async () => {
    const { renderCheckText, renderCheckMarkdown, renderCheckGithub } = await import('../src/render/check.js');
    for (const render of [renderCheckText, renderCheckMarkdown, renderCheckGithub]) {
      const out = render([], summary, opts);
      expect(out).toMatch(/0 missing, 2 granted, 0 unverifiable, 1 error$/);
    }
    expect(renderCheckMarkdown([], { ...summary, errors: 2 }, opts)).toMatch(/2 errors$/);
  });
});
