import { existsSync, readFileSync } from 'node:fs';
import { invalidJson } from '../jsonl/json-errors.js';
import { SpecError, errorReason } from '../base/errors.js';
import { bundledSpec } from './bundled.js';

/** Where a spec came from, so that `seq query --explain` can hand the same spec to every stage. */
export interface SpecSource {
  /** As the user wrote it: `@specs/x.json`, `specs/x.json`, or inline JSON. */
  argument: string;
  /** The file it was read from, when it was one. */
  file: string | undefined;
  raw: unknown;
}

function parseJson(text: string, origin: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SpecError(origin, invalidJson(text, error));
  }
}

/**
 * A spec named as one of seq's own (`specs/daily.json`) where the current folder has no such
 * file: seq's, so that the examples of --help work from any folder.
 */
function ownSpec(file: string): string {
  const own = /^(?:\.\/)?specs\/([\w.-]+)\.json$/.exec(file);
  if (own === null || existsSync(file)) return file;
  const bundled = bundledSpec(own[1] as string);
  return existsSync(bundled) ? bundled : file;
}

/**
 * Reads `--spec`: inline JSON (`'{"dataset":"jsonl"}'`), `@file.json`, or a bare path to a
 * `.json` file. Errors say which of the three was meant and how to write it.
 */
export function loadSpec(argument: string): SpecSource {
  const trimmed = argument.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    return { argument, file: undefined, raw: parseJson(trimmed, 'spec') };
  }
  const named = trimmed.startsWith('@') ? trimmed.slice(1) : trimmed;
  const file = ownSpec(named);
  if (!trimmed.startsWith('@') && !(file.endsWith('.json') || existsSync(file))) {
    throw new SpecError('--spec', `"${argument}" is neither JSON nor a .json file; write --spec @file.json or --spec '{"dataset":"..."}'`);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SpecError('--spec', `cannot read ${file}: ${errorReason(error)}`);
  }
  return { argument, file, raw: parseJson(text.replace(/^\uFEFF/, ''), file) };
}
