import { isPlaceholder } from './placeholder.js';

describe('isPlaceholder', () => {
  it.each([
    ['`${undefined}`', 'undefined'],
    ['String(null)', 'null'],
    ['String(NaN)', 'NaN'],
    ['String({})', '[object Object]'],
    ['an upper-case spelling', 'UNDEFINED'],
    ['a mixed-case spelling', 'Null'],
    ['surrounding spaces', '  undefined '],
    ['a trailing newline from a .env file', 'null\n'],
    ['a tab', '\tnan'],
    ['a zero-width space inside', 'nu\u200bll'],
    ['a byte-order mark in front', '\ufeffundefined'],
    ['a control character', '\u0000null'],
    ['String({}) with a tab for its space', '[object\tObject]'],
  ])('recognises %s', (_case, value) => {
    expect(isPlaceholder(value)).toBe(true);
  });

  it.each([
    ['a real secret', 'wh_secret_placeholderSpec01'],
    ['an empty string', ''],
    ['a word that contains one', 'undefined-secret'],
    ['a prefix of one', 'nul'],
    ['one inside a longer value', 'not null'],
    ['one with a visible character inside', 'nu-ll'],
    ['the word object alone', 'object'],
  ])('does not take %s for one', (_case, value) => {
    expect(isPlaceholder(value)).toBe(false);
  });
});
