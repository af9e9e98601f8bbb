// Every Process Log entry an export writes, worded in one place. Each constructor takes typed facts and returns
// the entry; nothing else in the engine writes a sentence for the log.
export * from './entry';
export * from './records';
export * from './run';
export * from './mapped';
export * from './limits';
export * from './batch';
export * from './retry';
export * from './edits';
