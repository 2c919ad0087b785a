/**
 * A set of strings as a Bloom filter: it may answer "maybe" for a string it never saw, never "no"
 * for one it did. Fixed at 2 MiB whatever the tenant's size (a Set of a million emails took
 * 60-100 MB), with about one false "maybe" in 2,000 at a million strings and more beyond. The
 * decide step keeps the emails a first import claimed and the users a run has decided in them;
 * there a false "maybe" only costs a lookup.
 */
export class BloomFilter {
  private readonly bits: Uint32Array;
  private readonly mask: number;

  /** `log2Bits`: the filter's size; 24 (2 MiB) unless a test wants a small one that fills up. */
  constructor(log2Bits = 24) {
    this.bits = new Uint32Array(2 ** Math.max(log2Bits - 5, 0));
    this.mask = 2 ** log2Bits - 1;
  }

  add(value: string): void {
    const [h1, h2] = hashes(value);
    for (let i = 0; i < PROBES; i += 1) {
      const bit = (h1 + Math.imul(i, h2)) & this.mask;
      this.bits[bit >>> 5] = (this.bits[bit >>> 5] as number) | (1 << (bit & 31));
    }
  }

  mightHold(value: string): boolean {
    const [h1, h2] = hashes(value);
    for (let i = 0; i < PROBES; i += 1) {
      const bit = (h1 + Math.imul(i, h2)) & this.mask;
      if (((this.bits[bit >>> 5] as number) & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

/** Seven probes: the fewest false "maybe"s for about 10 bits a string (2^24 bits, ~1.7M strings). */
const PROBES = 7;

/** Two 32-bit hashes (FNV-1a, and the same walk with MurmurHash2's multiplier); probe i is h1 + i·h2 (Kirsch-Mitzenmacher). */
function hashes(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  // An odd step visits distinct bits for every probe.
  return [a >>> 0, (b ^ (b >>> 15)) | 1];
}
