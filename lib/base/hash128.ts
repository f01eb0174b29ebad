/**
 * A 128-bit digest of bytes that needs no module loaded: MurmurHash3 x86_128 (Austin Appleby's,
 * in the public domain). It tells a cache's keys and a walk's stats apart, which a scan does at
 * every start, where loading node:crypto would cost more than the hashing (its code is compiled
 * afresh under the executables' V8 flags). Not for anything an adversary chooses.
 */

const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93;

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Whether this machine keeps numbers little-endian, as the digest reads its words. */
const LITTLE = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** The bytes' 32-bit little-endian words, up to `blocks` bytes: a view where they may be read as they are, else a copy. */
function words(bytes: Uint8Array, blocks: number): Int32Array {
  if (LITTLE && bytes.byteOffset % 4 === 0) return new Int32Array(bytes.buffer, bytes.byteOffset, blocks >> 2);
  const out = new Int32Array(blocks >> 2);
  for (let i = 0; i < blocks; i += 4) {
    out[i >> 2] = (bytes[i] as number) | ((bytes[i + 1] as number) << 8) | ((bytes[i + 2] as number) << 16) | ((bytes[i + 3] as number) << 24);
  }
  return out;
}

/** The digest of the bytes, as 32 hex digits. */
export function hash128(bytes: Uint8Array, seed = 0): string {
  let h1 = seed >>> 0;
  let h2 = h1;
  let h3 = h1;
  let h4 = h1;
  const length = bytes.length;
  const blocks = length - (length % 16);
  const w = words(bytes, blocks);
  for (let i = 0; i < w.length; i += 4) {
    let k1 = w[i] as number;
    let k2 = w[i + 1] as number;
    let k3 = w[i + 2] as number;
    let k4 = w[i + 3] as number;
    k1 = Math.imul(rotl(Math.imul(k1, C1), 15), C2);
    h1 ^= k1;
    h1 = rotl(h1, 19) + h2;
    h1 = (Math.imul(h1, 5) + 0x561ccd1b) | 0;
    k2 = Math.imul(rotl(Math.imul(k2, C2), 16), C3);
    h2 ^= k2;
    h2 = rotl(h2, 17) + h3;
    h2 = (Math.imul(h2, 5) + 0x0bcaa747) | 0;
    k3 = Math.imul(rotl(Math.imul(k3, C3), 17), C4);
    h3 ^= k3;
    h3 = rotl(h3, 15) + h4;
    h3 = (Math.imul(h3, 5) + 0x96cd1c35) | 0;
    k4 = Math.imul(rotl(Math.imul(k4, C4), 18), C1);
    h4 ^= k4;
    h4 = rotl(h4, 13) + h1;
    h4 = (Math.imul(h4, 5) + 0x32ac3b17) | 0;
  }
  // The tail: up to 15 bytes, each lane's little-endian.
  const tail = [0, 0, 0, 0];
  for (let i = blocks; i < length; i++) {
    const at = i - blocks;
    tail[at >> 2] = (tail[at >> 2] as number) | ((bytes[i] as number) << (8 * (at & 3)));
  }
  const rest = length - blocks;
  if (rest > 12) h4 ^= Math.imul(rotl(Math.imul(tail[3] as number, C4), 18), C1);
  if (rest > 8) h3 ^= Math.imul(rotl(Math.imul(tail[2] as number, C3), 17), C4);
  if (rest > 4) h2 ^= Math.imul(rotl(Math.imul(tail[1] as number, C2), 16), C3);
  if (rest > 0) h1 ^= Math.imul(rotl(Math.imul(tail[0] as number, C1), 15), C2);
  h1 ^= length;
  h2 ^= length;
  h3 ^= length;
  h4 ^= length;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h3 = fmix(h3);
  h4 = fmix(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  return [h1, h2, h3, h4].map((h) => (h >>> 0).toString(16).padStart(8, '0')).join('');
}

/** The digest of a text's UTF-8 bytes, and of more bytes after them where given. */
export function textHash128(text: string, more?: Uint8Array): string {
  const length = Buffer.byteLength(text);
  // One array of its own, so that its words are read in place.
  const bytes = Buffer.from(new ArrayBuffer(length + (more?.length ?? 0)));
  bytes.write(text, 0, 'utf8');
  if (more !== undefined) bytes.set(more, length);
  return hash128(bytes);
}
