import fc from 'fast-check';

/** Odd but plausible JSON for fuzzing: unicode, edge numbers, deep nesting, prototype keys. */
export const edgeNumber = fc.constantFrom(
  0,
  -0,
  -1,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  0.5,
  2 ** 31,
  -(2 ** 63),
);

export const oddString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '\u0000',
    '\u202e',
    '../../etc/passwd',
    '<script>',
    'a'.repeat(5000),
    '𝔘𝔫𝔦',
    '__proto__',
    'constructor',
  ),
);

export const leaf = fc.oneof(
  edgeNumber,
  oddString,
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.integer(),
);

export const jsonValue = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(oddString, tie('node'), { maxKeys: 4 }),
  ),
})).node;
