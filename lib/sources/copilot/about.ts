/** Who the agent is, and where it writes its logs, told to people (its source, source.ts, finds them). */
import type { AgentAbout } from '../common/source.js';

export const copilotAbout: AgentAbout = {
  name: 'copilot',
  title: 'Copilot CLI',
  places: {
    logs: '$COPILOT_HOME/session-state and otel (default ~/.copilot), $COPILOT_OTEL_FILE_EXPORTER_PATH (a file), ~/.copilot/otel',
  },
};
