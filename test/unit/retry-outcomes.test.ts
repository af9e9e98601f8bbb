// How each record a retry named ended, decided from the retry run's entries alone.
import type { LogEntry } from '../../service/src/export/entries';
import { RetryOutcomes } from '../../service/src/export/retry';

const entry = (recordId: string, level: LogEntry['level'], outcome: LogEntry['outcome'], recordType: LogEntry['recordType'] = 'Invoice'): LogEntry => ({
  level,
  outcome,
  recordType,
  recordId,
  message: 'm',
});

describe('the outcome of each record a retry named', () => {
  it('when a record is created, refused, only warned about or not met at all, then it ended Exported, Failed Again or Not Sent', () => {
    const o = new RetryOutcomes(['sent', 'refused', 'warned', 'absent']);
    o.see(entry('sent', 'WARN', 'Shortened'));
    o.see(entry('sent', 'INFO', 'Created'));
    o.see(entry('refused', 'INFO', 'Created'));
    o.see(entry('refused', 'ERROR', 'Error'));
    o.see(entry('warned', 'WARN', 'Skipped'));
    o.see(entry('other', 'INFO', 'Created'));
    expect(o.unseen()).toEqual(['absent']);
    expect(Object.fromEntries(o.outcomes('completed_with_errors'))).toEqual({
      sent: 'Exported',
      refused: 'Failed Again',
      warned: 'Not Sent',
      absent: 'Not Sent',
    });
  });

  it('when the run failed, then a record it never reached ended Run Failed, and one it exported stays Exported', () => {
    const o = new RetryOutcomes(['sent', 'absent']);
    o.see(entry('sent', 'INFO', 'Matched', 'Customer'));
    o.see(entry('absent', 'ERROR', 'Error', 'Run'));
    expect(Object.fromEntries(o.outcomes('failed'))).toEqual({ sent: 'Exported', absent: 'Run Failed' });
  });
});
