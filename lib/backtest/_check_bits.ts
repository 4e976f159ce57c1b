/**
 * Throws a RangeError naming the first element of `a` that is not 0 or 1: any other value is a
 * strategy bug (a sum, a -1 wrapped to 255) that would otherwise silently count as a signal.
 * Runs once per array per simulation; reads four bytes at a time where the array is aligned.
 */
export function checkBits(a: Uint8Array, name: string): void {
  const n = a.length;
  let bad = 0, i = 0;
  if (a.byteOffset % 4 === 0) {
    const words = new Uint32Array(a.buffer, a.byteOffset, n >>> 2);
    for (let w = 0; w < words.length; w++) bad |= words[w]!;
    bad &= 0xfefefefe;
    i = words.length * 4;
  }
  for (; i < n; i++) bad |= a[i]! & 0xfe;
  if (bad === 0) return;
  const at = a.findIndex((v) => v > 1);
  throw new RangeError(`${name}[${at}] is ${a[at]}; signals must be 0 or 1`);
}
