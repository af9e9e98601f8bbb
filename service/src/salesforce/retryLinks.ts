// The Process Log side of a retry: the company's open ERROR entries of the retried records point to the retry's own
// Process Log (Retried_In__c) and say how the record ended there (Retry_Outcome__c).
import { z } from 'zod';
import type { RetryLinkPort, RetryOutcome } from '../export/retry';
import { chunksThatFit, soqlQuote, type SalesforceRepository } from './repository';

const Entry = z.object({ Id: z.string(), Record_Id__c: z.string().nullable() });

export class SalesforceRetryLinks implements RetryLinkPort {
  constructor(private readonly repo: SalesforceRepository) {}

  async open(run: { companyId: string; logId: string; records: string[] }): Promise<void> {
    // Errors not retried yet, or whose retry never finished (its run died, or stopped before the record).
    const query = (chunk: string[]) =>
      'SELECT Id, Record_Id__c FROM Process_Log_Entry__c ' +
      `WHERE Level__c = 'ERROR' AND Process_Log__r.Company__c = ${soqlQuote(run.companyId)} AND Process_Log__c != ${soqlQuote(run.logId)} ` +
      `AND (Retried_In__c = null OR Retry_Outcome__c IN ('Retrying', 'Run Failed')) AND Record_Id__c IN (${chunk.map(soqlQuote).join(', ')})`;
    const entries: z.infer<typeof Entry>[] = [];
    for (const chunk of chunksThatFit(run.records, query)) entries.push(...(await this.repo.select(query(chunk), Entry)));
    await this.write(entries.map((e) => ({ type: 'Process_Log_Entry__c', Id: e.Id, Retried_In__c: run.logId, Retry_Outcome__c: 'Retrying' })));
  }

  async close(run: { logId: string; outcomes: Map<string, RetryOutcome> }): Promise<void> {
    const entries = await this.repo.select(`SELECT Id, Record_Id__c FROM Process_Log_Entry__c WHERE Retried_In__c = ${soqlQuote(run.logId)}`, Entry);
    await this.write(
      entries.flatMap((e) => {
        const outcome = e.Record_Id__c ? run.outcomes.get(e.Record_Id__c) : undefined;
        return outcome ? [{ type: 'Process_Log_Entry__c', Id: e.Id, Retry_Outcome__c: outcome }] : [];
      }),
    );
  }

  private async write(records: { type: string; Id: string; [field: string]: unknown }[]): Promise<void> {
    if (!records.length) return;
    const refused = (await this.repo.update(records)).filter((r) => !r.success);
    if (refused.length)
      throw new Error(`Salesforce refused ${refused.length} retried Process Log entries: ${refused[0]!.errors.map((e) => e.message).join('; ')}`);
  }
}
