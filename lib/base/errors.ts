/** Exit statuses of every executable. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A command line that cannot run: exit 2. `hint` says what to do instead. */
export class UsageError extends Error {
  /** `command`: the command whose --help to point to, where it is not the program itself (`seq query`). */
  constructor(
    message: string,
    readonly hint?: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Runs a command's work: a usage error that names no command is said to be this one's (its --help is the one to read). */
export async function asCommand<T>(command: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UsageError && error.command === undefined) throw new UsageError(error.message, error.hint, command);
    throw error;
  }
}

/**
 * A failure that is not the command line's fault: a store or output that cannot be written, a
 * malformed line under --strict, data a format cannot show. Exit 1.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** stdout cannot be written (a full disk, a closed descriptor): said once, exit 1. */
export class OutputError extends InputError {
  constructor(reason: string) {
    super(`cannot write output: ${reason}`);
    this.name = 'OutputError';
  }
}

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

/** What went wrong with a file, in words (the system error code named, not shown). */
export function errorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder';
    case 'ENOTDIR':
      return 'it is not a folder';
    case 'EROFS':
      return 'a read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/** True when the reader of our output went away (`| head`): not an error, just the end. */
export function isReaderGone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ERR_STREAM_WRITE_AFTER_END';
}
