// One export per Company at a time, across every instance sharing the store: the run (or a background write-back)
// holds this lock.
export function lockKey(companyId: string): string {
  return `export:${companyId}`;
}
