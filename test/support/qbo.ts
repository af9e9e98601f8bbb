// One QuickBooks emulator per describe block for the emulator's own tests: started before all, closed after all,
// and before each test reset, seeded and (for the companies asked for) issued a fresh access token.
import { startQboEmulator, type QboEmulatorOptions } from '../../emulators/qbo';
import { qboAdmin, qboApi } from '../../emulators/qbo/testkit';

export type QboAdmin = ReturnType<typeof qboAdmin>;
export type QboApi = ReturnType<typeof qboApi>;

export interface QboEmulatorHarness {
  /** The running emulator (its url is known once beforeAll has run). */
  emu: { readonly url: string };
  /** The admin API of the running emulator. */
  admin: QboAdmin;
  /**
   * v3 calls for one seeded company, with an access token issued before each test (in the order asked for).
   * Call it while the describe block is collected, not inside a test or hook.
   */
  connect(realmId: string): QboApi;
}

/** Registers the hooks in the calling describe block; `realms` is what admin.seed gets before each test. */
export function useQboEmulator(realms: unknown[], options: QboEmulatorOptions = {}): QboEmulatorHarness {
  let started: Awaited<ReturnType<typeof startQboEmulator>> | undefined;
  // Stable objects the tests hold on to; the hooks fill in their methods.
  const admin = {} as QboAdmin;
  const connected: { realmId: string; api: QboApi }[] = [];
  const emu = {
    get url(): string {
      if (!started) throw new Error('the QuickBooks emulator has not started yet');
      return started.url;
    },
  };

  beforeAll(async () => {
    started = await startQboEmulator({ ...options, port: 0 });
    Object.assign(admin, qboAdmin(started.url));
  });

  afterAll(async () => {
    await started?.close();
  });

  beforeEach(async () => {
    await admin.reset();
    await admin.seed(realms);
    for (const { realmId, api } of connected) Object.assign(api, qboApi(emu.url, realmId, (await admin.tokens(realmId)).access_token));
  });

  return {
    emu,
    admin,
    connect(realmId) {
      const api = {} as QboApi;
      connected.push({ realmId, api });
      return api;
    },
  };
}
