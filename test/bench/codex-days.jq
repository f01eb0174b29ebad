# Tokens per UTC day from Codex rollouts, as seq reads them: per file, the deltas of the cumulative
# total; a total lower than the one before starts again (counted whole); in a fork (forked_from_id)
# the replayed parent history only sets where the counters stand, until the child's own task_started.
reduce (inputs | select(.type == "session_meta" or (.type == "event_msg" and (.payload.type == "token_count" or .payload.type == "task_started"))) | . + {f: input_filename}) as $e ({s: {}, days: {}};
  $e.f as $f
  | if $e.type == "session_meta" then
      (if .s[$f] == null then .s[$f] = {prev: null, replay: ($e.payload.forked_from_id != null), start: $e.timestamp} else . end)
    elif $e.payload.type == "task_started" then
      (if .s[$f].replay and $e.timestamp >= .s[$f].start then .s[$f].replay = false else . end)
    elif $e.payload.info == null then .
    else
      $e.payload.info.total_token_usage.total_tokens as $t
      | (.s[$f].prev) as $p
      | if .s[$f].replay then .s[$f].prev = $t
        elif $p == null or $t < $p then .days[$e.timestamp[0:10]] += $t | .s[$f].prev = $t
        elif $t > $p then .days[$e.timestamp[0:10]] += ($t - $p) | .s[$f].prev = $t
        else . end
    end)
| .days
