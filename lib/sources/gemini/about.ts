/** Who the agent is, and where it writes its logs, told to people (its source, source.ts, finds them). */
import type { AgentAbout } from '../common/source.js';

export const geminiAbout: AgentAbout = {
  name: 'gemini',
  title: 'Gemini CLI',
  places: { logs: '$GEMINI_CLI_HOME/.gemini/tmp, $GEMINI_DATA_DIR, ~/.gemini/tmp' },
};
