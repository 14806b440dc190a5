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
    ['an unexpanded ${NAME}', '${JAMBONZ_WEBHOOK_SECRET}'],
    ['an unexpanded ${NAME:-default}', '${JAMBONZ_WEBHOOK_SECRET:-wh_secret_x}'],
    ['an unexpanded ${name} in lower case', '${secret_1}'],
    ['an unexpanded ${NAME-default}', '${JAMBONZ_WEBHOOK_SECRET-x}'],
    ['an unexpanded ${NAME:?message}', '${JAMBONZ_WEBHOOK_SECRET:?not set}'],
    ['an unexpanded $NAME', '$JAMBONZ_WEBHOOK_PASSWORD'],
    ['an unexpanded $NAME with digits', '$STATUS_HOOK_2'],
    ['an unexpanded ${NAME} with a trailing newline', '${SECRET}\n'],
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
    ['a password starting with $', '$ecret-Pass1'],
    ['a password with ${...} inside', 'a${B}c'],
    ['a password ending with ${...}', 'pass${B}'],
    ['a password starting with ${...}', '${B}pass'],
    ['a password ending with $NAME', 'pass$WORD'],
    ['a $ followed by lower case', '$password'],
    ['a $ followed by capitals without an underscore', '$ECRET'],
    ['capitals and digits after a $', '$X9K2P7Q'],
    ['a $ and spaces', '$ GO NOW 42'],
    ['a reference with a space inside', '${A B}'],
    ['braces without a name', '${}'],
    ['a name starting with a digit', '${1A}'],
  ])('does not take %s for one', (_case, value) => {
    expect(isPlaceholder(value)).toBe(false);
  });
});
