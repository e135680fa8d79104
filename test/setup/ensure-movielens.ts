/** Global setup of the unit layer: makes sure ML-100K is available (found or downloaded with a checksum). */
import { locateData } from '../../pipeline/artifacts/build.ts';

export default async function setup() {
  await locateData(undefined, undefined, (line) => process.stderr.write(`${line}\n`));
}
