/**
 * The serving snapshot's rater lists (`visitor.raters`, docs/snapshot-format.md) as gaps: each movie's list
 * of user indices is strictly increasing, so it is stored as its first index, then each difference minus
 * one, every number as an unsigned LEB128 varint (7 bits a byte, high bit = more). A rater list's gaps are
 * small (about users / degree), so most take one byte: on ML-100K this is 99 KB before gzip where the int32
 * lists were 391 KB, and 60 KB after gzip where they were 100 KB — bytes the first personal list waits for.
 * Pure: no DOM or Node imports.
 */

/** Encodes the lists users[moviePtr[m] .. moviePtr[m+1]) (each strictly increasing), movie after movie. */
export function encodeRaterGaps(moviePtr: Int32Array, users: Int32Array): Uint8Array {
  const numMovies = moviePtr.length - 1;
  let out = new Uint8Array(Math.max(16, users.length + (users.length >> 2)));
  let n = 0;
  const put = (value: number): void => {
    if (n + 5 > out.length) {
      const grown = new Uint8Array(out.length * 2);
      grown.set(out);
      out = grown;
    }
    let v = value;
    while (v >= 0x80) {
      out[n++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    out[n++] = v;
  };
  for (let m = 0; m < numMovies; m++) {
    for (let a = moviePtr[m]; a < moviePtr[m + 1]; a++) {
      const gap = a === moviePtr[m] ? users[a] : users[a] - users[a - 1] - 1;
      if (!(gap >= 0 && gap <= 0x7fffffff)) {
        throw new RangeError(`rater lists: movie ${m}'s list is not strictly increasing at entry ${a}`);
      }
      put(gap);
    }
  }
  return out.slice(0, n);
}

/**
 * Decodes `degree[m]` user indices per movie from `bytes`, checking that every index is below `numUsers`
 * and that the bytes end exactly with the last one; `fail` is called with what is wrong otherwise.
 */
export function decodeRaterGaps(
  bytes: Uint8Array,
  degree: Int32Array,
  numUsers: number,
  fail: (problem: string) => never,
): { moviePtr: Int32Array; users: Int32Array } {
  const numMovies = degree.length;
  const moviePtr = new Int32Array(numMovies + 1);
  for (let m = 0; m < numMovies; m++) moviePtr[m + 1] = moviePtr[m] + degree[m];
  const users = new Int32Array(moviePtr[numMovies]);
  let p = 0;
  for (let m = 0; m < numMovies; m++) {
    let previous = -1;
    for (let a = moviePtr[m]; a < moviePtr[m + 1]; a++) {
      let v = 0;
      let shift = 0;
      for (;;) {
        if (p >= bytes.length) fail(`visitor.raters ends inside movie ${m}'s list (entry ${a} of ${users.length})`);
        const b = bytes[p++];
        v += (b & 0x7f) * 2 ** shift;
        if (b < 0x80) break;
        shift += 7;
        if (shift > 28) fail(`visitor.raters has a number longer than 5 bytes at byte ${p} (movie ${m})`);
      }
      const u = previous + 1 + v;
      if (u >= numUsers) fail(`visitor.raters gives movie ${m} the user index ${u}, not below ${numUsers}`);
      users[a] = u;
      previous = u;
    }
  }
  if (p !== bytes.length) fail(`visitor.raters has ${bytes.length - p} bytes after the last movie's list`);
  return { moviePtr, users };
}
