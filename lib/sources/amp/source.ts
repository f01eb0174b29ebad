/**
 * Amp (Sourcegraph): one JSON document per thread, `T-<id>.json`, under
 * ~/.local/share/amp/threads on every platform. Amp has no variable that moves it; ccusage's
 * AMP_DATA_DIR (a comma-separated list of folders that hold `threads/`) is honoured too.
 */
import { join } from 'node:path';
import { listEnv } from '../common/environment.js';
import format from './format.json' with { type: 'json' };
import type { AgentSource } from '../common/source.js';
import { AmpReader } from './reader.js';
import { ampAbout } from './about.js';

const THREAD_FILE = /^T-[^/\\]+\.json$/;

export const ampSource: AgentSource = {
  ...ampAbout,
  readerFormat: format.format,
  sessionIdShape: /^T-[0-9a-f-]+$/i,
  defaultRoots: (home) => [...listEnv('AMP_DATA_DIR').map((dir) => join(dir, 'threads')), join(home, '.local', 'share', 'amp', 'threads')],
  isLogFile: (name) => THREAD_FILE.test(name),
  // Amp writes no JSON Lines: no line is ever its.
  recognise: () => false,
  recogniseDocument(document, name) {
    const id = typeof document.id === 'string' && document.id.startsWith('T-');
    if (id && Array.isArray(document.messages)) return 'surely';
    // A thread file of another shape: read, so that its reader says what it found.
    return THREAD_FILE.test(name) && (id || 'messages' in document || 'usageLedger' in document) ? 'perhaps' : false;
  },
  reader: (_path, sink, needs) => new AmpReader(sink, needs),
};
