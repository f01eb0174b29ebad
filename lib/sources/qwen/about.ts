/** Who the agent is, and where it writes its logs, told to people (its source, source.ts, finds them). */
import type { AgentAbout } from '../common/source.js';

export const qwenAbout: AgentAbout = {
  name: 'qwen',
  title: 'Qwen Code',
  places: {
    logs: "$QWEN_RUNTIME_DIR (else the settings' advanced.runtimeOutputDir), $QWEN_DATA_DIR or ~/.qwen: projects/*/chats/*.jsonl and tmp/*/chats/session-*.json",
  },
};
