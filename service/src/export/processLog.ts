// The "Sales Invoice Exporter" Process Log: one Process_Log__c per run, entries written in bulk (200 a call)
// at the end of each phase and when the run closes — never one call per line.
import type { Company } from '../salesforce/records';
import type { SalesforceRepository, WriteRecord } from '../salesforce/repository';
import type { LogEntry, RunCounts } from './outcomes';

export const PROCESS_LOG_NAME = 'Sales Invoice Exporter';

const STATUS_LABEL = {
  running: 'Running',
  succeeded: 'Succeeded',
  completed_with_errors: 'Completed With Errors',
  failed: 'Failed',
} as const;

export class ProcessLogWriter {
  id: string | null = null;
  private buffer: LogEntry[] = [];
  private sequence = 0;
  /** Kept for a dry run's answer (which writes nothing to Salesforce). */
  readonly kept: LogEntry[] = [];

  constructor(
    private readonly salesforce: SalesforceRepository,
    private readonly company: Company,
    private readonly runId: string,
    private readonly dryRun: boolean,
    private readonly now: () => Date,
  ) {}

  async open(start: Date): Promise<void> {
    this.id = await this.salesforce.createOne('Process_Log__c', {
      Name: PROCESS_LOG_NAME,
      Company__c: this.company.Id,
      Run_Id__c: this.runId,
      Start_Time__c: start.toISOString(),
      Status__c: STATUS_LABEL.running,
      Dry_Run__c: this.dryRun,
    });
  }

  add(entry: LogEntry): void {
    if (this.dryRun) {
      if (this.kept.length < 1000) this.kept.push(entry);
      return;
    }
    this.buffer.push(entry);
  }

  async flush(): Promise<void> {
    if (!this.id || !this.buffer.length) return;
    const entries = this.buffer;
    this.buffer = [];
    const records: WriteRecord[] = entries.map((e) => ({
      type: 'Process_Log_Entry__c',
      Name: String(++this.sequence).padStart(6, '0'),
      Process_Log__c: this.id,
      Level__c: e.level,
      Outcome__c: e.outcome,
      Record_Type__c: e.recordType,
      Record_Id__c: e.recordId ?? null,
      Record_Name__c: e.recordName ? e.recordName.slice(0, 255) : null,
      Message__c: e.message.slice(0, 32768),
      Fix__c: e.fix ? e.fix.slice(0, 4000) : null,
      QuickBooks_Id__c: e.quickBooksId ?? null,
      Intuit_Tid__c: e.intuitTid ?? null,
      Http_Status__c: e.httpStatus ?? null,
    }));
    const results = await this.salesforce.create(records);
    const refused = results.filter((r) => !r.success);
    if (refused.length) {
      throw new Error(`Salesforce refused ${refused.length} Process Log entries: ${refused[0]!.errors.map((e) => e.message).join('; ')}`);
    }
  }

  async close(status: keyof typeof STATUS_LABEL, counts: RunCounts, summary: string, end: Date): Promise<void> {
    if (this.dryRun || !this.id) return;
    this.add({ level: status === 'failed' ? 'ERROR' : counts.errors ? 'WARN' : 'INFO', outcome: 'Summary', recordType: 'Run', recordName: this.company.Name, message: summary });
    await this.flush();
    // The six count fields are roll-up summaries of the entries: the org counts them, and refuses writes.
    await this.salesforce.updateOne('Process_Log__c', this.id, {
      End_Time__c: (end ?? this.now()).toISOString(),
      Status__c: STATUS_LABEL[status],
      Summary__c: summary,
    });
  }
}
