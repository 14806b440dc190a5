import { fixture } from '../../test/support/fixtures.js';
import { JAMBONZ_SAMPLES, JAMBONZ_SESSION_NEW_SAMPLE, jambonzSample, type JambonzSampleName } from './jambonz-samples.js';

/** The capture in test/fixtures/jambonz-webhooks of the same kind of webhook, where there is one. */
const CAPTURES: Partial<Record<JambonzSampleName, string>> = {
  'call-hook-inbound': 'call-hook-inbound',
  'call-hook-outbound': 'call-hook-outbound-rest',
  'call-status-ringing': 'call-status-ringing-outbound-leg',
  'call-status-completed': 'call-status-completed',
  'gather-action-speech': 'gather-action-speech',
  'gather-action-digits': 'gather-action-digits',
  'dial-action': 'dial-action',
  'sms-inbound': 'sms-inbound',
};

/** Keys whose values jambonz passes through without snake-casing them (feature server `lib/utils/snakecase-keys.js`). */
const VERBATIM = new Set(['customerData', 'sip', 'env_vars', 'args']);

/** Every key of `value` that jambonz snake-cases, with its path. */
function wireKeys(value: unknown, path = ''): string[] {
  if (typeof value !== 'object' || value === null) return [];
  // The verbatim keys themselves keep their case too (`customerData`).
  return Object.entries(value).flatMap(([key, child]) =>
    VERBATIM.has(key) ? [] : [`${path}${key}`, ...wireKeys(child, `${path}${key}.`)],
  );
}

/** Paths of keys in `sample` that `capture` lacks, comparing nested objects and arrays' first items; free-form maps skipped. */
function keysMissingFrom(sample: unknown, capture: unknown, path = ''): string[] {
  if (typeof sample !== 'object' || sample === null || typeof capture !== 'object' || capture === null) return [];
  if (Array.isArray(sample)) return keysMissingFrom(sample[0], (capture as unknown[])[0], `${path}0.`);
  return Object.entries(sample).flatMap(([key, child]) =>
    !(key in capture)
      ? [`${path}${key}`]
      : ['headers', 'customerData', 'args', 'env_vars'].includes(key)
        ? []
        : keysMissingFrom(child, (capture as Record<string, unknown>)[key], `${path}${key}.`),
  );
}

describe('JAMBONZ_SAMPLES', () => {
  it('has one sample per name, each found by jambonzSample', () => {
    const names = JAMBONZ_SAMPLES.map((sample) => sample.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toHaveLength(10);
    for (const sample of JAMBONZ_SAMPLES) expect(jambonzSample(sample.name)).toBe(sample);
  });

  it.each(JAMBONZ_SAMPLES.map((sample) => [sample.name, sample] as const))(
    '%s is JSON as jambonz sends it: a round trip changes nothing, keys snake_case outside the verbatim ones',
    (_name, sample) => {
      expect(JSON.parse(JSON.stringify(sample.payload))).toEqual(sample.payload);
      expect(wireKeys(sample.payload).filter((path) => !/^[a-z0-9_]+$/.test(path.split('.').pop()!))).toEqual([]);
      expect(sample.description).toMatch(/^[a-z].+[^.]$/);
      expect(sample.route).toMatch(/^\/[a-z][a-z/-]*$/);
    },
  );

  it.each(Object.entries(CAPTURES))('%s has only fields that the realistic capture %s has', (name, capture) => {
    expect(keysMissingFrom(jambonzSample(name as JambonzSampleName).payload, fixture(capture!).payload)).toEqual([]);
  });

  it('is deeply frozen, so that no test changes a sample for the next', () => {
    const sample = jambonzSample('gather-action-speech');
    expect(() => {
      (sample.payload as { from: string }).from = '+15555550199';
    }).toThrow(TypeError);
    expect(() => sample.payload.speech!.alternatives.push({ transcript: 'more' })).toThrow(TypeError);
    expect(() => (JAMBONZ_SAMPLES as unknown[]).pop()).toThrow(TypeError);
    expect(Object.isFrozen(jambonzSample('call-hook-inbound').payload.sip!.headers)).toBe(true);
  });

  it('refuses an unknown name with a TypeError that lists the samples', () => {
    expect(() => jambonzSample('call-hook' as JambonzSampleName)).toThrow(
      new TypeError(`jambonzSample: no sample named "call-hook"; samples: ${JAMBONZ_SAMPLES.map((s) => s.name).join(', ')}`),
    );
  });
});

describe('JAMBONZ_SESSION_NEW_SAMPLE', () => {
  it("is the frame jambonz sends over the WebSocket API for the call hook sample's call, deeply frozen", () => {
    const { data, ...frame } = JAMBONZ_SESSION_NEW_SAMPLE;
    expect(frame).toEqual({
      type: 'session:new',
      msgid: expect.stringMatching(/^[1-9A-HJ-NP-Za-km-z]{22}$/),
      call_sid: data.call_sid,
    });
    expect(data).toBe(jambonzSample('call-hook-inbound').payload);
    expect(() => ((JAMBONZ_SESSION_NEW_SAMPLE as { msgid: string }).msgid = 'x')).toThrow(TypeError);
  });
});
