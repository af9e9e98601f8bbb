// Records that share one target record with a creation of the same run (twins): whether they come before or after
// that creation finished, they get its target id, or are told it could not be created.
import type { LogEntry } from '../../service/src/export/entries';
import type { KindDescriptor } from '../../service/src/export/descriptor';
import { Delivery } from '../../service/src/export/delivery';
import type { PipelineDeps } from '../../service/src/export/pipeline';
import { PlanBook } from '../../service/src/export/plan/decision';
import { FakeTarget, FakeWriteBack, memoryJournal, memoryKeys } from '../support/fakes';

const customers: KindDescriptor<unknown, 'customer'> = {
  kind: 'customer',
  twins: true,
  subject: () => ({ id: '', name: '' }),
  plan: async () => [],
  created: (creation, record) => ({ entries: [], update: { kind: 'customer', subject: creation.subject, targetId: record.id } }),
  refused: () => ({ entries: [] }),
  linkUpdate: (subject, record) => ({ kind: 'customer', subject, targetId: record.id }),
};

function setup() {
  const target = new FakeTarget();
  const journal = memoryJournal();
  const writeBack = new FakeWriteBack(journal, () => undefined);
  const log: LogEntry[] = [];
  const deps: PipelineDeps = {
    companyId: 'co1',
    runId: 'run-1',
    dryRun: false,
    target,
    journal,
    keys: memoryKeys(),
    writeBack,
    plan: new PlanBook(0),
    log: (e) => log.push(e),
    checkpoint: () => undefined,
    progress: () => undefined,
  };
  return { target, journal, writeBack, log, delivery: new Delivery<'customer'>(deps, customers) };
}

const ada = { id: 'a01000000000001AAA', name: 'Ada Lovelace' };
const twin = { id: 'a01000000000002AAA', name: 'A. Lovelace' };

describe('twins of a creation that has finished', () => {
  it('when the first was created, then a twin met afterwards is linked to its id and logged as sharing it', async () => {
    const { target, journal, writeBack, log, delivery } = setup();
    await delivery.create([{ subject: ada, doc: { displayName: 'Ada Lovelace' }, attempt: 0 }]);
    await delivery.drain();
    const created = target.ofKind('customer')[0]!;

    delivery.twin(ada.id, twin);
    await writeBack.commit();

    expect(target.ofKind('customer')).toHaveLength(1);
    expect(writeBack.applied.get(twin.id)).toEqual({ kind: 'customer', subject: twin, targetId: created.id });
    expect(journal.rows.get(`co1|customer|${twin.id}`)).toMatchObject({ state: 'written_back', targetId: created.id });
    const said = log.find((e) => e.recordId === twin.id)!;
    expect(said).toMatchObject({ outcome: 'Matched', level: 'INFO' });
    expect(said.message).toContain('Ada Lovelace');
  });

  it('when the first was refused, then a twin met afterwards is not exported and its entry names the first', async () => {
    const { target, writeBack, log, delivery } = setup();
    target.refuse = () => ({ class: 'rejected', message: 'no' });
    await delivery.create([{ subject: ada, doc: { displayName: 'Ada Lovelace' }, attempt: 0 }]);
    await delivery.drain();

    delivery.twin(ada.id, twin);
    await writeBack.commit();

    expect(writeBack.applied.has(twin.id)).toBe(false);
    const said = log.find((e) => e.recordId === twin.id)!;
    expect(said.level).toBe('ERROR');
    expect(said.message).toBe('A. Lovelace was not exported: it shares one QuickBooks record with Ada Lovelace, which could not be created.');
  });
});
