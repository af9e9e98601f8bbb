// Checks an answer against its schema before it is sent — in tests, so an answer that drifts from the contract fails
// the test that produced it. In production the answer goes as built (the check costs time on large plans).
import type { z } from 'zod';
import { describeIssues } from '../http/validation';

export type AnswerCheck = <T>(schema: z.ZodType, value: T) => T;

export class ContractViolation extends Error {
  constructor(readonly issues: string) {
    super(`The service answered outside its contract: ${issues}`);
    this.name = 'ContractViolation';
  }
}

export function answerChecker(enabled: boolean): AnswerCheck {
  if (!enabled) return (_schema, value) => value;
  return (schema, value) => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new ContractViolation(describeIssues(parsed.error.issues));
    return value;
  };
}
