/**
 * The SDK call in a stack trace names the API, and so the scope, when the error itself does not:
 * PHP's uncaught TeaError (`AlibabaCloud\SDK\Dingtalk\Vcalendar_1_0\Dingtalk->createEventWithOptions`),
 * C#'s unhandled Tea.TeaException (`AlibabaCloud.SDK.Dingtalkcalendar_1_0.Client.CreateEventWithOptions`)
 * and a Go panic with the SDKError, then the goroutine's frames after a blank line
 * (`github.com/alibabacloud-go/dingtalk/calendar_1_0.(*Client).CreateEventWithOptions`). The
 * namespaces are those of the official SDKs (alibabacloud/dingtalk, AlibabaCloud.SDK.Dingtalk,
 * github.com/alibabacloud-go/dingtalk). Files, stdin and any chunking read the same.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getCatalog } from '../src/catalog/index.js';
import { diagnose } from '../src/core/diagnose.js';
import { parseText } from '../src/core/parse/index.js';
import { FIRST_WINDOW, parseStream } from '../src/core/parse/index.js';
import type { ErrorRecord } from '../src/core/types.js';

const fx = (name: string) => readFileSync(new URL(`./fixtures/diagnose/sdk-frames/${name}`, import.meta.url));

async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, Math.min(bytes.length, i + size));
}

async function streamed(bytes: Buffer, size: number, input: string): Promise<ErrorRecord[]> {
  const out: ErrorRecord[] = [];
  for await (const r of parseStream(chunked(bytes, size), input)) out.push(r);
  return out;
}

const CASES = [
  ['php-uncaught-teaerror.txt', { module: 'calendar_1_0', method: 'createEventWithOptions' }, []],
  ['csharp-unhandled-teaexception.txt', { module: 'calendar_1_0', method: 'CreateEventWithOptions' }, ['Calendar.Event.Write']],
  ['go-panic-sdkerror.txt', { module: 'calendar_1_0', method: 'CreateEventWithOptions' }, ['Calendar.Event.Write']],
] as const;

describe('SDK frames in PHP, C# and Go stack traces', () => {
  for (const [file, sdk, named] of CASES) {
    it(`${file}: one record with the SDK call; the API and its scope follow from the catalog`, async () => {
      const bytes = fx(file);
      const records = parseText(bytes.toString('utf8'), file);
      expect(records).toHaveLength(1);
      expect(records[0]!.sdk).toEqual(sdk);
      expect(records[0]!.requiredScopes).toEqual(named);
      const [finding] = diagnose(records, getCatalog(), {}).findings;
      expect(finding!.cause).toBe('missing-scope');
      expect(finding!.api?.path).toBe('/v1.0/calendar/users/{userId}/calendars/{calendarId}/events');
      // named by the error, or (PHP) by the API the stack trace shows
      expect(finding!.scopes.map((s) => s.code)).toEqual(['Calendar.Event.Write']);
      for (const size of [1, 7, 61, 4096]) expect(await streamed(bytes, size, file)).toEqual(records);
    });
  }

  it("a Python traceback through an acronym operation (batch_send_otowith_options, the SDK's own spelling) names its API and scope", async () => {
    // Frame names as the SDK defines them: github.com/aliyun/dingtalk-sdk dingtalk/python/alibabacloud_dingtalk/robot_1_0/client.py:627,673;
    // the exception text as aliyun/tea-python Tea/exceptions.py prints it (`Error: {code} {message} Response: {data}`).
    const file = 'python-acronym-traceback.txt';
    const bytes = fx(file);
    const records = parseText(bytes.toString('utf8'), file);
    expect(records).toHaveLength(1);
    expect(records[0]!.sdk).toEqual({ module: 'robot_1_0', method: 'batch_send_otowith_options' });
    expect(records[0]!.requiredScopes).toEqual([]);
    const [finding] = diagnose(records, getCatalog(), {}).findings;
    expect(finding!.api?.path).toBe('/v1.0/robot/oToMessages/batchSend');
    expect(finding!.scopes.map((s) => s.code)).toEqual(['qyapi_robot_sendmsg']);
    for (const size of [1, 61, 4096]) expect(await streamed(bytes, size, file)).toEqual(records);
  });

  it("a Go panic whose frames start just past the stream's first look-ahead still gets them", async () => {
    const go = fx('go-panic-sdkerror.txt').toString('utf8');
    // Pad the Data line so that the first window (FIRST_WINDOW.fwd bytes from the first line with
    // evidence, `Code:`) ends inside the goroutine line: the window holds the blank lines, not the frames.
    const pad = (n: number) => go.replace('"accessdenieddetail"', `"padding":"${'x'.repeat(n)}","accessdenieddetail"`);
    const distance = (s: string) => Buffer.byteLength(s.slice(s.indexOf('   Code:'), s.indexOf('goroutine 1 [')));
    const big = pad(FIRST_WINDOW.fwd - 10 - distance(pad(0)));
    expect(distance(big)).toBe(FIRST_WINDOW.fwd - 10);
    const text = `${'2026-11-20 10:00:00 INFO started\n'.repeat(50)}${big}`;
    const expected = parseText(text, 'big.log');
    expect(expected).toHaveLength(1);
    expect(expected[0]!.sdk).toEqual({ module: 'calendar_1_0', method: 'CreateEventWithOptions' });
    for (const size of [4096, 1 << 20]) expect(await streamed(Buffer.from(text), size, 'big.log')).toEqual(expected);
  });
});
