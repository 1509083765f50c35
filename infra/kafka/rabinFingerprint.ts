/**
 * CRC-64-AVRO (Rabin) fingerprint, as the Avro specification defines it for single-object
 * encoding: the 64-bit fingerprint of a schema's Parsing Canonical Form.
 */
const EMPTY = 0xc15d213aa4d7a795n;
const MASK = 0xffffffffffffffffn;

const table: bigint[] = Array.from({ length: 256 }, (_, i) => {
  let fp = BigInt(i);
  for (let j = 0; j < 8; j += 1) fp = (fp >> 1n) ^ (EMPTY & -(fp & 1n));
  return fp & MASK;
});

export const rabinFingerprint = (bytes: Uint8Array): bigint => {
  let fp = EMPTY;
  for (const byte of bytes) fp = (fp >> 8n) ^ (table[Number((fp ^ BigInt(byte)) & 0xffn)] ?? 0n);
  return fp & MASK;
};

/** The 8 little-endian bytes that follow the 0xC3 0x01 marker in a single-object encoding. */
export const fingerprintBytes = (fp: bigint): Buffer => {
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(fp);
  return out;
};
