/** A spec that cannot run: `where` names the place (`spec.where[1].op`), `message` what is wrong. */
export class SpecError extends Error {
  constructor(
    readonly where: string,
    readonly problem: string,
  ) {
    super(`${where}: ${problem}`);
    this.name = 'SpecError';
  }
}
