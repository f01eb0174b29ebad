import { sessionDataset } from './session-dataset.js';

/**
 * What tools gave back: Codex function and custom tool outputs, Claude tool_result blocks, one
 * row each, without the text (only its length). Codex 0.104 on writes `Original token count: N`
 * into command outputs: `seq token-usage` sums those when a log has no token counts.
 */
export const toolOutputsDataset = sessionDataset({
  name: 'tool_outputs',
  description: 'One row per tool output: its call, length, error flag, and the "Original token count" Codex writes in it.',
  fields: [
    { name: 'call_id', type: 'string', description: 'the call the output answers (join with tool_calls)' },
    { name: 'output_len', type: 'integer', description: 'characters of the output text' },
    { name: 'original_token_count', type: 'integer', description: 'Codex "Original token count: N" in the output, else null' },
    { name: 'is_error', type: 'boolean', description: 'Claude is_error, or a Codex exit code other than 0; null when not said' },
  ],
  params: [],
  create() {
    return {
      needs: { messages: false, toolCalls: false, tokens: false, toolOutputs: true },
      file(context) {
        return {
          event(event, emit) {
            if (event.kind !== 'tool_output') return;
            emit(
              Object.assign(context.base(event.timestamp ?? context.session?.start), {
                call_id: event.callId ?? null,
                output_len: event.outputLength,
                original_token_count: event.originalTokenCount ?? null,
                is_error: event.isError ?? null,
              }),
            );
          },
        };
      },
    };
  },
});
