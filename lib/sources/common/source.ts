/**
 * What an agent's source is to the rest of seq: where its logs are, how to recognise one of its
 * files, and a reader of a file's lines into the common events (events.ts). Each agent has a
 * folder here with its `source.ts`, and a line in registry.ts; nothing outside its folder knows
 * how its logs are written.
 */
import type { EventSink } from './events.js';
import type { DecodeBudget } from './decode-first.js';

/** What the datasets of a scan need from the files: a reader skips the lines of the rest. */
export interface ReaderNeeds {
  messages: boolean;
  toolCalls: boolean;
  /** Tool outputs (the tool_outputs dataset); absent means not needed. */
  toolOutputs?: boolean;
  tokens: boolean;
}

/** A reader of one file's lines, made by its agent's source. */
export interface LogReader {
  /** `[start, end)` is one record, without the whitespace around it. */
  line(buffer: Buffer, start: number, end: number, lineNumber: number): void;
  /** What it knows after the lines so far: enough to read on from there. Plain JSON, kept by the cache. */
  state(): unknown;
  /** After the file's last line. */
  finish?(): void;
  /** A log that is one JSON document (a `.json` file), read whole: the decoded document. */
  document?(document: Record<string, unknown>): void;
  /** A log that is a database (AgentSource.database), read whole from its path. */
  database?(path: string): void;
}

/** How surely a decoded first record is an agent's: a weaker sign counts only when no agent is sure. */
export type Recognition = 'surely' | 'perhaps' | false;

/** Who an agent is and where it writes, for people: what help and flags need, without its reader (its folder's about.ts). */
export interface AgentAbout {
  /** The name in rows and in --source. */
  readonly name: string;
  /** The agent's name for people ("Claude Code"). */
  readonly title: string;
  /** Where defaultRoots and skillDirs look, for people: environment variables and ~ as written. */
  readonly places: { logs: string; skills?: string };
}

export interface AgentSource extends AgentAbout {
  /**
   * What its reader makes of a file, as a number: part of the cache's format, so entries read by
   * another reader are not trusted. It is the `format` of format.json in the agent's folder, whose
   * digest a test holds to the folder's code: a change to the reader fails it until both are bumped.
   */
  readonly readerFormat: number;
  /** The folders it writes its logs to by default, after the environment variables that move them; existing or not. */
  defaultRoots(home: string): string[];
  /** Whether a user message is text the agent's harness wrote (instructions, environment, command output), not the user's. */
  harnessText?(text: string): boolean;
  /** Environment variables that change how its files are read (not where they are): kept rows are trusted only under the same. */
  readingEnv?: readonly string[];
  /**
   * Whether it writes each message twice with no id in common (Codex: as a response_item and as
   * an event_msg): then a file's messages are one per role and text, as the seed's script counts
   * them. Every other agent's are told apart by their ids, so that a prompt sent twice is two.
   */
  messageCopiesByText?: boolean;
  /** The agent's own slash commands, which are not skills. */
  ownCommands?: ReadonlySet<string>;
  /** What one of its session ids, or the first characters of one, looks like: an id given where a path goes is told how to name a session. */
  sessionIdShape?: RegExp;
  /** Folders whose subfolders are the agent's skills (a skill is known by its folder's name). */
  skillDirs?(home: string): string[];
  /**
   * Log files named otherwise than `*.jsonl` and `*.jsonl.zst`, which every agent's are: a
   * `.json` one is a whole JSON document, recognised by recogniseDocument.
   */
  isLogFile?(name: string): boolean;
  /** A fast test of the first bytes of the line [start, end): true where they are surely this agent's; else the line is decoded. */
  layout?(bytes: Buffer, start: number, end: number): boolean;
  recognise(record: Record<string, unknown>): Recognition;
  /**
   * How surely a whole JSON document (a `.json` log) is one of the agent's. `name` is the file's
   * name, for agents whose documents have the same shape (a fork's): the content decides first.
   */
  recogniseDocument?(document: Record<string, unknown>, name: string): Recognition;
  /** A file (by its name) that is the agent's database, read by its reader's `database`, never line by line. */
  database?(name: string): boolean;
  /** A reader of one file; `state`: go on from where an earlier read stopped (what its reader's state() said). */
  /** `decode`: how many bytes of lines it may decode whole where it would walk them (decode-first.ts), if any. */
  reader(path: string, sink: EventSink, needs: ReaderNeeds, state?: unknown, decode?: DecodeBudget): LogReader;
  /**
   * Where the agent keeps copies of one log (Codex: a rollout in sessions/ and archived_sessions/,
   * compressed or not): the name every copy has, and whether this one is the archived copy (read
   * only when no other copy was). Undefined for a file that has no copies.
   */
  copy?(path: string): { name: string; archived: boolean } | undefined;
}

/** A UUID, or its first eight characters or more: the session ids of most agents. */
export const UUID_START = /^[0-9a-f]{8}[0-9a-f-]*$/i;
