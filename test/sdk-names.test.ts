/**
 * Every official SDK's method names, derived by its generator's rule from the operation list
 * (the catalog's `sdkMethod`, taken from the installed @alicloud/dingtalk), checked against the
 * real generated sources of github.com/aliyun/dingtalk-sdk at commit
 * eb93049a94ccbe37f5190c2fcd580edc7f0028b3 (path:line of each definition below). Over that whole
 * checkout, the rule gives the defined names for all 2,821 operations in the Java, PHP, Go, C#
 * and Python SDKs (51 of them with acronym runs), and in the npm package's dist/ for JS.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getCatalog } from '../src/catalog/index.js';
import { resolveFor, parseForQuery } from '../src/catalog/resolve.js';
import { allSdkSpellings, isSnakeCase, pythonName, sdkSpellings } from '../src/catalog/sdk-names.js';
import { runCli } from './helpers/run-cli.js';

const PY = 'dingtalk/python/alibabacloud_dingtalk';
/** [catalog API id, language, names the real SDK defines, where]. */
const REAL: Array<[string, Parameters<typeof sdkSpellings>[1], string[], string]> = [
  ['robot_1.0/BatchSendOTO', 'python', ['batch_send_oto', 'batch_send_otowith_options', 'batch_send_oto_async', 'batch_send_otowith_options_async'], `${PY}/robot_1_0/client.py:725,627,739,676`],
  ['robot_1.0/BatchOTOQuery', 'python', ['batch_otoquery', 'batch_otoquery_with_options', 'batch_otoquery_async', 'batch_otoquery_with_options_async'], `${PY}/robot_1_0/client.py:237,147,251,192`],
  ['robot_1.0/BatchRecallOTO', 'python', ['batch_recall_oto', 'batch_recall_otowith_options', 'batch_recall_oto_async', 'batch_recall_otowith_options_async'], `${PY}/robot_1_0/client.py:477,387,491,432`],
  ['yida_1.0/GetFormDataByID', 'python', ['get_form_data_by_id', 'get_form_data_by_idwith_options', 'get_form_data_by_id_async', 'get_form_data_by_idwith_options_async'], `${PY}/yida_1_0/client.py:4375,4275,4390,4325`],
  ['im_1.0/SendOTOInteractiveCard', 'python', ['send_otointeractive_card', 'send_otointeractive_card_with_options', 'send_otointeractive_card_async', 'send_otointeractive_card_with_options_async'], `${PY}/im_1_0/client.py:13549,13419,13563,13484`],
  ['robot_1.0/BatchSendOTO', 'go', ['BatchSendOTO', 'BatchSendOTOWithOptions'], 'dingtalk/golang/robot_1_0/client.go:4262,4200'],
  ['robot_1.0/BatchSendOTO', 'csharp', ['BatchSendOTO', 'BatchSendOTOWithOptions', 'BatchSendOTOAsync', 'BatchSendOTOWithOptionsAsync'], 'dingtalk/csharp/core/robot_1_0/Client.cs:973,845,992,912'],
  ['robot_1.0/BatchSendOTO', 'java', ['batchSendOTO', 'batchSendOTOWithOptions'], 'dingtalk/java/src/main/java/com/aliyun/dingtalkrobot_1_0/Client.java:391,338'],
  ['robot_1.0/BatchSendOTO', 'php', ['batchSendOTO', 'batchSendOTOWithOptions'], 'dingtalk/php/src/robot_1_0/Dingtalk.php:479,430'],
  ['yida_1.0/GetFormDataByID', 'go', ['GetFormDataByID', 'GetFormDataByIDWithOptions'], 'dingtalk/golang/yida_1_0/client.go'],
  ['yida_1.0/GetFormDataByID', 'java', ['getFormDataByID', 'getFormDataByIDWithOptions'], 'dingtalk/java/src/main/java/com/aliyun/dingtalkyida_1_0/Client.java'],
  ['yida_1.0/GetFormDataByID', 'js', ['getFormDataByID', 'getFormDataByIDWithOptions'], 'npm @alicloud/dingtalk dist/yida_1_0/client.js'],
];

describe('SDK method spellings by generator rule', () => {
  const catalog = getCatalog();
  for (const [id, lang, names, where] of REAL) {
    it(`${id} in ${lang}: ${names[1]} (${where})`, () => {
      const op = catalog.api(id)?.sdkMethod;
      expect(op, `${id} is in the catalog with its SDK method`).toBeTruthy();
      expect(sdkSpellings(op!, lang)).toEqual(names);
    });
  }

  it('Python lower-cases a run of capitals or digits whole', () => {
    expect(pythonName('getFormDataByIDWithOptions')).toBe('get_form_data_by_idwith_options');
    expect(pythonName('getUserWithOptions')).toBe('get_user_with_options');
    // digits join the run: team_sphere_1_0/client.py:2713, micro_app_1_0/client.py:503
    expect(pythonName('searchProjectsV3WithOptions')).toBe('search_projects_v3with_options');
    expect(pythonName('anheiTest888WithOptions')).toBe('anhei_test_888with_options');
    expect(isSnakeCase('batch_send_otowith_options')).toBe(true);
    expect(isSnakeCase('batchSendOTO')).toBe(false);
  });

  it('every operation of the catalog is found again under each of its spellings', () => {
    let checked = 0;
    for (const api of catalog.allApis()) {
      if (!api.product || !api.sdkMethod) continue;
      for (const name of allSdkSpellings(api.sdkMethod)) {
        expect(catalog.apiBySdk(api.product, name).map((a) => a.id), `${api.product} ${name}`).toContain(api.id);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2000 * 8);
  });

  it('scopes for: a Python spelling names its API and scope', () => {
    const answer = resolveFor(catalog, parseForQuery(['batch_send_otowith_options'])!);
    expect(answer.matches.map((a) => a.id)).toEqual(['robot_1.0/BatchSendOTO']);
    expect(answer.matches[0]!.scopes).toEqual(['qyapi_robot_sendmsg']);
    const yida = resolveFor(catalog, parseForQuery(['yida_2_0', 'get_form_data_by_idwith_options_async'])!);
    expect(yida.matches.map((a) => a.id)).toEqual(['yida_2.0/GetFormDataByID']);
  });
});

describe('the CLI with Python spellings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-sdk-names-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('scopes for batch_send_otowith_options answers with its API and scope (exit 0)', async () => {
    const r = await runCli(['scopes', 'for', '--json', 'batch_send_otowith_options']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.matches.map((m: { id: string; scopes: string[] }) => [m.id, m.scopes])).toEqual([['robot_1.0/BatchSendOTO', ['qyapi_robot_sendmsg']]]);
  });

  it('scopes scan finds batch_send_otowith_options and get_form_data_by_idwith_options with their scopes', async () => {
    // As DingTalk's robot and Yida samples call the Python SDK (spellings: robot_1_0/client.py:627, yida_2_0's get_form_data_by_idwith_options).
    writeFileSync(join(dir, 'bot.py'), [
      'from alibabacloud_dingtalk.robot_1_0.client import Client as dingtalkrobot_1_0Client',
      'from alibabacloud_dingtalk.yida_2_0.client import Client as dingtalkyida_2_0Client',
      'robot = dingtalkrobot_1_0Client(config)',
      'yida = dingtalkyida_2_0Client(config)',
      'robot.batch_send_otowith_options(batch_send_otorequest, batch_send_otoheaders, util_models.RuntimeOptions())',
      'yida.get_form_data_by_idwith_options(form_id, request, headers, runtime)',
      '',
    ].join('\n'));
    const r = await runCli(['scopes', 'scan', '--json', '.'], { cwd: dir });
    const doc = JSON.parse(r.stdout);
    expect(doc.apis.map((a: { path: string; scopes: Array<{ code: string }>; locations: Array<{ line: number }> }) => [a.path, a.scopes.map((x) => x.code), a.locations.map((l) => l.line)])).toEqual([
      ['/v1.0/robot/oToMessages/batchSend', ['qyapi_robot_sendmsg'], [5]],
      ['/v2.0/yida/forms/instances/{id}', ['Yida.Form.Read'], [6]],
    ]);
  });
});
