/** The words a run's phases, outcome and failure category may be: the schema checks them, the flags offer them. */
export const PHASES = ['spec', 'security-review', 'testgen', 'exec', 'test', 'qa', 'loop'] as const;

export type Phase = (typeof PHASES)[number];

export const OUTCOMES = ['success', 'partial', 'failed'] as const;

export type Outcome = (typeof OUTCOMES)[number];

export const FAILURE_CATEGORIES = ['context_overflow', 'api_error', 'hook_failure', 'build_error', 'timeout', 'rate_limit', 'billing', 'unknown'] as const;

export type FailureCategory = (typeof FAILURE_CATEGORIES)[number];
