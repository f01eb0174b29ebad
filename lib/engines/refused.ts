/** The spec error of what no SQL engine can do the way the stages do: it names the spec's place and the engine that can. */
import { SpecError } from '../base/errors.js';

export function refused(where: string, why: string): SpecError {
  return new SpecError(`spec.${where}`, `${why}; no SQL engine gives the stages' answer to it (seq query --engine stages does)`);
}
