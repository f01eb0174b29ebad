/**
 * GitHub Copilot CLI: the session state it always writes, ${COPILOT_HOME:-~/.copilot}/session-state
 * (messages, tool calls), and its OpenTelemetry export (usage, request by request), written only
 * to the one file $COPILOT_OTEL_FILE_EXPORTER_PATH names; ~/.copilot/otel is where ccusage asks
 * users to keep those files.
 */
import { join } from 'node:path';
import { listEnv } from '../common/environment.js';
import { type AgentSource, UUID_START } from '../common/source.js';
import format from './format.json' with { type: 'json' };
import { otelRecognition } from './otel.js';
import { CopilotReader, type CopilotState } from './reader.js';
import { eventRecognition } from './session-state.js';
import { copilotAbout } from './about.js';

export const copilotSource: AgentSource = {
  ...copilotAbout,
  readerFormat: format.format,
  sessionIdShape: UUID_START,
  defaultRoots(home) {
    const homes = listEnv('COPILOT_HOME');
    const bases = homes.length > 0 ? homes : [join(home, '.copilot')];
    return [
      ...bases.flatMap((base) => [join(base, 'session-state'), join(base, 'otel')]),
      // A file, not a folder: the export Copilot is writing now.
      ...listEnv('COPILOT_OTEL_FILE_EXPORTER_PATH'),
      join(home, '.copilot', 'otel'),
    ];
  },
  recognise: (record) => otelRecognition(record) || eventRecognition(record),
  reader: (path, sink, needs, state) => new CopilotReader(path, sink, needs, state as CopilotState | undefined),
};
