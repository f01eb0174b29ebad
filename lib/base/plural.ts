/** A count with its noun: `1 run`, `2 runs`, `1 file that is`/`3 files that are` given both forms. */
export function counted(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
