import { isInvisible, WELL_KNOWN_JAMBONZ_SECRET, webhookSecretProblem, type WebhookSecretProblem } from './webhook-secret.js';

const SECRET = 'wh_secret_webhookSecretSpec1';

describe('WELL_KNOWN_JAMBONZ_SECRET', () => {
  it("is the webhook secret of jambonz's open-source seed database", () => {
    expect(WELL_KNOWN_JAMBONZ_SECRET).toBe('wh_secret_cJqgtMDPzDhhnjmaJH6Mtk');
  });
});

describe('isInvisible', () => {
  it.each<[string, string, boolean]>([
    ['one space', ' ', true],
    ['spaces and line breaks', ' \t\r\n ', true],
    ['C0 controls', '\u0001\u001f', true],
    ['DEL and a C1 control', '\u007f\u0085', true],
    ['zero-width spaces and joiners', '\u200b\u200c\u200d', true],
    ['a byte-order mark', '\ufeff', true],
    ['no-break and ideographic spaces', '\u00a0\u3000', true],
    ['line and paragraph separators', '\u2028\u2029', true],
    ['bidirectional controls', '\u202e\u2066', true],
    ['the empty string', '', false],
    ['a visible character', 'x', false],
    ['a visible character among invisible ones', '\u200b x \ufeff', false],
    ['a letter of another script', '王', false],
    ['an emoji', '\u{1f511}', false],
  ])('%s: %p', (_case, value, expected) => {
    expect(isInvisible(value)).toBe(expected);
  });
});

describe('webhookSecretProblem', () => {
  it.each([
    ['a secret from the portal', SECRET],
    ['a space inside', 'wh_secret_a b'],
    ['a tab inside', 'wh_secret_a\tb'],
    ['an invisible character inside', 'wh_secret_a\u200bb'],
    ['a single visible character', 'x'],
    ['non-ASCII letters', 'wh_secret_José王'],
  ])('accepts %s', (_case, value) => {
    expect(webhookSecretProblem(value)).toBeUndefined();
  });

  it.each<[string, unknown]>([
    ['a number', 42],
    ['undefined', undefined],
    ['null', null],
    ['an array of one secret', [SECRET]],
    ['a String object', new String(SECRET)],
  ])("refuses %s as 'type'", (_case, value) => {
    expect(webhookSecretProblem(value)).toBe('type');
  });

  it("refuses the empty string as 'empty'", () => {
    expect(webhookSecretProblem('')).toBe('empty');
  });

  it.each([
    ['one space', ' '],
    ['spaces and line breaks', ' \t\r\n '],
    ['C0 controls, which are not whitespace', '\u0001\u0002'],
    ['zero-width spaces (format characters, not whitespace)', '\u200b\u200b'],
    ['a byte-order mark', '\ufeff'],
    ['no-break and ideographic spaces', '\u00a0\u3000'],
    ['line and paragraph separators', '\u2028\u2029'],
  ])("refuses %s as 'invisible', whatever the rules", (_case, value) => {
    expect(webhookSecretProblem(value)).toBe('invisible');
    expect(webhookSecretProblem(value, { allowSecretWhitespace: true, allowWellKnownSecret: true })).toBe('invisible');
  });

  it.each(['undefined', 'null', 'NaN', '[object Object]', 'UNDEFINED', ' null', 'undefined\n'])(
    "refuses %p as 'placeholder', whatever the rules",
    (value) => {
      expect(webhookSecretProblem(value)).toBe('placeholder');
      expect(webhookSecretProblem(value, { allowSecretWhitespace: true })).toBe('placeholder');
    },
  );

  it.each([
    ['a leading space', ` ${SECRET}`],
    ['a trailing space', `${SECRET} `],
    ['a trailing newline', `${SECRET}\n`],
    ['a trailing CRLF', `${SECRET}\r\n`],
    ['a leading tab', `\t${SECRET}`],
    ['a leading control character', `\u0001${SECRET}`],
    ['a trailing control character', `${SECRET}\u0007`],
    ['a leading zero-width space', `\u200b${SECRET}`],
    ['a trailing byte-order mark', `${SECRET}\ufeff`],
    ['a trailing zero-width space', `${SECRET}\u200b`],
    ['a leading no-break space', `\u00a0${SECRET}`],
    ['a trailing line separator', `${SECRET}\u2028`],
    ['a line feed inside', 'wh_secret_a\nb'],
    ['a carriage return inside', 'wh_secret_a\rb'],
  ])("refuses %s as 'whitespace' unless allowSecretWhitespace", (_case, value) => {
    expect(webhookSecretProblem(value)).toBe('whitespace');
    expect(webhookSecretProblem(value, { allowSecretWhitespace: false })).toBe('whitespace');
    expect(webhookSecretProblem(value, { allowWellKnownSecret: true })).toBe('whitespace');
    expect(webhookSecretProblem(value, { allowSecretWhitespace: true })).toBeUndefined();
  });

  it("refuses jambonz's well-known secret as 'well-known' unless allowWellKnownSecret", () => {
    expect(webhookSecretProblem(WELL_KNOWN_JAMBONZ_SECRET)).toBe('well-known');
    expect(webhookSecretProblem(WELL_KNOWN_JAMBONZ_SECRET, { allowWellKnownSecret: false })).toBe('well-known');
    expect(webhookSecretProblem(WELL_KNOWN_JAMBONZ_SECRET, { allowSecretWhitespace: true })).toBe('well-known');
    expect(webhookSecretProblem(WELL_KNOWN_JAMBONZ_SECRET, { allowWellKnownSecret: true })).toBeUndefined();
  });

  it('says what is wrong first: whitespace around the well-known secret is whitespace', () => {
    const problems: Array<WebhookSecretProblem | undefined> = [
      webhookSecretProblem(`${WELL_KNOWN_JAMBONZ_SECRET}\n`),
      webhookSecretProblem(`${WELL_KNOWN_JAMBONZ_SECRET}\n`, { allowSecretWhitespace: true }),
    ];
    expect(problems).toEqual(['whitespace', undefined]);
  });
});
