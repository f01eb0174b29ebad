import { sessionDataset } from './session-dataset.js';

/**
 * Tool calls: Codex `function_call` and `custom_tool_call` items, Claude `tool_use` blocks.
 */
export const toolCallsDataset = sessionDataset({
  name: 'tool_calls',
  description: "One row per tool call, every agent's: Codex function and custom tool calls, Claude tool_use blocks, and the others' calls.",
  fields: [
    {
      name: 'kind',
      type: 'string',
      description:
        'the kind of call as the log names it: function_call or custom_tool_call (Codex; function_call for Gemini and Qwen), tool_use (Claude, Amp), function (Copilot), tool (OpenCode)',
    },
    { name: 'tool', type: 'string', description: 'the tool name (mcp__server__tool for MCP tools)' },
    { name: 'call_id', type: 'string', description: 'the call id' },
    {
      name: 'arguments_len',
      type: 'integer',
      description: 'length of the arguments as the log writes them (Codex function_call), or of their JSON (the other agents)',
    },
    { name: 'input_len', type: 'integer', description: 'length of a free-form input (Codex custom_tool_call)' },
    { name: 'status', type: 'string', description: 'the status the log gives, if any' },
  ],
  params: [],
  create() {
    return {
      needs: { messages: false, toolCalls: true, tokens: false },
      file(context) {
        return {
          event(event, emit) {
            if (event.kind !== 'tool_call') return;
            emit(
              Object.assign(context.base(event.timestamp ?? context.session?.start), {
                kind: event.callKind,
                tool: event.tool,
                call_id: event.callId ?? null,
                arguments_len: event.argumentsLength ?? null,
                input_len: event.inputLength ?? null,
                status: event.status ?? null,
              }),
            );
          },
        };
      },
    };
  },
});
