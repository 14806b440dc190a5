import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from './exit-code.js';
import { resolvePayload } from './payload.js';
import { JAMBONZ_SAMPLES } from '../testing/index.js';

describe('resolvePayload', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'jambonz-payload-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const fromFile = (text: string) => {
    const path = join(dir, 'payload.json');
    writeFileSync(path, text);
    return resolvePayload(path, '/');
  };

  it.each([
    ['pretty-printing', '{\n  "from": "+15555550123",\n  "n": [1, 2]\n}\n', '{"from":"+15555550123","n":[1,2]}'],
    ['\\u escapes, as raw UTF-8', '{"caller_name": "Zo\\u00eb \\ud83d\\ude00"}', '{"caller_name":"Zoë 😀"}'],
    ['numbers, as JavaScript writes them', '{"a": 1.0, "b": 1E3, "c": -0.50}', '{"a":1,"b":1000,"c":-0.5}'],
    ['a byte-order mark', '\uFEFF{"a": 1}', '{"a":1}'],
    ['the body null that jambonz sends for a hook without parameters', 'null', 'null'],
  ])('re-serialises a file the way jambonz would send it: %s', (_what, text, body) => {
    expect(fromFile(text).body).toBe(body);
  });

  it('keeps key order, duplicate keys resolved as JSON.parse does', () => {
    expect(fromFile('{"z": 1, "a": 2, "z": 3}').body).toBe('{"z":3,"a":2}');
  });

  it('prefers a built-in sample to a file of the same name in the working directory', () => {
    const sample = JAMBONZ_SAMPLES[0]!;
    writeFileSync(join(dir, sample.name), '{"not":"the sample"}');
    expect(resolvePayload(sample.name, dir)).toEqual({
      origin: `sample ${sample.name}`,
      body: JSON.stringify(sample.payload),
      route: sample.route,
    });
  });

  it('looks up fixtures only for a bare name, not for a path', () => {
    const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
    expect(resolvePayload('call-status-busy', repoRoot)).toMatchObject({
      origin: `file ${repoRoot}test/fixtures/jambonz-webhooks/call-status-busy.json`,
      route: '/call',
    });
    expect(() => resolvePayload('./call-status-busy', repoRoot)).toThrow(UsageError);
  });
});
