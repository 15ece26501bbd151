/**
 * The dws adapter's readers (src/dingtalk/dws.ts) on the shapes of dws-permissions.md (dws commit
 * fcfead71): both spellings of a permission's grant (§7), both plausible answers of `permission add`
 * (§8 Unknowns), the environment dws gets, and where dws is looked for on PATH.
 */
import { chmodSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addResultOf, configEnvNames, dwsEnvironment, findDws, permissionOf } from '../src/dingtalk/dws.js';

describe('permissionOf', () => {
  it('the fixture spelling authStatus AUTHED/UNAUTHED (devapp_table_views_test.go:73) and the skill\'s authed boolean (permission.md:19-27)', () => {
    expect(permissionOf({ scopeValue: 'Contact.User.mobile', scopeName: '手机号码', authStatus: 'AUTHED' })).toEqual({ scope: 'Contact.User.mobile', name: '手机号码', granted: true, requiredApproval: null, canApply: null, message: null });
    expect(permissionOf({ scopeValue: 'Contact.User.read', scopeName: '通讯录读取', authStatus: 'UNAUTHED' })!.granted).toBe(false);
    expect(permissionOf({ scopeValue: 'X.Y', authed: true, requiredApproval: true, allowedActions: ['view', 'detail', 'apply'], displayMessage: '需审批' })).toEqual({ scope: 'X.Y', name: null, granted: true, requiredApproval: true, canApply: true, message: '需审批' });
    // Neither spelling, or an unknown status: not a verdict.
    expect(permissionOf({ scopeValue: 'X.Y', authedStatusDesc: '已开通' })!.granted).toBeNull();
    expect(permissionOf({ scopeValue: 'X.Y', authStatus: 'PENDING' })!.granted).toBeNull();
    expect(permissionOf({ scopeName: 'no value' })).toBeNull();
    expect(permissionOf('Contact.User.mobile')).toBeNull();
  });
});

describe('addResultOf', () => {
  it('per-scope lists like remove\'s (strings or {scopeValue} objects), a bare {success, message}, and a pending outcome', () => {
    expect(addResultOf({ outcome: 'success', data: { addedScopeValues: ['A.B'], rejectedScopeValues: [{ scopeValue: 'C.D', scopeName: 'x' }], message: '申请已提交' } })).toEqual({ pending: false, added: ['A.B'], skipped: null, rejected: ['C.D'], message: '申请已提交', nextCommand: null });
    expect(addResultOf({ outcome: 'success', data: { success: true, message: '申请成功' } })).toEqual({ pending: false, added: null, skipped: null, rejected: null, message: '申请成功', nextCommand: null });
    expect(addResultOf({ outcome: 'pending', data: { status: 'PENDING' }, meta: { operation: { id: 'v1', next_command: 'dws dev app version status --unified-app-id u --version-id v1' } } })).toMatchObject({ pending: true, nextCommand: 'dws dev app version status --unified-app-id u --version-id v1' });
  });
});

describe("dws's environment", () => {
  it('drops the config\'s ${VAR} names, the DINGTALK_* secret variables and any variable carrying a secret value; keeps the rest', () => {
    const names = configEnvNames({ crm: { appKey: 'dingk', appSecret: '${CRM_SECRET}', required: ['x'] }, isv: { suiteTicket: 'pre-${TICKET_VAR}' } });
    expect(names.sort()).toEqual(['CRM_SECRET', 'TICKET_VAR']);
    const env = dwsEnvironment(
      { PATH: '/usr/bin', HOME: '/home/u', CRM_SECRET: 'crm-secret-1234', TICKET_VAR: 't', DINGTALK_APP_SECRET: 's', DINGTALK_APP_KEY: 'dingk', OTHER: 'has crm-secret-1234 inside', DINGTALK_DEVAPP_MCP_URL: 'https://gw/op-app' },
      names,
      ['crm-secret-1234'],
    );
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/home/u', DINGTALK_APP_KEY: 'dingk', DINGTALK_DEVAPP_MCP_URL: 'https://gw/op-app' });
  });
});

describe('findDws', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-find-dws-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the first executable file named dws on PATH; never a relative entry (the checked repository), a directory or a file without x', () => {
    const [a, b, c] = ['a', 'b', 'c'].map((n) => join(dir, n));
    for (const d of [a, b, c]) mkdirSync(d!);
    writeFileSync(join(a!, 'dws'), '#!/bin/sh\n');
    chmodSync(join(a!, 'dws'), 0o644);
    mkdirSync(join(b!, 'dws'));
    writeFileSync(join(c!, 'dws'), '#!/bin/sh\n', { mode: 0o755 });
    expect(findDws({ PATH: [a, b, c].join(delimiter) }, 'linux')).toBe(join(c!, 'dws'));
    // c holds an executable dws, named relatively here: not taken.
    expect(findDws({ PATH: ['', '.', relative(process.cwd(), c!), a].join(delimiter) }, 'linux')).toBeNull();
    expect(findDws({}, 'linux')).toBeNull();
  });
});
