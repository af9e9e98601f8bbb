// The demo's QuickBooks Desktop company file, kept in the data folder between `npm run webconnector` runs. The
// emulators and the store start afresh with every `npm start`, so the file belongs to one start: each start has an
// identity (a fresh id in demo-credentials.json) and a file saved under another one is set aside for a new one.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { QuickBooksDesktopCompany } from '../../emulators/qbd/company';
import { seedDesktopCompanyFile, type DesktopDemo } from './desktop';

export interface SavedCompanyFile {
  /** The `npm start` the file belongs to. */
  startId: string;
  companyId: string;
  file: string;
}

export function companyFilePath(dataDir: string): string {
  return path.join(dataDir, 'qbd-company.json');
}

/** The company file of this demo start: the saved one when it is this start's, else a freshly seeded one. */
export function loadCompanyFile(dataDir: string, startId: string, demo: DesktopDemo): { file: QuickBooksDesktopCompany; fresh: boolean } {
  const fileName = companyFilePath(dataDir);
  const saved = existsSync(fileName) ? (JSON.parse(readFileSync(fileName, 'utf8')) as Partial<SavedCompanyFile>) : null;
  if (saved?.startId === startId && saved.companyId === demo.companyId && typeof saved.file === 'string') {
    return { file: QuickBooksDesktopCompany.restore(saved.file), fresh: false };
  }
  const file = new QuickBooksDesktopCompany();
  seedDesktopCompanyFile(file, demo);
  return { file, fresh: true };
}

export function saveCompanyFile(dataDir: string, startId: string, demo: DesktopDemo, file: QuickBooksDesktopCompany): void {
  mkdirSync(dataDir, { recursive: true });
  const saved: SavedCompanyFile = { startId, companyId: demo.companyId, file: file.snapshot() };
  writeFileSync(companyFilePath(dataDir), JSON.stringify(saved));
}
