/** Who the agent is, and where it writes its logs, told to people (its source, source.ts, finds them). */
import type { AgentAbout } from '../common/source.js';

export const ampAbout: AgentAbout = {
  name: 'amp',
  title: 'Amp',
  places: { logs: "$AMP_DATA_DIR/threads (ccusage's, a comma-separated list), ~/.local/share/amp/threads" },
};
