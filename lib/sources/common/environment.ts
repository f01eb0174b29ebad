/** Environment variables that name folders: a comma-separated list, blanks ignored. */
export function listEnv(name: string): string[] {
  const value = process.env[name];
  return value === undefined || value === ''
    ? []
    : value
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
}
