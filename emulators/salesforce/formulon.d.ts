// formulon (a Salesforce formula engine) ships no types: the two functions the emulator uses.
declare module 'formulon' {
  /** Evaluates a formula with its identifiers' values; answers a literal, or `{ type: 'error', message }`. */
  export function parse(formula: string, substitutions?: Record<string, unknown>): { type: string; value?: unknown; dataType?: string; message?: string };
  /** The identifiers a formula names. */
  export function extract(formula: string): string[];
}
