/**
 * The ledger of bad input for one run: malformed lines are skipped and counted, never silently,
 * and reported once at the end with the place of the first; unreadable inputs are reported as
 * they happen. Under --strict the first malformed line stops the reading: what was read before
 * it still goes through the stages, and the run then fails.
 */
import { counted } from '../base/plural.js';
export class InputProblems {
  private malformed = 0;
  private firstPlace: string | undefined;
  private firstReason: string | undefined;
  private failedInputs = 0;
  private otherFiles = 0;
  private firstOther: string | undefined;
  private repairs = 0;
  private firstRepair: string | undefined;
  private strictStop: string | undefined;
  private readonly stopHooks: Array<() => void> = [];
  /**
   * Places already told, so that a named report, which may read the same files in several
   * scans, counts each bad line and each unreadable file once. Bounded: past it, all are counted.
   */
  private readonly told = new Set<string>();

  private first(kind: string, place: string): boolean {
    const key = `${kind}\u0000${place}`;
    if (this.told.has(key)) return false;
    if (this.told.size < 100_000) this.told.add(key);
    return true;
  }

  constructor(
    private readonly strict: boolean,
    private readonly warn: (message: string) => void,
  ) {}

  /** Called when --strict stops the reading. */
  onStop(hook: () => void): void {
    this.stopHooks.push(hook);
  }

  /** Whether the first malformed line stops the reading (--strict). */
  get stopsAtFirst(): boolean {
    return this.strict;
  }

  /** True once --strict has stopped the reading: nothing after that point is used. */
  get halted(): boolean {
    return this.strictStop !== undefined;
  }

  /** Records a line that is not a usable record; under --strict, stops the reading. */
  malformedLine(place: string, reason: string): void {
    if (this.halted || !this.first('malformed', place)) return;
    if (this.strict) {
      this.strictStop = `${place}: malformed line (${reason}); stopped by --strict`;
      for (const hook of this.stopHooks) hook();
      return;
    }
    this.malformed += 1;
    if (this.firstPlace === undefined) {
      this.firstPlace = place;
      this.firstReason = reason;
    }
  }

  /** Records a line read with a repair (invalid UTF-8 replaced, a number a double cannot hold). */
  repaired(place: string, what: string): void {
    if (!this.first('repaired', place)) return;
    this.repairs += 1;
    this.firstRepair ??= `${place}: ${what}`;
  }

  /** Records an input that could not be read; the run goes on with the others and exits 1. */
  unreadable(path: string, reason: string): void {
    if (!this.first('unreadable', path)) return;
    this.failedInputs += 1;
    this.warn(`cannot read ${path}: ${reason}`);
  }

  /** Says something the user should know that is not an error (no logs in the default places). */
  notice(message: string): void {
    if (this.first('notice', message)) this.warn(message);
  }

  /** Records a file that is not what the scan reads (not a session log); reported at the end. */
  otherFile(path: string, reason: string): void {
    if (!this.first('other', path)) return;
    this.otherFiles += 1;
    this.firstOther ??= `${path}: ${reason}`;
  }

  get firstMalformed(): { place: string; reason: string } | undefined {
    return this.firstPlace === undefined ? undefined : { place: this.firstPlace, reason: this.firstReason ?? '' };
  }

  /** The message when --strict stopped the run, else undefined. */
  get strictFailure(): string | undefined {
    return this.strictStop;
  }

  /** True when an input could not be read: the run still prints what it could, then exits 1. */
  get failed(): boolean {
    return this.failedInputs > 0;
  }

  /** The lines printed at the end (none when every line was good). */
  summary(): string[] {
    const lines: string[] = [];
    if (this.otherFiles > 0) {
      lines.push(`skipped ${counted(this.otherFiles, 'file that is', 'files that are')} not a session log (first: ${this.firstOther})`);
    }
    if (this.malformed > 0) {
      lines.push(`skipped ${counted(this.malformed, 'malformed line')} (first: ${this.firstPlace})`);
    }
    if (this.repairs > 0) {
      lines.push(`read ${counted(this.repairs, 'line')} with a repair (first: ${this.firstRepair})`);
    }
    return lines;
  }
}

/** One thing a scan told its ledger, to be told again by a scan that gives the same rows without reading (a kept table). */
export type ProblemCall = ['malformedLine' | 'repaired' | 'unreadable' | 'otherFile', string, string] | ['notice', string];

/** At most this many are kept: a scan that tells more is not worth keeping as a table. */
const MOST_CALLS = 10_000;

/**
 * What a scan told, in order, each call with the part that told it: -1 for the scan (its files),
 * else the place of one of the datasets read together.
 */
export class ProblemLog {
  private calls: Array<[number, ProblemCall]> | undefined = [];

  add(part: number, call: ProblemCall): void {
    if (this.calls !== undefined && this.calls.push([part, call]) > MOST_CALLS) this.calls = undefined;
  }

  /** What the scan and the part told, in order; undefined when there was too much to keep. */
  of(part: number): ProblemCall[] | undefined {
    return this.calls?.filter(([from]) => from === -1 || from === part).map(([, call]) => call);
  }
}

/** A ledger that tells another, and keeps what it was told in a log, as said by `part`. */
export class ProblemRecorder extends InputProblems {
  constructor(
    private readonly inner: InputProblems,
    readonly log = new ProblemLog(),
    private readonly part = -1,
  ) {
    super(false, () => undefined);
  }

  private keep(call: ProblemCall): void {
    this.log.add(this.part, call);
  }

  override onStop(hook: () => void): void {
    this.inner.onStop(hook);
  }
  override get stopsAtFirst(): boolean {
    return this.inner.stopsAtFirst;
  }
  override get halted(): boolean {
    return this.inner.halted;
  }
  override malformedLine(place: string, reason: string): void {
    this.keep(['malformedLine', place, reason]);
    this.inner.malformedLine(place, reason);
  }
  override repaired(place: string, what: string): void {
    this.keep(['repaired', place, what]);
    this.inner.repaired(place, what);
  }
  override unreadable(path: string, reason: string): void {
    this.keep(['unreadable', path, reason]);
    this.inner.unreadable(path, reason);
  }
  override notice(message: string): void {
    this.keep(['notice', message]);
    this.inner.notice(message);
  }
  override otherFile(path: string, reason: string): void {
    this.keep(['otherFile', path, reason]);
    this.inner.otherFile(path, reason);
  }
  override get firstMalformed(): { place: string; reason: string } | undefined {
    return this.inner.firstMalformed;
  }
  override get strictFailure(): string | undefined {
    return this.inner.strictFailure;
  }
  override get failed(): boolean {
    return this.inner.failed;
  }
  override summary(): string[] {
    return this.inner.summary();
  }
}

/** Tells a ledger again what a scan told it. */
export function tellAgain(problems: InputProblems, calls: readonly ProblemCall[]): void {
  for (const call of calls) {
    if (call[0] === 'notice') problems.notice(call[1]);
    else problems[call[0]](call[1], call[2]);
  }
}
