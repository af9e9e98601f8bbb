// The syntax tree of the SOQL subset the emulator understands.
import type { Pos } from './errors';

export interface FieldRef {
  /** Path as written, e.g. ["Sales_Invoice__r", "Company__r", "Name"]. */
  path: string[];
  pos: Pos;
}

export type SelectItem =
  | { kind: 'field'; ref: FieldRef }
  | { kind: 'subquery'; query: SelectQuery; pos: Pos }
  /** COUNT() when arg is absent; COUNT(field) [alias] otherwise. */
  | { kind: 'count'; arg?: FieldRef; alias?: string; pos: Pos };

export type Literal =
  | { kind: 'string'; value: string; pos: Pos }
  | { kind: 'number'; value: number; pos: Pos }
  | { kind: 'boolean'; value: boolean; pos: Pos }
  | { kind: 'null'; pos: Pos }
  | { kind: 'date'; value: string; pos: Pos }
  | { kind: 'datetime'; value: string; pos: Pos }
  /** TODAY, LAST_N_DAYS:7 ... */
  | { kind: 'dateLiteral'; name: string; n?: number; pos: Pos };

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { kind: 'and'; items: Condition[] }
  | { kind: 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'compare'; field: FieldRef; op: CompareOp; value: Literal }
  | { kind: 'like'; field: FieldRef; pattern: Literal }
  | { kind: 'in'; field: FieldRef; negate: boolean; values: Literal[] }
  /** Semi-join: Id IN (SELECT Sales_Invoice__c FROM Payment__c ...). */
  | { kind: 'inQuery'; field: FieldRef; negate: boolean; query: SelectQuery; pos: Pos };

export interface OrderItem {
  field: FieldRef;
  descending: boolean;
  /** Explicit NULLS FIRST/LAST; the default puts nulls first. */
  nullsLast: boolean;
}

export interface SelectQuery {
  select: SelectItem[];
  from: { name: string; pos: Pos };
  where?: Condition;
  orderBy: OrderItem[];
  limit?: number;
  offset?: number;
  offsetPos?: Pos;
}
